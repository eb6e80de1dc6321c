// The thread started by renderer.ts: an order's files drawn one job at a time, at a lower priority
// on Linux. renderer.ts exposes `gc` to this thread's context when it starts it: raster.ts
// collects the young generation after every image, and a full collection follows every job.
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { renderCombinedPdf, renderProducts } from './deliverable-files.js';
import type { RenderAnswer, RenderJob, RenderRequest, RenderThreadData } from './renderer.js';

const port = parentPort!;
const collect = (globalThis as { gc?: () => void }).gc;
// Without it every image's pixels would stay until a collection nothing triggers (raster.ts).
if (!collect) throw new Error('the render thread was started without gc exposed');
const { nice } = workerData as RenderThreadData;

// No client is waiting on a connection for a drawing: it yields the CPU to the threads answering
// requests. Linux keeps a nice value per thread, so this lowers this thread only (and what it
// starts); elsewhere it would lower the whole process, so it is left alone there. Should the system
// refuse, drawings are made at the process's priority. Nothing here takes a database lock, which a
// thread at a low priority would hold while requests wait for it (docs/performance.md).
if (process.platform === 'linux') {
  try {
    os.setPriority(nice);
  } catch {
    // drawn at the process's priority
  }
}

async function answer(id: number, job: RenderJob): Promise<RenderAnswer> {
  try {
    if (job.kind === 'products') return { id, result: await renderProducts(job.input, job.products) };
    return { id, result: await renderCombinedPdf(job.input, job.delivered) };
  } catch (err) {
    return { id, error: err instanceof Error ? err.message : String(err) };
  }
}

let queue = Promise.resolve();
port.on('message', ({ id, job }: RenderRequest) => {
  queue = queue.then(async () => {
    const reply = await answer(id, job);
    try {
      port.postMessage(reply);
    } catch (err) {
      port.postMessage({ id, error: `the answer could not be sent: ${(err as Error).message}` } satisfies RenderAnswer);
    }
    collect(); // the job's documents and drawings, at once rather than when the heap next grows
  });
});
