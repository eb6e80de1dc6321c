// The home report: key figures, a room table per floor with areas, then each floor's drawing.
import { floorName, roomLabel, term } from './labels.js';
import { floorsInOrder } from './model.js';
import { A4_PORTRAIT, addPage, drawSvg, newPdf, pdfBuffer } from './pdf.js';
import { ReportWriter } from './report-layout.js';
import { summarize, type RenderInput } from './summary.js';
import { floorSvg } from './svg.js';
import { formatArea, formatLength } from './units.js';

export function drawHomeReport(doc: PDFKit.PDFDocument, input: RenderInput): void {
  const { opts } = input;
  const lang = opts.language;
  const s = summarize(input.model);
  const w = new ReportWriter(doc);
  w.page();
  w.title(term('homeReport', lang), input.property.address);
  w.paragraph(opts.note);
  w.facts([
    [term('totalArea', lang), formatArea(s.totalM2, opts.units)],
    [term('gla', lang), formatArea(s.glaM2, opts.units)],
    [term('floors', lang), String(s.floors.length)],
    [term('rooms', lang), String(s.rooms)],
    [term('bedrooms', lang), String(s.bedrooms)],
    [term('bathrooms', lang), String(s.bathrooms)],
  ]);
  for (const floor of s.floors) {
    w.heading(`${floorName(floor.level, lang)} · ${formatArea(floor.areaM2, opts.units)}`);
    const rows = floor.rooms.map((r) => [
      roomLabel(r, lang),
      `${formatLength(r.widthM, opts.units)} × ${formatLength(r.depthM, opts.units)}`,
      formatArea(r.areaM2, opts.units),
    ]);
    w.table([term('room', lang), '', term('area', lang)], rows, [0.5, 0.28, 0.22]);
  }
  for (const floor of floorsInOrder(input.model)) {
    const box = addPage(doc, A4_PORTRAIT);
    drawSvg(doc, floorSvg(input.model, floor, opts, opts.showDimensions), box);
  }
}

export async function homeReportPdf(input: RenderInput): Promise<Buffer> {
  const doc = await newPdf(`${term('homeReport', input.opts.language)} – ${input.property.address}`);
  drawHomeReport(doc, input);
  return pdfBuffer(doc);
}
