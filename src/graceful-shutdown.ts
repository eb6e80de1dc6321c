// How a server process stops: on SIGTERM or SIGINT it logs one line, runs `close` (stop accepting,
// finish what is in flight, close storage) and exits 0, or exits 1 after `delay` ms at most.
import closeWithGrace from 'close-with-grace';

export interface ShutdownLog {
  info(obj: object, msg: string): void;
  warn(msg: string): void;
  error(obj: object | string, msg?: string): void;
}

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/**
 * Ctrl-C in a terminal reaches the server twice: from the terminal (to the whole process group) and
 * forwarded by `npm start`; a cluster child also gets its primary's SIGTERM. Copies arriving this
 * close to the first are that one request to stop, not a second one to skip the drain.
 */
const SAME_REQUEST_MS = 1_000;

export function onShutdown(log: ShutdownLog, options: { delay: number; quiet?: boolean }, close: () => Promise<void>): void {
  const grace = closeWithGrace(
    {
      delay: options.delay,
      skip: [...STOP_SIGNALS], // handled below, where a repeated Ctrl-C is told apart from a second one
      logger: { error: (msg: unknown) => log.error(String(msg)) },
    },
    async ({ err }) => {
      if (err) log.error({ err }, 'shutting down after an error');
      await close();
    },
  );
  let stoppingSince: number | null = null;
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (stoppingSince === null) {
        stoppingSince = Date.now();
        if (!options.quiet) log.info({ signal }, `${signal} received: finishing requests in flight, then stopping`);
        void grace.close();
      } else if (Date.now() - stoppingSince >= SAME_REQUEST_MS) {
        log.warn(`second ${signal}: stopping without waiting for requests in flight`);
        process.exit(1);
      }
    });
  }
}
