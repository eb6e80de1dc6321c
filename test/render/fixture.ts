// The fixed model the render tests draw: three floors with a basement (so GLA exclusion shows).
import { generateModel } from '../../src/render/generate-model.js';
import type { FloorPlanModel, Point } from '../../src/render/model.js';
import type { DrawOptions } from '../../src/render/style.js';
import type { RenderInput } from '../../src/render/summary.js';

export const FIXTURE_MODEL: FloorPlanModel = generateModel('fixture-2', 2600, 3);

export function fixtureInput(opts: Partial<DrawOptions> = {}, model: FloorPlanModel = FIXTURE_MODEL): RenderInput {
  return {
    model,
    opts: { template: 'default', units: 'metric', language: 'en', showDimensions: true, note: '', ...opts },
    property: {
      orderId: 'order-fixture',
      modelId: 'model-fixture',
      address: '521 Brightfield Road, Lutherville Timonium, MD 21093, United States',
    },
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

/** Two rooms side by side in a 8 × 5 m outline, a door between them, a window, stairs to level 1. */
export function smallModel(): FloorPlanModel {
  return {
    version: 1,
    floors: [
      {
        level: 0,
        below_grade: false,
        height: 2.6,
        outline: [
          [0, 0],
          [8, 0],
          [8, 5],
          [0, 5],
        ],
        rooms: [
          {
            id: 'living',
            type: 'living_room',
            polygon: [
              [0, 0],
              [5, 0],
              [5, 5],
              [0, 5],
            ],
          },
          {
            id: 'kitchen',
            type: 'kitchen',
            name: 'Chef’s kitchen',
            polygon: [
              [5, 0],
              [8, 0],
              [8, 5],
              [5, 5],
            ],
          },
        ],
        walls: [
          { id: 'w-top', start: [0, 0], end: [8, 0], thickness: 0.3, exterior: true },
          { id: 'w-right', start: [8, 0], end: [8, 5], thickness: 0.3, exterior: true },
          { id: 'w-bottom', start: [8, 5], end: [0, 5], thickness: 0.3, exterior: true },
          { id: 'w-left', start: [0, 5], end: [0, 0], thickness: 0.3, exterior: true },
          { id: 'w-mid', start: [5, 0], end: [5, 5], thickness: 0.12, exterior: false },
        ],
        doors: [
          { id: 'd1', wall_id: 'w-mid', offset: 2.5, width: 0.8 },
          { id: 'd-entry', wall_id: 'w-bottom', offset: 6, width: 0.9 },
        ],
        windows: [{ id: 'win1', wall_id: 'w-top', offset: 2.5, width: 1.4 }],
        stairs: [
          {
            id: 's1',
            polygon: [
              [0.2, 0.2],
              [1.2, 0.2],
              [1.2, 3.0],
              [0.2, 3.0],
            ],
            to_level: 1,
          },
        ],
      },
      {
        level: 1,
        below_grade: false,
        height: 2.5,
        outline: [
          [0, 0],
          [8, 0],
          [8, 5],
          [0, 5],
        ],
        rooms: [
          {
            id: 'bed',
            type: 'bedroom',
            polygon: [
              [0, 0],
              [8, 0],
              [8, 5],
              [0, 5],
            ],
          },
        ],
        walls: [{ id: 'w1', start: [0, 0], end: [8, 0], thickness: 0.3, exterior: true }],
        doors: [],
        windows: [],
        stairs: [
          {
            id: 's1',
            polygon: [
              [0.2, 0.2],
              [1.2, 0.2],
              [1.2, 3.0],
              [0.2, 3.0],
            ],
            to_level: 0,
          },
        ],
      },
    ],
  };
}

/**
 * smallModel in version 2: a balcony outside the outline reached by a sliding door from the
 * kitchen, the kitchen door swinging out of the kitchen from its far hinge, a window with its own
 * sill and head, and fixtures in the kitchen, the living room and the bedroom.
 */
export function smallModelV2(): FloorPlanModel {
  const m = smallModel();
  m.version = 2;
  const [ground, upper] = m.floors as [FloorPlanModel['floors'][number], FloorPlanModel['floors'][number]];
  ground.rooms.push({
    id: 'balcony',
    type: 'balcony',
    polygon: [
      [4.5, -1.5],
      [7.5, -1.5],
      [7.5, 0],
      [4.5, 0],
    ],
  });
  ground.doors[0] = { ...ground.doors[0]!, room_id: 'kitchen', swing: 'out', hinge: 'end' };
  ground.doors.push({ id: 'd-bal', wall_id: 'w-top', offset: 6.5, width: 0.9, swing: 'sliding' });
  ground.windows[0] = { ...ground.windows[0]!, sill_height: 0.6, head_height: 2.2 };
  ground.fixtures = [
    { id: 'counter', type: 'kitchen_counter', room_id: 'kitchen', position: [7.7, 2.5], rotation: 90, width: 2.4, depth: 0.6 },
    { id: 'fridge', type: 'fridge', room_id: 'kitchen', position: [7.65, 4.35], rotation: 90, width: 0.6, depth: 0.7 },
    { id: 'fireplace', type: 'fireplace', room_id: 'living', position: [0.2, 4], rotation: 270, width: 1, depth: 0.4 },
  ];
  upper.fixtures = [{ id: 'wardrobe', type: 'wardrobe', room_id: 'bed', position: [4, 0.3], rotation: 0, width: 2, depth: 0.6 }];
  return m;
}
