// PNG and JPG from an SVG drawing: resvg rasterises (off the main thread) with the bundled font
// only; sharp turns that PNG into the JPG (libvips decodes and encodes it in strips, where copying
// resvg's pixels out took another 8 MB per image until the next collection). At most
// RASTER_CONCURRENCY images are in flight at once, which bounds memory (each 1600×1200 image is
// about 8 MB of pixels) while PDFs are drawn on the main thread.
//
// resvg-js 2.6 keeps each image's pixels in native memory that V8 does not account for, so a
// small JS heap never triggers the collection that frees them and RSS grows by ~8 MB per image
// (thx/resvg-js#216, fixed upstream only in a 2.7 alpha). We therefore ask V8 for a collection
// after every few images; `--expose-gc` is switched on at run time for that one function.
import v8 from 'node:v8';
import vm from 'node:vm';
import { renderAsync } from '@resvg/resvg-js';
import sharp from 'sharp';
import { BOLD_FONT_PATH, REGULAR_FONT_PATH } from './fonts.js';
import { FONT_FAMILY } from './svg.js';

const RASTER_CONCURRENCY = 2;
const COLLECT_EVERY = 4;
// One libvips thread per JPG: our images are small, and each extra thread keeps its own malloc
// arena (tens of MB of RSS on glibc) for little speed.
sharp.cache(false);
sharp.concurrency(1);

function exposeGc(): (() => void) | null {
  if (typeof globalThis.gc === 'function') return globalThis.gc as () => void;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
}
const collect = exposeGc();
let sinceCollect = 0;

/** A cheap young-generation collection after each image (the image objects are young), a full one now and then. */
function release(): void {
  const major = ++sinceCollect >= COLLECT_EVERY;
  if (major) sinceCollect = 0;
  setImmediate(() => (collect as ((o?: { type: string }) => void) | null)?.(major ? undefined : { type: 'minor' }));
}

let running = 0;
const waiting: (() => void)[] = [];

async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= RASTER_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const RESVG_OPTIONS = {
  font: { fontFiles: [REGULAR_FONT_PATH, BOLD_FONT_PATH], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  fitTo: { mode: 'original' as const },
  logLevel: 'off' as const,
};

export interface Raster {
  png: Buffer;
  /** Present when asked for: the same pixels as a JPG (our drawings are opaque, so no flattening is needed). */
  jpg?: Buffer;
}

/** Renders the SVG once; the PNG and, when `jpg` is set, a JPG of the same pixels at a fixed quality. */
export function rasterize(svg: string, opts: { jpg?: boolean } = {}): Promise<Raster> {
  return withSlot(async () => {
    const image = await renderAsync(svg, RESVG_OPTIONS);
    const png = image.asPng();
    const jpg = opts.jpg
      ? await sharp(png)
          .removeAlpha()
          .jpeg({ quality: 88, chromaSubsampling: '4:4:4', mozjpeg: false })
          .toBuffer()
      : undefined;
    release();
    return jpg ? { png, jpg } : { png };
  });
}

export async function svgToPng(svg: string): Promise<Buffer> {
  return (await rasterize(svg)).png;
}
