// SQLite copies the write-ahead log back into the database file (a checkpoint) inside whichever
// commit pushes the log past `wal_autocheckpoint` pages, and with synchronous=NORMAL that commit
// also waits for two fsyncs. better-sqlite3 is synchronous, so the event loop would stand still
// meanwhile (docs/performance.md gives its share of `POST /orders/draft`). A worker thread with its
// own connection (wal-checkpoint-thread.ts) checkpoints instead (PASSIVE: it never blocks a reader
// or a writer), a few times a second. The connection's own automatic checkpoint stays on at a
// larger threshold as a backstop, should the thread ever fall behind or stop.
import { startThread } from '../thread.js';
import type { CheckpointCommand, CheckpointMessage, CheckpointThreadData } from './wal-checkpoint-thread.js';

export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;
/** Rows SQLite samples per index when it gathers statistics (PRAGMA analysis_limit). */
export const ANALYSIS_LIMIT = 1000;
const INTERVAL_MS = 100;

export interface CheckpointReport {
  /** Frames in the log and frames copied into the database by the last checkpoint. */
  log: number;
  checkpointed: number;
}

export interface WalCheckpointer {
  /** Stops the thread after its current checkpoint; resolves once it has closed its connection. */
  stop(): Promise<void>;
  /** Resolves after the next checkpoint the thread begins from now on (for tests). */
  next(): Promise<CheckpointReport>;
}

export function startWalCheckpointer(file: string, intervalMs = INTERVAL_MS): WalCheckpointer {
  const worker = startThread(new URL('./wal-checkpoint-thread.js', import.meta.url), {
    workerData: { file, intervalMs, analysisLimit: ANALYSIS_LIMIT } satisfies CheckpointThreadData,
  });
  const send = (command: CheckpointCommand) => worker.postMessage(command);
  // The thread must not keep a process alive that has nothing else to do.
  worker.unref();
  let waiting: ((r: CheckpointReport) => void)[] = [];
  // Reports are sent only when asked for, so an idle server gets no message ten times a second.
  worker.on('message', (m: CheckpointMessage) => {
    const done = waiting;
    waiting = [];
    if (done.length) worker.unref();
    for (const resolve of done) resolve({ log: m.log, checkpointed: m.checkpointed });
  });
  // A failed thread only means the backstop checkpoints take over again.
  worker.on('error', () => {});
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    // Someone waiting on the thread keeps the process alive meanwhile.
    async stop() {
      worker.ref();
      send('stop');
      await exited;
    },
    next() {
      worker.ref();
      send('report');
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}
