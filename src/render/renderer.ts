// Production's drawing runs on a thread of its own (render-thread.ts), never on the thread that
// answers requests: an order's files take a second or more of CPU (model drawings, PDFs, images),
// which on the main thread would hold every request of the process behind it. On Linux that thread
// runs at a lower priority, so under load requests get the CPU first (docs/performance.md).
//
// One thread, one job at a time: resvg's allocator (mimalloc) keeps each thread's freed memory for
// that thread, and one document alive at a time keeps the heap small.
import v8 from 'node:v8';
import type { Worker } from 'node:worker_threads';
import type { Product } from '../domain/catalog.js';
import { startThread } from '../thread.js';
import type { RenderedFile } from './deliverable-files.js';
import { loadedSharp } from './sharp.js';
import type { RenderInput } from './summary.js';

/** The render thread's nice value on Linux (the process runs at 0; 19 is the lowest priority). */
export const RENDER_NICE = 10;

export type RenderJob =
  | { kind: 'products'; input: RenderInput; products: readonly Product[] }
  | { kind: 'combined-pdf'; input: RenderInput; delivered: readonly Product[] };

export interface RenderThreadData {
  /** This thread's nice value on Linux. */
  nice: number;
}

export interface RenderRequest {
  id: number;
  job: RenderJob;
}

/** `result`: the files of a `products` job, the PDF's bytes of a `combined-pdf` one. */
export type RenderAnswer = { id: number; result: RenderedFile[] | Uint8Array; error?: undefined } | { id: number; error: string };

interface Pending {
  resolve(answer: RenderAnswer): void;
  reject(err: Error): void;
}

const PROCESS_EXPOSES_GC = typeof (globalThis as { gc?: unknown }).gc === 'function';

let thread: Worker | null = null;
let nextId = 0;
const pending = new Map<number, Pending>();

/** A Buffer over what structured cloning made of one (a plain Uint8Array). */
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** The render thread, started at the first job; another is started if it ever dies. */
async function renderThread(): Promise<Worker> {
  if (thread) return thread;
  // libvips must stay loaded for the process's life: a thread that loaded it alone would unload
  // it when it ends, and loading it again crashes (lovell/sharp#2263).
  await loadedSharp();
  if (thread) return thread;
  // V8 flags are the process's: `gc` is installed in each context created while the flag is on, so
  // it is on only until this thread's context exists (it does once the thread is online), unless
  // the process was started with it. The thread collects after every image (raster.ts says why).
  v8.setFlagsFromString('--expose-gc');
  const worker = startThread(new URL('./render-thread.js', import.meta.url), {
    workerData: { nice: RENDER_NICE } satisfies RenderThreadData,
  });
  const stopExposing = () => PROCESS_EXPOSES_GC || v8.setFlagsFromString('--no-expose-gc');
  worker.once('online', stopExposing);
  worker.on('message', (answer: RenderAnswer) => {
    const waiter = pending.get(answer.id);
    pending.delete(answer.id);
    if (pending.size === 0) worker.unref(); // an idle thread never keeps the process alive
    waiter?.resolve(answer);
  });
  const fail = (err: Error) => {
    stopExposing();
    if (thread === worker) thread = null;
    for (const waiter of pending.values()) waiter.reject(err);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the render thread exited (${code})`)));
  thread = worker;
  return worker;
}

async function run(job: RenderJob): Promise<RenderedFile[] | Uint8Array> {
  const worker = await renderThread();
  const answer = await new Promise<RenderAnswer>((resolve, reject) => {
    const id = nextId++;
    if (pending.size === 0) worker.ref(); // while a job is awaited, as any pending I/O would
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, job } satisfies RenderRequest);
  });
  if (answer.error !== undefined) throw new Error(`rendering failed: ${answer.error}`);
  return answer.result;
}

/** `renderProducts` (deliverable-files.ts), drawn on the render thread. */
export async function renderProductsOffThread(input: RenderInput, products: readonly Product[]): Promise<RenderedFile[]> {
  const files = (await run({ kind: 'products', input, products })) as RenderedFile[];
  return files.map((file) => ({ ...file, data: asBuffer(file.data) }));
}

/** `renderCombinedPdf` (deliverable-files.ts), drawn on the render thread. */
export async function renderCombinedPdfOffThread(input: RenderInput, delivered: readonly Product[]): Promise<Buffer> {
  return asBuffer((await run({ kind: 'combined-pdf', input, delivered })) as Uint8Array);
}
