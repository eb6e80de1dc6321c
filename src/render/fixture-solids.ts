// What each fixture is made of in the 3D model: a few boxes and upright rounds (an ellipse set in a
// rectangle) of the fixture's own footprint, each of a named material: a toilet is a cistern and a
// round bowl, a stove a cabinet with a dark hob and four rings, a kitchen sink a counter with a
// steel basin and tap. Shapes are read off the plan symbol's proportions, not to any maker's size.
import { localToPage } from './geometry.js';
import type { MaterialKey } from './gltf-materials.js';
import type { Fixture, FixtureType, Point } from './model.js';

export interface FixturePart {
  shape: 'box' | 'round';
  material: MaterialKey;
  /** Across the fixture's width, 0 at its left and 1 at its right. */
  u: [number, number];
  /** From its back (against the wall) at 0 to its front at 1. */
  v: [number, number];
  /** Heights above the floor, metres. */
  y: [number, number];
}

const COUNTER = 0.86;
const WORKTOP = 0.9;

const part = (shape: FixturePart['shape'], material: MaterialKey, u: [number, number], v: [number, number], y: [number, number]) => ({
  shape,
  material,
  u,
  v,
  y,
});
const whole: [number, number] = [0, 1];
const counter = (body: MaterialKey): FixturePart[] => [
  part('box', body, whole, whole, [0, COUNTER]),
  part('box', 'worktop', whole, whole, [COUNTER, WORKTOP]),
];

const PARTS: Record<FixtureType, FixturePart[]> = {
  toilet: [part('box', 'porcelain', whole, [0, 0.28], [0, 0.8]), part('round', 'porcelain', [0.05, 0.95], [0.2, 1], [0, 0.42])],
  sink: [
    part('box', 'cabinet', whole, [0, 0.95], [0, 0.8]),
    part('box', 'porcelain', whole, whole, [0.8, 0.86]),
    part('round', 'steel', [0.45, 0.55], [0.05, 0.2], [0.86, 1.0]),
  ],
  bathtub: [part('box', 'porcelain', whole, whole, [0, 0.55]), part('round', 'steel', [0.02, 0.07], [0.45, 0.55], [0.55, 0.68])],
  shower: [part('box', 'porcelain', whole, whole, [0, 0.05]), part('box', 'glass', whole, [0.97, 1], [0.05, 2.0])],
  kitchen_counter: counter('cabinet'),
  kitchen_sink: [
    ...counter('cabinet'),
    part('box', 'steel', [0.15, 0.85], [0.2, 0.85], [WORKTOP, WORKTOP + 0.005]),
    part('round', 'steel', [0.47, 0.53], [0.05, 0.15], [WORKTOP, WORKTOP + 0.25]),
  ],
  stove: [
    part('box', 'appliance', whole, whole, [0, COUNTER]),
    part('box', 'applianceDark', whole, whole, [COUNTER, WORKTOP]),
    ...[
      [0.12, 0.42],
      [0.58, 0.88],
    ].flatMap(([u0, u1]) =>
      [
        [0.12, 0.45],
        [0.55, 0.88],
      ].map(([v0, v1]) => part('round', 'steel', [u0!, u1!], [v0!, v1!], [WORKTOP, WORKTOP + 0.01])),
    ),
  ],
  fridge: [part('box', 'steel', whole, whole, [0, 1.85])],
  dishwasher: counter('appliance'),
  washer: [part('box', 'appliance', whole, whole, [0, 0.85])],
  dryer: [part('box', 'appliance', whole, whole, [0, 0.85])],
  fireplace: [part('box', 'stone', whole, whole, [0, 1.0]), part('box', 'applianceDark', [0.25, 0.75], [0.9, 1.03], [0.1, 0.6])],
  wardrobe: [part('box', 'cabinet', whole, whole, [0, 2.0])],
};

export interface PlacedPart {
  material: MaterialKey;
  /** The part's plan outline: its rectangle, or the ellipse set in it (16 sides). */
  outline: Point[];
  y: [number, number];
}

const ROUND_SIDES = 16;

/** The parts of a fixture on the plan; none rises above `ceiling`. */
export function fixtureParts(f: Fixture, ceiling: number): PlacedPart[] {
  const top = ceiling - 0.02;
  const at = (u: number, v: number) => localToPage(f.position, f.rotation, [(u - 0.5) * f.width, (v - 0.5) * f.depth]);
  return PARTS[f.type].flatMap((p) => {
    const y: [number, number] = [Math.min(p.y[0], top), Math.min(p.y[1], top)];
    if (y[1] - y[0] < 1e-6) return [];
    const [u0, u1] = p.u;
    const [v0, v1] = p.v;
    const outline =
      p.shape === 'box'
        ? [at(u0, v0), at(u1, v0), at(u1, v1), at(u0, v1)]
        : Array.from({ length: ROUND_SIDES }, (_, i) => {
            const t = (i / ROUND_SIDES) * 2 * Math.PI;
            return at((u0 + u1) / 2 + ((u1 - u0) / 2) * Math.cos(t), (v0 + v1) / 2 + ((v1 - v0) / 2) * Math.sin(t));
          });
    return [{ material: p.material, outline, y }];
  });
}
