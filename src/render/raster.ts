// PNG and JPG from an SVG drawing: resvg rasterises with the bundled font only; sharp encodes JPG.
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import { BOLD_FONT_PATH, REGULAR_FONT_PATH } from './fonts.js';
import { FONT_FAMILY } from './svg.js';

export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: { fontFiles: [REGULAR_FONT_PATH, BOLD_FONT_PATH], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: 'original' },
    shapeRendering: 2,
    textRendering: 1,
  });
  return resvg.render().asPng();
}

/** A JPG of the PNG, flattened on white, at a fixed quality and without metadata. */
export async function pngToJpg(png: Buffer, quality = 88): Promise<Buffer> {
  return sharp(png).flatten({ background: '#ffffff' }).jpeg({ quality, chromaSubsampling: '4:4:4', mozjpeg: false }).toBuffer();
}
