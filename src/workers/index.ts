// Background workers that run beside the API (or alone with `casa-integrate worker`).
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { Services } from '../services/index.js';
import { createWebhookDispatcher } from './webhook-dispatcher.js';
import { startProductionWorker } from './production-worker.js';
import { startStorageSweeper } from './storage-sweeper.js';
import { startRequestLogPruner } from './request-log-pruner.js';

export interface Workers {
  stop(): Promise<void>;
}

export interface WorkerDeps {
  config: Config;
  clock: Clock;
  services: Pick<Services, 'webhooks' | 'webhookDeliveries' | 'production' | 'storageSweep' | 'requestLog'>;
  log: FastifyBaseLogger;
}

/** Each worker is a loop with stop(): webhook dispatch, production and the daily sweep of orphaned files. */
export function startWorkers(deps: WorkerDeps): Workers {
  const loops: Workers[] = [];
  const { services } = deps;
  const webhooks = createWebhookDispatcher({
    config: deps.config,
    clock: deps.clock,
    log: deps.log,
    webhooks: services.webhooks,
    deliveries: services.webhookDeliveries,
  });
  webhooks.start();
  loops.push({ stop: () => webhooks.close() });
  loops.push(startProductionWorker({ production: services.production, log: deps.log }));
  loops.push(startStorageSweeper({ storageSweep: services.storageSweep, log: deps.log }));
  loops.push(startRequestLogPruner({ requestLog: services.requestLog, log: deps.log }));
  return {
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
