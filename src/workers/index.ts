// Background workers that run beside the API (or alone with `casa-integrate worker`).
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Storage } from '../db/database.js';
import type { Clock } from '../domain/clock.js';
import type { Services } from '../services/index.js';
import { createWebhookDispatcher } from './webhook-dispatcher.js';
import { startProductionWorker } from './production-worker.js';

export interface Workers {
  stop(): Promise<void>;
}

export interface WorkerDeps {
  config: Config;
  storage: Storage;
  clock: Clock;
  services: Services;
  log: FastifyBaseLogger;
}

/** Each worker is a loop with stop(). */
export function startWorkers(deps: WorkerDeps): Workers {
  const loops: Workers[] = [];
  const { storage, clock, config, log } = deps;
  const webhooks = createWebhookDispatcher({ db: storage.db, dialect: storage.dialect, clock, config, log, webhooks: deps.services.webhooks });
  webhooks.start();
  loops.push({ stop: () => webhooks.close() });
  loops.push(startProductionWorker({ production: deps.services.production, log: deps.log }));
  return {
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
