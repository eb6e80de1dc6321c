// Background workers that run beside the API (or alone with `casa-integrate worker`).
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { Services } from '../services/index.js';
import { createWebhookDispatcher } from './webhook-dispatcher.js';
import { startProductionWorker } from './production-worker.js';
import { startPeriodicJob } from './periodic-job.js';

const SWEEP_EVERY_MS = 24 * 3600 * 1000;
// Every minute keeps a busy company close to its cap without a delete on every write.
const REQUEST_LOG_PRUNE_EVERY_MS = 60_000;

export interface Workers {
  stop(): Promise<void>;
}

export interface WorkerDeps {
  config: Config;
  clock: Clock;
  services: Pick<Services, 'webhooks' | 'webhookDeliveries' | 'production' | 'storageSweep' | 'requestLog'>;
  log: FastifyBaseLogger;
}

/** Each worker is a loop with stop(): webhook dispatch, production, the daily sweep of orphaned files and the request log's trimming. */
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
  loops.push(
    startPeriodicJob({
      name: 'storage sweep',
      run: () => services.storageSweep.sweep(),
      everyMs: SWEEP_EVERY_MS,
      // A while after start, not at once: a fleet restarting together does not list the whole store at once.
      firstAfterMs: 10 * 60 * 1000 + Math.floor(Math.random() * 50 * 60 * 1000),
      log: deps.log,
    }),
  );
  loops.push(
    startPeriodicJob({
      name: 'pruning the request log',
      run: async () => {
        const pruned = await services.requestLog.prune();
        if (pruned.expired || pruned.over_cap) deps.log.debug(pruned, 'request log pruned');
      },
      everyMs: REQUEST_LOG_PRUNE_EVERY_MS,
      log: deps.log,
    }),
  );
  return {
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
