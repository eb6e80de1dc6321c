// The daily orphan sweep of stored files (services/storage-sweep). The first runs a while after
// start, not at once, so that a fleet restarting together does not list the whole store at once.
import type { FastifyBaseLogger } from 'fastify';
import type { StorageSweepService } from '../services/storage-sweep/storage-sweep-service.js';

export const SWEEP_INTERVAL_MS = 24 * 3600 * 1000;

export function startStorageSweeper(opts: {
  storageSweep: Pick<StorageSweepService, 'sweep'>;
  log: FastifyBaseLogger;
  intervalMs?: number;
  firstAfterMs?: number;
}): { stop(): Promise<void> } {
  const interval = opts.intervalMs ?? SWEEP_INTERVAL_MS;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const schedule = (ms: number) => {
    timer = setTimeout(() => {
      running = opts.storageSweep
        .sweep()
        .then(
          () => undefined,
          (err: unknown) => opts.log.error({ err: (err as Error).message }, 'storage sweep failed'),
        )
        .finally(() => {
          running = null;
          if (!stopped) schedule(interval);
        });
    }, ms);
    timer.unref();
  };
  schedule(opts.firstAfterMs ?? 10 * 60 * 1000 + Math.floor(Math.random() * 50 * 60 * 1000));
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
