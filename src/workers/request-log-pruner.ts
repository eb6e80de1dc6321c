// Trims the request log every minute: entries older than CASA_REQUEST_LOG_RETENTION_DAYS, then
// each company's oldest beyond CASA_REQUEST_LOG_MAX_ROWS. A minute keeps a busy company close to
// its cap without a delete on every write.
import type { FastifyBaseLogger } from 'fastify';
import type { RequestLogService } from '../services/request-log/request-log-service.js';

export const PRUNE_INTERVAL_MS = 60_000;

export function startRequestLogPruner(opts: {
  requestLog: Pick<RequestLogService, 'prune'>;
  log: FastifyBaseLogger;
  intervalMs?: number;
}): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    running ??= opts.requestLog
      .prune()
      .then(
        (pruned) => {
          if (pruned.expired || pruned.over_cap) opts.log.debug(pruned, 'request log pruned');
        },
        (err: unknown) => opts.log.error({ err: (err as Error).message }, 'pruning the request log failed'),
      )
      .finally(() => (running = null));
  }, opts.intervalMs ?? PRUNE_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
