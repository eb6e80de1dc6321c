// The merged floor-plan PDF: one landscape page per floor, the SVG drawing placed as vectors.
import { floorsInOrder } from './model.js';
import { A4_LANDSCAPE, addPage, drawSvg, newPdf, pdfBuffer } from './pdf.js';
import type { RenderInput } from './summary.js';
import { floorSvg } from './svg.js';
import { term } from './labels.js';

export function drawFloorPlanPages(doc: PDFKit.PDFDocument, input: RenderInput, dimensions: boolean): void {
  for (const floor of floorsInOrder(input.model)) {
    const box = addPage(doc, A4_LANDSCAPE);
    drawSvg(doc, floorSvg(input.model, floor, input.opts, dimensions), box);
  }
}

export async function floorPlansPdf(input: RenderInput, dimensions: boolean): Promise<Buffer> {
  const doc = await newPdf(`${term('floorPlan', input.opts.language)} – ${input.property.address}`);
  drawFloorPlanPages(doc, input, dimensions);
  return pdfBuffer(doc);
}
