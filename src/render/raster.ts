// PNG and JPG from an SVG drawing: resvg rasterises with the bundled font only; sharp turns that
// PNG into the JPG (libvips decodes and encodes it in strips). In the server this runs on the
// render thread (renderer.ts), one image at a time.
//
// resvg-js 2.6 keeps each image's pixels until V8 collects the image object (thx/resvg-js#216),
// memory V8 does not count, so nothing would trigger that collection: where `gc` is exposed (the
// render thread) a young-generation collection follows every image, which frees it while it is
// young, at a fraction of a full collection's cost on the render thread's heap (docs/performance.md).
import { Resvg } from '@resvg/resvg-js';
import { BOLD_FONT_PATH, REGULAR_FONT_PATH } from './fonts.js';
import { loadedSharp } from './sharp.js';
import { FONT_FAMILY } from './svg.js';

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

const collect = (globalThis as { gc?: (options: { type: 'minor' | 'major' }) => void }).gc;

export interface Raster {
  png: Buffer;
  /** Present when asked for: the same pixels as a JPG (our drawings are opaque, so no flattening is needed). */
  jpg?: Buffer;
}

/** Renders the SVG once; the PNG and, when `jpg` is set, a JPG of the same pixels at a fixed quality. */
export async function rasterize(svg: string, opts: { jpg?: boolean } = {}): Promise<Raster> {
  const png = new Resvg(svg, RESVG_OPTIONS).render().asPng();
  collect?.({ type: 'minor' });
  if (!opts.jpg) return { png };
  const jpg = await (await loadedSharp())(png).removeAlpha().jpeg({ quality: 88, chromaSubsampling: '4:4:4', mozjpeg: false }).toBuffer();
  return { png, jpg };
}

export async function svgToPng(svg: string): Promise<Buffer> {
  return (await rasterize(svg)).png;
}
