// SQLite copies the write-ahead log back into the database file (a checkpoint) inside whichever
// commit pushes the log past `wal_autocheckpoint` pages, and with synchronous=NORMAL that commit
// also waits for two fsyncs. better-sqlite3 is synchronous, so the event loop stood still for it:
// about a fifth of the wall time of `POST /orders/draft`. A worker thread with its own connection
// checkpoints instead (PASSIVE: it never blocks a reader or a writer), a few times a second.
// The connection's own automatic checkpoint stays on at a larger threshold as a backstop, should
// the thread ever fall behind or stop.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;
const INTERVAL_MS = 100;

// Plain CommonJS run with `eval`, so the same code works from src/ (tsx) and from dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let stopped = false;
let reportWanted = false;
let timer;
const tick = () => {
  if (stopped) return;
  try {
    const [row] = checkpoint.all();
    if (reportWanted) {
      reportWanted = false;
      parentPort.postMessage({ log: row.log, checkpointed: row.checkpointed });
    }
  } catch {
    // Busy or failing: the next tick tries again, and the backstop checkpoint remains.
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
parentPort.on('message', (m) => {
  if (m === 'report') reportWanted = true;
  if (m !== 'stop') return;
  stopped = true;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
tick();
`;

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
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
  // The thread must not keep a process alive that has nothing else to do.
  worker.unref();
  let waiting: ((r: CheckpointReport) => void)[] = [];
  // Reports are sent only when asked for, so an idle server gets no message ten times a second.
  worker.on('message', (m: CheckpointReport) => {
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
      worker.postMessage('stop');
      await exited;
    },
    next() {
      worker.ref();
      worker.postMessage('report');
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}
