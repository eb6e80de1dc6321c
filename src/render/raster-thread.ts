// The thread started by raster.ts: SVG in, PNG out, one image at a time, collecting garbage after
// each (see raster.ts for why). raster.ts exposes `gc` to this thread's context when it starts it.
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

export interface RasterThreadData {
  options: ResvgRenderOptions;
  /** This thread's nice value on Linux. */
  nice: number;
}

export interface RasterRequest {
  id: number;
  svg: string;
}

export type RasterAnswer = { id: number; png: Uint8Array; error?: undefined } | { id: number; png?: undefined; error: string };

const collect = (globalThis as { gc?: () => void }).gc;
// Without it every image's pixels would stay until a collection this small heap never needs.
if (!collect) throw new Error('the rasterising thread was started without gc exposed');

const port = parentPort!;
const { options, nice } = workerData as RasterThreadData;

// Rasterising is production's heaviest work, and no client is waiting on a connection for it: it
// yields the CPU to the threads answering requests (docs/performance.md, the mixed load). Linux
// keeps a nice value per thread, so this lowers this thread only (and what it starts); elsewhere it
// would lower the whole process, so it is left alone there. Should the system refuse, images are
// drawn at the process's priority.
if (process.platform === 'linux') {
  try {
    os.setPriority(nice);
  } catch {
    // drawn at the process's priority
  }
}

port.on('message', ({ id, svg }: RasterRequest) => {
  let answer: RasterAnswer;
  try {
    answer = { id, png: new Resvg(svg, options).render().asPng() };
  } catch (err) {
    answer = { id, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(answer);
  collect();
});
