// A polling loop for one worker: runs `tick` until it finds nothing, then sleeps; `wake()` cuts
// the sleep short (called after a commit that created work); `stop()` waits for the tick in hand.
export interface WorkerLoop {
  wake(): void;
  stop(): Promise<void>;
  /** Resolves once a tick has run to completion after this call (tests use it to wait). */
  idle(): Promise<void>;
}

/** The longest pause after failed ticks in a row (the database unreachable, say). */
export const MAX_BACKOFF_MS = 5000;

export function startLoop(opts: {
  name: string;
  intervalMs: number;
  tick: () => Promise<number>;
  onError: (err: unknown) => void;
}): WorkerLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let wakeUp: (() => void) | null = null;
  let waiters: (() => void)[] = [];

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wakeUp = resolve;
      timer = setTimeout(resolve, ms);
    }).finally(() => {
      if (timer) clearTimeout(timer);
      timer = null;
      wakeUp = null;
    });

  let failures = 0;
  const running = (async () => {
    while (!stopped) {
      let processed = 0;
      try {
        processed = await opts.tick();
        failures = 0;
      } catch (err) {
        failures++;
        opts.onError(err);
      }
      if (processed === 0) {
        const done = waiters;
        waiters = [];
        done.forEach((w) => w());
        // Failing ticks in a row back off (twice as long each time, up to MAX_BACKOFF_MS), sparing
        // the log and the database; the first tick that works resumes the normal pace.
        const pause = failures ? Math.min(opts.intervalMs * 2 ** failures, Math.max(opts.intervalMs, MAX_BACKOFF_MS)) : opts.intervalMs;
        if (!stopped) await sleep(pause);
      }
    }
  })();

  return {
    wake() {
      wakeUp?.();
    },
    async stop() {
      stopped = true;
      wakeUp?.();
      await running;
      waiters.forEach((w) => w());
    },
    idle() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        wakeUp?.();
      });
    },
  };
}
