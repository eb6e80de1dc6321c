import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateModel } from '../../src/render/generate-model.js';
import { pointAlong, pointStrictlyInside, polygonArea, wallFrame } from '../../src/render/geometry.js';
import { modelProblems } from '../../src/render/model-validation.js';
import type { Floor, Opening, Point } from '../../src/render/model.js';
import { SQFT_TO_M2 } from '../../src/render/units.js';

const CASES = Array.from({ length: 60 }, (_, i) => ({
  seed: `0b6c4c1e-0000-4000-8000-${String(i).padStart(12, '0')}`,
  sqft: [0, 450, 900, 1400, 2100, 3200, 4800, 7000][i % 8]!,
}));

/** The rooms on either side of an opening's wall (by probing just off its centre). */
function sidesOf(floor: Floor, opening: Opening): string[] {
  const wall = floor.walls.find((w) => w.id === opening.wall_id)!;
  const { normal } = wallFrame(wall);
  const c = pointAlong(wall, opening.offset);
  const probe = (s: number): Point => [c[0] + normal[0] * s, c[1] + normal[1] * s];
  return [probe(0.05), probe(-0.05)].map((p) => floor.rooms.find((r) => pointStrictlyInside(p, r.polygon))?.id ?? 'outside');
}

describe('generateModel', () => {
  it('makes valid models whose rooms tile each floor outline exactly', () => {
    for (const { seed, sqft } of CASES) {
      const model = generateModel(seed, sqft);
      assert.deepEqual(modelProblems(model), [], seed);
      assert.ok(model.floors.length >= 1 && model.floors.length <= 3, seed);
      for (const floor of model.floors) {
        const rooms = floor.rooms.reduce((s, r) => s + polygonArea(r.polygon), 0);
        assert.ok(
          Math.abs(rooms - polygonArea(floor.outline)) < 1e-6,
          `${seed} level ${floor.level}: rooms ${rooms} vs outline ${polygonArea(floor.outline)}`,
        );
        assert.ok(floor.rooms.length >= 2, seed);
      }
    }
  });

  it('is plausible for the scanned area (within 5 %, small homes on one floor)', () => {
    for (const { seed, sqft } of CASES.filter((c) => c.sqft > 0)) {
      const model = generateModel(seed, sqft);
      const total = model.floors.reduce((s, f) => s + polygonArea(f.outline), 0);
      const wanted = Math.max(30, sqft * SQFT_TO_M2);
      assert.ok(Math.abs(total - wanted) / wanted < 0.05 || (wanted < 60 && total < 70), `${seed}: ${total} m² for ${wanted} m²`);
      if (wanted < 90) assert.equal(model.floors.length, 1, seed);
    }
  });

  it('connects every room by doors, puts windows on exterior walls and one entrance on the ground floor', () => {
    for (const { seed, sqft } of CASES) {
      for (const floor of generateModel(seed, sqft).floors) {
        const edges = floor.doors.map((d) => sidesOf(floor, d));
        const entrances = edges.filter((e) => e.includes('outside'));
        assert.equal(entrances.length, floor.level === 0 ? 1 : 0, `${seed} level ${floor.level} entrances`);
        for (const e of edges) assert.notEqual(e[0], e[1], `${seed}: a door with the same room on both sides`);
        // Reachability from the hallway over interior doors.
        const reached = new Set([floor.rooms.find((r) => r.type === 'hallway')!.id]);
        for (let grew = true; grew;) {
          grew = false;
          for (const [a, b] of edges) {
            if (reached.has(a!) !== reached.has(b!) && a !== 'outside' && b !== 'outside') {
              reached.add(a!).add(b!);
              grew = true;
            }
          }
        }
        assert.equal(reached.size, floor.rooms.length, `${seed} level ${floor.level}: unreachable rooms`);
        for (const w of floor.windows) {
          assert.ok(sidesOf(floor, w).includes('outside'), `${seed}: window ${w.id} is not on an exterior wall`);
          assert.ok(floor.walls.find((x) => x.id === w.wall_id)!.exterior);
        }
      }
    }
  });

  it('joins stacked floors with stairs at the same place on both', () => {
    let multi = 0;
    for (const { seed, sqft } of CASES) {
      const model = generateModel(seed, sqft);
      const levels = model.floors.map((f) => f.level).sort((a, b) => a - b);
      for (let i = 0; i + 1 < levels.length; i++) {
        multi++;
        const lower = model.floors.find((f) => f.level === levels[i])!;
        const upper = model.floors.find((f) => f.level === levels[i + 1])!;
        const up = lower.stairs.find((s) => s.to_level === upper.level);
        const down = upper.stairs.find((s) => s.to_level === lower.level);
        assert.ok(up && down, `${seed}: stairs between ${lower.level} and ${upper.level}`);
        assert.deepEqual(up.polygon, down.polygon);
      }
      if (levels[0]! < 0) assert.ok(model.floors.find((f) => f.level < 0)!.below_grade);
    }
    assert.ok(multi > 10, 'the cases include houses with several floors');
  });

  it('gives the same model for the same order and another for another order', () => {
    assert.deepEqual(generateModel('order-a', 1800), generateModel('order-a', 1800));
    assert.notDeepEqual(generateModel('order-a', 1800), generateModel('order-b', 1800));
  });
});
