// A polling loop for one worker: runs `tick` until it finds nothing, then sleeps; `wake()` cuts
// the sleep short (called after a commit that created work); `stop()` waits for the tick in hand.
export interface WorkerLoop {
  wake(): void;
  stop(): Promise<void>;
  /** Resolves once a tick has run to completion after this call (tests use it to wait). */
  idle(): Promise<void>;
}

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

  const running = (async () => {
    while (!stopped) {
      let processed = 0;
      try {
        processed = await opts.tick();
      } catch (err) {
        opts.onError(err);
      }
      if (processed === 0) {
        const done = waiters;
        waiters = [];
        done.forEach((w) => w());
        if (!stopped) await sleep(opts.intervalMs);
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
