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
// Retention is counted in days: an email is kept at most an hour past it.
const EMAIL_PURGE_EVERY_MS = 3600 * 1000;

export interface Workers {
  stop(): Promise<void>;
}

export interface WorkerDeps {
  config: Config;
  clock: Clock;
  services: Pick<Services, 'webhooks' | 'webhookDeliveries' | 'production' | 'storageSweep' | 'requestLog' | 'emails'>;
  log: FastifyBaseLogger;
}

/** The jobs a worker runs now and then, each on the one periodic runner (periodic-job.ts). */
export function housekeepingJobs({ services, log }: Pick<WorkerDeps, 'services' | 'log'>) {
  return [
    {
      name: 'storage sweep',
      run: () => services.storageSweep.sweep(),
      everyMs: SWEEP_EVERY_MS,
      // A while after start, not at once: a fleet restarting together does not list the whole store at once.
      firstAfterMs: 10 * 60 * 1000 + Math.floor(Math.random() * 50 * 60 * 1000),
    },
    {
      name: 'pruning the request log',
      run: async () => {
        const pruned = await services.requestLog.prune();
        if (pruned.expired || pruned.over_cap) log.debug(pruned, 'request log pruned');
      },
      everyMs: REQUEST_LOG_PRUNE_EVERY_MS,
    },
    {
      name: 'purging old emails',
      run: async () => {
        const purged = await services.emails.purgeExpired();
        if (purged) log.debug({ purged }, 'emails past their retention deleted');
      },
      everyMs: EMAIL_PURGE_EVERY_MS,
    },
  ];
}

/** Each worker is a loop with stop(): webhook dispatch, production, and the housekeeping jobs. */
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
  for (const job of housekeepingJobs(deps)) loops.push(startPeriodicJob({ ...job, log: deps.log }));
  return {
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
