// PNG and JPG from an SVG drawing. resvg rasterises with the bundled font only, on one thread of
// its own (raster-thread.ts); sharp turns that PNG into the JPG (libvips decodes and encodes it in
// strips).
//
// Why one thread of its own: resvg's allocator (mimalloc) keeps each thread's freed memory for that
// thread, and an image is megabytes of pixels plus resvg's working memory. Rendered on libuv's pool
// (`renderAsync`), every pool thread that had rendered would keep that much; on one thread the
// peak of a delivery is lower at the same speed (docs/performance.md), PDF drawing on the main
// thread runs beside it, and files, DNS lookups and password hashes never wait behind images on
// the pool.
//
// resvg-js 2.6 also keeps each image's pixels until V8 collects the image object (thx/resvg-js#216),
// and the thread's heap is tiny, so nothing would trigger that collection: the thread collects
// after every image itself (cheap on its small heap).
import v8 from 'node:v8';
import type { Worker } from 'node:worker_threads';
import { BOLD_FONT_PATH, REGULAR_FONT_PATH } from './fonts.js';
import { FONT_FAMILY } from './svg.js';
import { startThread } from '../thread.js';
import type { RasterAnswer, RasterRequest, RasterThreadData } from './raster-thread.js';

let sharp: typeof import('sharp').default | undefined;

/** sharp (libvips) is loaded with the first JPG, not by every process that only might make one. */
async function loadedSharp(): Promise<typeof import('sharp').default> {
  if (!sharp) {
    const lib = (await import('sharp')).default;
    // One libvips thread per JPG: our images are small, and each extra thread keeps a malloc arena
    // of its own resident on glibc, for little speed.
    lib.cache(false);
    lib.concurrency(1);
    sharp = lib;
  }
  return sharp;
}

const RESVG_OPTIONS = {
  font: {
    fontFiles: [REGULAR_FONT_PATH, BOLD_FONT_PATH],
    loadSystemFonts: false,
    defaultFontFamily: FONT_FAMILY,
    sansSerifFamily: FONT_FAMILY,
  },
  fitTo: { mode: 'original' as const },
  logLevel: 'off' as const,
};

interface Pending {
  resolve(png: Buffer): void;
  reject(err: Error): void;
}

const PROCESS_EXPOSES_GC = typeof (globalThis as { gc?: unknown }).gc === 'function';

/**
 * The rasterising thread's nice value on Linux (the process runs at 0; 19 is the lowest priority):
 * production's heaviest work yields the CPU to the threads answering requests.
 */
export const RASTER_NICE = 10;

let thread: Worker | null = null;
let nextId = 0;
const pending = new Map<number, Pending>();

/** The rasterising thread, started at the first image; another is started if it ever dies. */
function rasterThread(): Worker {
  if (thread) return thread;
  // V8 flags are the process's: `gc` is installed in each context created while the flag is on, so
  // it is on only until this thread's context exists (it does once the thread is online), unless
  // the process was started with it.
  v8.setFlagsFromString('--expose-gc');
  const worker = startThread(new URL('./raster-thread.js', import.meta.url), {
    workerData: { options: RESVG_OPTIONS, nice: RASTER_NICE } satisfies RasterThreadData,
  });
  const stopExposing = () => PROCESS_EXPOSES_GC || v8.setFlagsFromString('--no-expose-gc');
  worker.once('online', stopExposing);
  worker.on('message', ({ id, png, error }: RasterAnswer) => {
    const waiter = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker.unref(); // an idle thread never keeps the process alive
    if (error !== undefined) waiter?.reject(new Error(`rasterising failed: ${error}`));
    else waiter?.resolve(Buffer.from(png!.buffer, png!.byteOffset, png!.byteLength));
  });
  const fail = (err: Error) => {
    stopExposing();
    if (thread === worker) thread = null;
    for (const waiter of pending.values()) waiter.reject(err);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the rasterising thread exited (${code})`)));
  thread = worker;
  return worker;
}

function renderPng(svg: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    const worker = rasterThread();
    if (pending.size === 0) worker.ref(); // while an image is awaited, as any pending I/O would
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, svg } satisfies RasterRequest);
  });
}

export interface Raster {
  png: Buffer;
  /** Present when asked for: the same pixels as a JPG (our drawings are opaque, so no flattening is needed). */
  jpg?: Buffer;
}

/** Renders the SVG once; the PNG and, when `jpg` is set, a JPG of the same pixels at a fixed quality. */
export async function rasterize(svg: string, opts: { jpg?: boolean } = {}): Promise<Raster> {
  const png = await renderPng(svg);
  if (!opts.jpg) return { png };
  const jpg = await (await loadedSharp())(png).removeAlpha().jpeg({ quality: 88, chromaSubsampling: '4:4:4', mozjpeg: false }).toBuffer();
  return { png, jpg };
}

export async function svgToPng(svg: string): Promise<Buffer> {
  return (await rasterize(svg)).png;
}
