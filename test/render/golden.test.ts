// Golden images: the PNG of a fixed model in each style, compared pixel by pixel (small tolerance
// for anti-aliasing differences) with the committed image. `UPDATE_GOLDEN=1` rewrites them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { svgToPng } from '../../src/render/raster.js';
import { STYLE_TEMPLATES } from '../../src/render/style.js';
import { floorSvg } from '../../src/render/svg.js';
import { generateModel } from '../../src/render/generate-model.js';
import { FIXTURE_MODEL, fixtureInput } from './fixture.js';

const GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');
/** A pixel differs when a channel moves by more than this; at most MAX_DIFFERING of them may. */
const CHANNEL_TOLERANCE = 24;
const MAX_DIFFERING = 0.002;

async function pixels(png: Buffer) {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Compares the PNG with the committed `name`.png (written first when missing or with UPDATE_GOLDEN=1). */
async function assertMatchesGolden(png: Buffer, name: string): Promise<void> {
  const file = path.join(GOLDEN_DIR, `${name}.png`);
  if (process.env.UPDATE_GOLDEN === '1' || !fs.existsSync(file)) {
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, png);
    if (process.env.UPDATE_GOLDEN !== '1') assert.fail(`no golden image for ${name}: written, commit it`);
  }
  const [got, want] = await Promise.all([pixels(png), pixels(fs.readFileSync(file))]);
  assert.deepEqual([got.width, got.height], [want.width, want.height]);
  let differing = 0;
  for (let i = 0; i < got.data.length; i += 3) {
    if (
      Math.max(
        Math.abs(got.data[i]! - want.data[i]!),
        Math.abs(got.data[i + 1]! - want.data[i + 1]!),
        Math.abs(got.data[i + 2]! - want.data[i + 2]!),
      ) > CHANNEL_TOLERANCE
    )
      differing++;
  }
  const share = differing / (got.width * got.height);
  assert.ok(share <= MAX_DIFFERING, `${name}: ${(share * 100).toFixed(3)} % of pixels differ from ${path.relative(process.cwd(), file)}`);
}

// Homes of other sizes and shapes from fixed orders, in the default style: a studio, the upper
// floor of a family house, a large one-floor home.
const FIXED_ORDERS = [
  { name: 'order-studio', id: 'golden-studio', sqft: 450, floors: 1, level: 0 },
  { name: 'order-family-upstairs', id: 'golden-family', sqft: 1800, floors: 2, level: 1 },
  { name: 'order-large-one-floor', id: 'golden-large', sqft: 3600, floors: 1, level: 0 },
];

describe('golden floor-plan images', () => {
  const ground = FIXTURE_MODEL.floors.find((f) => f.level === 0)!;
  for (const template of STYLE_TEMPLATES) {
    it(`${template} looks as committed`, async () => {
      const opts = fixtureInput({
        template,
        units: template === 'classic' ? 'imperial' : 'metric',
        language: template === 'blueprint' ? 'de' : 'en',
      }).opts;
      await assertMatchesGolden(await svgToPng(floorSvg(FIXTURE_MODEL, ground, opts, true)), template);
    });
  }

  for (const order of FIXED_ORDERS) {
    it(`${order.name} looks as committed`, async () => {
      const model = generateModel(order.id, order.sqft, order.floors);
      const floor = model.floors.find((f) => f.level === order.level)!;
      const { opts } = fixtureInput({ units: 'metric', language: 'en' }, model);
      await assertMatchesGolden(await svgToPng(floorSvg(model, floor, opts, true)), order.name);
    });
  }

  it('tells the styles apart (a style regression cannot pass as another style)', async () => {
    const shots = await Promise.all(STYLE_TEMPLATES.map((t) => pixels(fs.readFileSync(path.join(GOLDEN_DIR, `${t}.png`)))));
    for (let a = 0; a < shots.length; a++) {
      for (let b = a + 1; b < shots.length; b++)
        assert.ok(!shots[a]!.data.equals(shots[b]!.data), `${STYLE_TEMPLATES[a]} and ${STYLE_TEMPLATES[b]} look the same`);
    }
  });
});
