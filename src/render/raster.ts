// PNG and JPG from an SVG drawing: resvg rasterises (off the main thread) with the bundled font
// only; sharp encodes JPG. At most RASTER_CONCURRENCY images are in flight at once, which bounds
// memory (each 1600×1200 image is about 8 MB of pixels) while PDFs are drawn on the main thread.
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
sharp.cache(false);

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

export function svgToPng(svg: string): Promise<Buffer> {
  return withSlot(async () => {
    const image = await renderAsync(svg, {
      font: { fontFiles: [REGULAR_FONT_PATH, BOLD_FONT_PATH], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
      fitTo: { mode: 'original' },
      logLevel: 'off',
    });
    const png = image.asPng();
    if (++sinceCollect >= COLLECT_EVERY) {
      sinceCollect = 0;
      setImmediate(() => collect?.());
    }
    return png;
  });
}

/** A JPG of the PNG, flattened on white, at a fixed quality and without metadata. */
export function pngToJpg(png: Buffer, quality = 88): Promise<Buffer> {
  return withSlot(() => sharp(png).flatten({ background: '#ffffff' }).jpeg({ quality, chromaSubsampling: '4:4:4', mozjpeg: false }).toBuffer());
}
