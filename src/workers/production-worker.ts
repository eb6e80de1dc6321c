// The production loop: runs production rounds until nothing is due, then sleeps. Any number of
// these may run against one database (in server processes or `casa-integrate worker`).
import type { FastifyBaseLogger } from 'fastify';
import type { ProductionService } from '../services/production/production-service.js';
import { workerName } from '../services/production/production-service.js';
import { startLoop, type WorkerLoop } from './loop.js';

export function startProductionWorker(opts: {
  production: Pick<ProductionService, 'runOnce'>;
  log: FastifyBaseLogger;
  intervalMs?: number;
}): WorkerLoop {
  const owner = workerName();
  return startLoop({
    name: 'production',
    intervalMs: opts.intervalMs ?? 1000,
    tick: () => opts.production.runOnce({ owner }),
    onError: (err) => opts.log.error({ err: (err as Error).message }, 'production round failed'),
  });
}
