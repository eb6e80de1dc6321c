// A job a worker runs now and then (the daily sweep of orphaned files, the request log's trimming):
// one run at a time, the next `everyMs` after the last one ends, a failure logged and tried again
// at the next turn; `stop()` waits for the run in hand.
import type { FastifyBaseLogger } from 'fastify';

export function startPeriodicJob(opts: {
  /** Names the job in the log line of a failed run. */
  name: string;
  run: () => Promise<unknown>;
  everyMs: number;
  /** The wait before the first run; `everyMs` when not given. */
  firstAfterMs?: number;
  log: FastifyBaseLogger;
}): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const schedule = (ms: number) => {
    timer = setTimeout(() => {
      running = opts
        .run()
        .then(
          () => undefined,
          (err: unknown) => opts.log.error({ err: (err as Error).message }, `${opts.name} failed`),
        )
        .finally(() => {
          running = null;
          if (!stopped) schedule(opts.everyMs);
        });
    }, ms);
    timer.unref();
  };
  schedule(opts.firstAfterMs ?? opts.everyMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
