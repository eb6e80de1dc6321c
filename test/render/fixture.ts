// The fixed model the render tests draw: three floors with a basement (so GLA exclusion shows).
import { generateModel } from '../../src/render/generate-model.js';
import type { FloorPlanModel, Point } from '../../src/render/model.js';
import type { DrawOptions } from '../../src/render/style.js';
import type { RenderInput } from '../../src/render/summary.js';

export const FIXTURE_MODEL: FloorPlanModel = generateModel('fixture-2', 2600);

export function fixtureInput(opts: Partial<DrawOptions> = {}, model: FloorPlanModel = FIXTURE_MODEL): RenderInput {
  return {
    model,
    opts: { template: 'default', units: 'metric', language: 'en', showDimensions: true, note: '', ...opts },
    property: { orderId: 'order-fixture', modelId: 'model-fixture', address: '521 Brightfield Road, Lutherville Timonium, MD 21093, United States' },
  };
}

/** Shoelace area, written here again so the tests do not check the renderer against itself. */
export function shoelace(poly: Point[]): number {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return Math.abs(s) / 2;
}

export const SQFT_PER_M2 = 10.763910416709722;

/** Every "12.34 m²" or "132.84 sq ft" figure in a text, as square metres. */
export function areasInText(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*(m²|sq ft)/g)) out.push(m[2] === 'm²' ? Number(m[1]) : Number(m[1]) / SQFT_PER_M2);
  return out;
}
