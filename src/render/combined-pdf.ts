// The combined PDF: every floor plan page, then the reports the order bought, in one document.
import { drawFloorPlanPages } from './floorplan-pdf.js';
import { drawGla } from './gla.js';
import { drawHomeReport } from './home-report.js';
import { term } from './labels.js';
import { newPdf, pdfBuffer } from './pdf.js';
import { drawSnapshot } from './snapshot.js';
import type { RenderInput } from './summary.js';

export interface CombinedParts {
  homeReport: boolean;
  snapshot: boolean;
  gla: boolean;
}

export async function combinedPdf(input: RenderInput, parts: CombinedParts): Promise<Buffer> {
  const doc = await newPdf(`${term('floorPlan', input.opts.language)} – ${input.property.address}`);
  drawFloorPlanPages(doc, input, input.opts.showDimensions);
  if (parts.homeReport) drawHomeReport(doc, input);
  if (parts.snapshot) drawSnapshot(doc, input);
  if (parts.gla) drawGla(doc, input);
  return pdfBuffer(doc);
}
