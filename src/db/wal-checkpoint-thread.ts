// The thread started by wal-checkpointer.ts: its own connection to the file, checkpointing it every
// `intervalMs` until told to stop, and refreshing the query planner's statistics now and then
// (off the event loop: ANALYZE of a big table takes a moment).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface CheckpointThreadData {
  file: string;
  intervalMs: number;
  analysisLimit: number;
}

const OPTIMIZE_EVERY_MS = 10 * 60_000;

/** What the thread sends after a checkpoint it was asked to report on. */
export interface CheckpointMessage {
  log: number;
  checkpointed: number;
}

/** What the thread is sent: report on the next checkpoint, or close the connection and end. */
export type CheckpointCommand = 'report' | 'stop';

const port = parentPort!;
const { file, intervalMs, analysisLimit } = workerData as CheckpointThreadData;
const db = new Database(file);
db.pragma(`analysis_limit = ${analysisLimit}`);
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let optimizedAt = Date.now();
let stopped = false;
let reportWanted = false;
let timer: NodeJS.Timeout | undefined;

function tick(): void {
  if (stopped) return;
  try {
    const [row] = checkpoint.all() as CheckpointMessage[];
    if (reportWanted && row) {
      reportWanted = false;
      port.postMessage({ log: row.log, checkpointed: row.checkpointed } satisfies CheckpointMessage);
    }
    if (Date.now() - optimizedAt >= OPTIMIZE_EVERY_MS) {
      optimizedAt = Date.now();
      db.pragma('optimize');
    }
  } catch {
    // Busy or failing: the next tick tries again, and the backstop checkpoint remains.
  }
  timer = setTimeout(tick, intervalMs);
}

port.on('message', (m: CheckpointCommand) => {
  if (m === 'report') reportWanted = true;
  if (m !== 'stop') return;
  stopped = true;
  clearTimeout(timer);
  db.close();
  port.close();
});
tick();
