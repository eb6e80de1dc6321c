// The snapshot: one page with the key figures and every floor, as an image (JPG) and a PDF page.
import { floorName, term } from './labels.js';
import { floorsInOrder } from './model.js';
import { A4_PORTRAIT, addPage, drawSvg, newPdf, pdfBuffer } from './pdf.js';
import { rasterize } from './raster.js';
import { PALETTES } from './style.js';
import { summarize, type RenderInput } from './summary.js';
import { FONT_FAMILY, escapeXml, floorArea, floorPlanElements, planFrame } from './svg.js';
import { formatArea } from './units.js';

export const SNAPSHOT_WIDTH = 1240;
export const SNAPSHOT_HEIGHT = 1754;

export function snapshotSvg(input: RenderInput): string {
  const { opts, model } = input;
  const lang = opts.language;
  const palette = PALETTES[opts.template];
  const s = summarize(model);
  const facts: [string, string][] = [
    [term('totalArea', lang), formatArea(s.totalM2, opts.units, 1)],
    [term('bedrooms', lang), String(s.bedrooms)],
    [term('bathrooms', lang), String(s.bathrooms)],
    [term('floors', lang), String(s.floors.length)],
  ];
  const factWidth = (SNAPSHOT_WIDTH - 100) / facts.length;
  const factsSvg = facts
    .map(
      ([label, value], i) =>
        `<g class="fact"><text x="${50 + i * factWidth}" y="250" font-size="22" fill="${palette.area}">${escapeXml(label)}</text>` +
        `<text x="${50 + i * factWidth}" y="292" font-size="34" font-weight="bold" fill="${palette.title}">${escapeXml(value)}</text></g>`,
    )
    .join('');
  const floors = floorsInOrder(model);
  const top = 340;
  const slot = (SNAPSHOT_HEIGHT - top - 40) / floors.length;
  const floorsSvg = floors
    .map((floor, i) => {
      const y = top + i * slot;
      const frame = planFrame(model, floor, { x: 50, y: y + 40, width: SNAPSHOT_WIDTH - 100, height: slot - 50 });
      return (
        `<g class="snapshot-floor" data-level="${floor.level}">` +
        `<text x="50" y="${(y + 28).toFixed(2)}" font-size="24" font-weight="bold" fill="${palette.title}">${escapeXml(`${floorName(floor.level, lang)} · ${formatArea(floorArea(floor), opts.units, 1)}`)}</text>` +
        floorPlanElements(floor, frame, opts, opts.showDimensions) +
        `</g>`
      );
    })
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SNAPSHOT_WIDTH}" height="${SNAPSHOT_HEIGHT}" viewBox="0 0 ${SNAPSHOT_WIDTH} ${SNAPSHOT_HEIGHT}" font-family="${FONT_FAMILY}">` +
    `<rect x="0" y="0" width="${SNAPSHOT_WIDTH}" height="${SNAPSHOT_HEIGHT}" fill="${palette.background}"/>` +
    `<text x="50" y="100" font-size="48" font-weight="bold" fill="${palette.title}">${escapeXml(term('snapshot', lang))}</text>` +
    `<text x="50" y="150" font-size="24" fill="${palette.area}">${escapeXml(input.property.address)}</text>` +
    (opts.note ? `<text x="50" y="190" font-size="20" fill="${palette.area}">${escapeXml(opts.note.slice(0, 120))}</text>` : '') +
    factsSvg +
    floorsSvg +
    `</svg>\n`
  );
}

export async function snapshotJpg(input: RenderInput): Promise<Buffer> {
  return (await rasterize(snapshotSvg(input), { jpg: true })).jpg!;
}

export function drawSnapshot(doc: PDFKit.PDFDocument, input: RenderInput): void {
  const box = addPage(doc, A4_PORTRAIT);
  drawSvg(doc, snapshotSvg(input), box);
}

export async function snapshotPdf(input: RenderInput): Promise<Buffer> {
  const doc = await newPdf(`${term('snapshot', input.opts.language)} – ${input.property.address}`);
  drawSnapshot(doc, input);
  return pdfBuffer(doc);
}
