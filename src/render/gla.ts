// The GLA package: gross living area per floor in the ANSI Z765 manner (finished area above grade;
// below-grade floors are listed but excluded), as JSON and as a PDF with a sketch of each floor.
import { floorName, term } from './labels.js';
import { floorsInOrder } from './model.js';
import { A4_PORTRAIT, addPage, drawSvg, newPdf, pdfBuffer } from './pdf.js';
import { ReportWriter } from './report-layout.js';
import { summarize, type RenderInput } from './summary.js';
import { floorSvg } from './svg.js';
import { formatArea, squareFeet } from './units.js';
import { round } from './geometry.js';

export const GLA_SCHEMA_ID = 'https://casa-integrate.dev/schemas/gla-package/v1';

export interface GlaPackage {
  $schema: string;
  order_id: string;
  model_id: string;
  address: string;
  standard: 'ANSI Z765-2021 (approximation)';
  floors: { level: number; name: string; below_grade: boolean; included_in_gla: boolean; area_m2: number; area_sqft: number }[];
  gla_m2: number;
  gla_sqft: number;
  excluded_below_grade_m2: number;
  excluded_below_grade_sqft: number;
  total_m2: number;
  total_sqft: number;
}

export function glaPackage(input: RenderInput): GlaPackage {
  const s = summarize(input.model);
  return {
    $schema: GLA_SCHEMA_ID,
    order_id: input.property.orderId,
    model_id: input.property.modelId,
    address: input.property.address,
    standard: 'ANSI Z765-2021 (approximation)',
    floors: s.floors.map((f) => ({
      level: f.level,
      name: floorName(f.level, input.opts.language),
      below_grade: f.belowGrade,
      included_in_gla: !f.belowGrade,
      area_m2: round(f.areaM2),
      area_sqft: round(squareFeet(f.areaM2)),
    })),
    gla_m2: round(s.glaM2),
    gla_sqft: round(squareFeet(s.glaM2)),
    excluded_below_grade_m2: round(s.belowGradeM2),
    excluded_below_grade_sqft: round(squareFeet(s.belowGradeM2)),
    total_m2: round(s.totalM2),
    total_sqft: round(squareFeet(s.totalM2)),
  };
}

export function glaJson(input: RenderInput): Buffer {
  return Buffer.from(`${JSON.stringify(glaPackage(input), null, 2)}\n`);
}

export function drawGla(doc: PDFKit.PDFDocument, input: RenderInput): void {
  const { opts } = input;
  const lang = opts.language;
  const s = summarize(input.model);
  const w = new ReportWriter(doc);
  w.page();
  w.title(term('gla', lang), input.property.address);
  w.facts([
    [term('gla', lang), formatArea(s.glaM2, opts.units)],
    [term('belowGrade', lang), formatArea(s.belowGradeM2, opts.units)],
  ]);
  const rows = s.floors.map((f) => [
    floorName(f.level, lang),
    f.belowGrade ? term('belowGrade', lang) : term('included', lang),
    formatArea(f.areaM2, opts.units),
  ]);
  rows.push([term('gla', lang), '', formatArea(s.glaM2, opts.units)]);
  w.table([term('floor', lang), '', term('area', lang)], rows, [0.4, 0.35, 0.25], true);
  w.paragraph(
    'ANSI Z765-2021: gross living area is the finished area above grade; below-grade floors are reported separately and excluded.',
  );
  for (const floor of floorsInOrder(input.model).filter((f) => !f.below_grade)) {
    const box = addPage(doc, A4_PORTRAIT);
    drawSvg(doc, floorSvg(input.model, floor, opts, true), box);
  }
}

export async function glaPdf(input: RenderInput): Promise<Buffer> {
  const doc = await newPdf(`${term('gla', input.opts.language)} – ${input.property.address}`);
  drawGla(doc, input);
  return pdfBuffer(doc);
}
