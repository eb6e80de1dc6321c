// The generator's rules held as properties over many order ids, areas and floor counts: valid
// version 2 models whose rooms add up to the scanned area, a programme that grows with the area in
// believable sizes, every room reachable from the entrance, windows where people live, floors that
// differ, stairs that line up, fixtures where they belong, and nothing overlapping anything.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { generateModel } from '../../src/render/generate-model.js';
import { boundingBox, pointInsideOrOn, pointStrictlyInside, polygonArea } from '../../src/render/geometry.js';
import { modelProblems } from '../../src/render/model-validation.js';
import type { Fixture, Floor, FloorPlanModel, Point, RoomType } from '../../src/render/model.js';
import { EXTERIOR, placedDoors, type PlacedDoor } from '../../src/render/openings.js';
import { SQFT_TO_M2 } from '../../src/render/units.js';

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
const boxOf = (poly: Point[]): Box => {
  const b = boundingBox(poly);
  return { x0: b.minX, y0: b.minY, x1: b.maxX, y1: b.maxY };
};
const overlap = (a: Box, b: Box, tol = 1e-3) => a.x0 < b.x1 - tol && b.x0 < a.x1 - tol && a.y0 < b.y1 - tol && b.y0 < a.y1 - tol;

/** The square a hinged leaf sweeps, from how the renderers read the door. */
function swingBox(d: PlacedDoor): Box {
  const w = d.door.width;
  const pts: Point[] = [
    d.hinge,
    d.jamb,
    [d.hinge[0] + d.toward[0] * w, d.hinge[1] + d.toward[1] * w],
    [d.jamb[0] + d.toward[0] * w, d.jamb[1] + d.toward[1] * w],
  ];
  return boxOf(pts);
}

/** A fixture's rectangle (rotations are quarter turns). */
function fixtureBox(f: Fixture): Box {
  const turned = Math.round(f.rotation / 90) % 2 !== 0;
  const w = turned ? f.depth : f.width;
  const d = turned ? f.width : f.depth;
  return { x0: f.position[0] - w / 2, y0: f.position[1] - d / 2, x1: f.position[0] + w / 2, y1: f.position[1] + d / 2 };
}

const typeOf = (floor: Floor, id: string): RoomType | 'exterior' => floor.rooms.find((r) => r.id === id)?.type ?? 'exterior';
const roomArea = (floor: Floor, type: RoomType) => floor.rooms.filter((r) => r.type === type).map((r) => polygonArea(r.polygon));
const count = (model: FloorPlanModel, type: RoomType) =>
  model.floors.reduce((s, f) => s + f.rooms.filter((r) => r.type === type).length, 0);
const HABITABLE: RoomType[] = ['living_room', 'kitchen', 'dining_room', 'bedroom', 'office', 'recreation_room'];

/** Order ids, areas (ft², the ranges production sees) and, sometimes, a floor count. */
const inputs = fc.record({
  seed: fc.uuid(),
  sqft: fc.integer({ min: 330, max: 5000 }),
  floors: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
});
const RUNS = { numRuns: Number(process.env.GENERATOR_RUNS ?? 100), seed: 1805, endOnFailure: true, includeErrorInReport: true };
const property = (check: (model: FloorPlanModel, input: { seed: string; sqft: number; floors: number | undefined }) => void) =>
  fc.assert(
    fc.property(inputs, (input) => {
      try {
        check(generateModel(input.seed, input.sqft, input.floors), input);
      } catch (e) {
        // fast-check names the input; the assertion names the rule.
        throw new Error(`${JSON.stringify(input)}: ${(e as Error).message.split('\n')[0]}`, { cause: e });
      }
    }),
    RUNS,
  );

describe('generateModel: the home', () => {
  it('is a valid version 2 model, the same for the same inputs and another for another order', () => {
    property((model, { seed, sqft, floors }) => {
      assert.equal(model.version, 2);
      assert.deepEqual(modelProblems(model), []);
      // A floor count the area cannot furnish (75 m² a floor) is lowered.
      if (floors !== undefined) assert.equal(model.floors.length, Math.max(1, Math.min(floors, Math.floor((sqft * SQFT_TO_M2) / 75))));
      assert.ok(model.floors.length >= 1 && model.floors.length <= 4);
      assert.deepEqual(generateModel(seed, sqft, floors), model);
    });
    assert.notDeepEqual(generateModel('order-a', 1800), generateModel('order-b', 1800));
  });

  it('has rooms that tile every floor and add up to within 8 % of the scanned area', () => {
    property((model, { sqft }) => {
      let rooms = 0;
      for (const floor of model.floors) {
        const sum = floor.rooms.reduce((s, r) => s + polygonArea(r.polygon), 0);
        assert.ok(Math.abs(sum - polygonArea(floor.outline)) < 1e-6, `level ${floor.level}: ${sum} vs ${polygonArea(floor.outline)}`);
        rooms += sum;
      }
      const wanted = Math.max(30, sqft * SQFT_TO_M2);
      assert.ok(Math.abs(rooms - wanted) / wanted <= 0.08, `${rooms.toFixed(1)} m² for ${wanted.toFixed(1)} m²`);
    });
  });

  it('comes in rectangle, L, T, U and stepped footprints', () => {
    const corners = new Set<number>();
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const outline = generateModel(`shape-${i}`, 2600, 1).floors[0]!.outline;
      corners.add(outline.length);
      const box = boxOf(outline);
      // Which corners of the box are cut away tells the shape's family.
      const cut = ([x, y]: Point) => !outline.some((p) => Math.abs(p[0] - x) < 1e-6 && Math.abs(p[1] - y) < 1e-6);
      const cuts = [
        [box.x0, box.y0],
        [box.x1, box.y0],
        [box.x1, box.y1],
        [box.x0, box.y1],
      ].map((p) => cut(p as Point));
      const n = cuts.filter(Boolean).length;
      seen.add(n === 0 ? (outline.length === 4 ? 'rectangle' : 'U') : n === 1 ? 'L' : cuts[0] && cuts[1] ? 'T' : 'stepped');
    }
    assert.deepEqual([...seen].sort(), ['L', 'T', 'U', 'rectangle', 'stepped']);
  });

  it('grows its programme with the area: studio to five bedrooms, a bathroom per two, a WC in larger homes', () => {
    property((model, { sqft }) => {
      const m2 = Math.max(30, sqft * SQFT_TO_M2);
      const bedrooms = count(model, 'bedroom');
      const expected = m2 < 40 ? 0 : m2 < 60 ? 1 : m2 < 85 ? 2 : m2 < 120 ? 3 : m2 < 170 ? 4 : 5;
      assert.equal(bedrooms, expected, `${m2.toFixed(0)} m²`);
      assert.ok(count(model, 'bathroom') >= Math.max(1, Math.ceil(bedrooms / 2)));
      assert.equal(count(model, 'toilet') > 0, m2 >= 100);
      assert.equal(count(model, 'living_room'), 1);
      assert.equal(count(model, 'kitchen'), 1);
      if (m2 >= 90) assert.ok(count(model, 'closet') > 0, 'closets');
      if (m2 >= 70) assert.ok(count(model, 'laundry') + count(model, 'utility') > 0, 'laundry or utility');
      if (m2 >= 45) assert.equal(count(model, 'entrance'), 1, 'an entrance');
    });
    const open = (model: FloorPlanModel) =>
      model.floors.some((f) =>
        placedDoors(f).some(
          (d) =>
            d.swing === 'none' &&
            d.joins
              .map((j) => typeOf(f, j))
              .sort()
              .join() === 'kitchen,living_room',
        ),
      );
    const homes = Array.from({ length: 30 }, (_, i) => generateModel(`kitchen-${i}`, 1500));
    assert.ok(homes.some(open) && homes.some((h) => !open(h)), 'some kitchens open to the living room, some closed');
  });

  it('keeps rooms in believable sizes (homes from 90 m²)', () => {
    const ranges: Partial<Record<RoomType, [number, number]>> = {
      bathroom: [3, 10],
      toilet: [1, 3],
      bedroom: [7, 20],
      kitchen: [5, 20],
      living_room: [15, 45],
      closet: [1, 6],
    };
    property((model, { sqft }) => {
      // Smaller homes squeeze their rooms toward (and sometimes under) the smallest sizes.
      if (sqft * SQFT_TO_M2 < 90) return;
      for (const floor of model.floors) {
        for (const [type, [lo, hi]] of Object.entries(ranges) as [RoomType, [number, number]][]) {
          for (const a of roomArea(floor, type)) assert.ok(a >= lo - 0.05 && a <= hi + 0.05, `${type} of ${a.toFixed(2)} m²`);
        }
      }
    });
  });

  it('has at most one living room and one dining room on a floor', () => {
    property((model) => {
      for (const floor of model.floors) {
        for (const type of ['living_room', 'dining_room'] as const)
          assert.ok(roomArea(floor, type).length <= 1, `level ${floor.level}: ${roomArea(floor, type).length} of ${type}`);
      }
    });
  });

  it('reaches every room from the entrance through doors, and no bedroom only through a bathroom', () => {
    property((model) => {
      for (const floor of model.floors) {
        const links = placedDoors(floor).map((d) => d.joins);
        const front = links.filter((j) => j.includes(EXTERIOR));
        assert.equal(front.length, floor.level === 0 ? 1 : 0, `level ${floor.level}: front doors`);
        for (const [a, b] of links) assert.notEqual(a, b);
        // From the front door on the entrance level, from the stairs elsewhere.
        const start =
          floor.level === 0
            ? front[0]!.find((j) => j !== EXTERIOR)!
            : floor.rooms.find((r) => floor.stairs.some((s) => s.polygon.every((p) => pointInsideOrOn(p, r.polygon))))!.id;
        if (floor.level === 0) assert.ok(['entrance', 'hallway', 'living_room'].includes(typeOf(floor, start) as string));
        const walk = (through: (id: string) => boolean) => {
          const seen = new Set([start]);
          for (let grew = true; grew;) {
            grew = false;
            for (const [a, b] of links) {
              for (const [from, to] of [
                [a, b],
                [b, a],
              ] as [string, string][]) {
                if (seen.has(from) && !seen.has(to) && to !== EXTERIOR && through(from)) {
                  seen.add(to);
                  grew = true;
                }
              }
            }
          }
          return seen;
        };
        assert.equal(walk(() => true).size, floor.rooms.length, `level ${floor.level}: rooms out of reach`);
        const dry = walk((id) => typeOf(floor, id) !== 'bathroom');
        for (const r of floor.rooms.filter((x) => x.type === 'bedroom')) assert.ok(dry.has(r.id), `${r.id} only through a bathroom`);
      }
    });
  });

  it('has hallways at least 0.9 m wide everywhere', () => {
    property((model) => {
      for (const floor of model.floors) {
        for (const hall of floor.rooms.filter((r) => r.type === 'hallway' || r.type === 'entrance')) {
          // At every point inside, the clear run across in one direction or the other is ≥ 0.9 m.
          const box = boxOf(hall.polygon);
          const inside = (x: number, y: number) => pointStrictlyInside([x, y], hall.polygon);
          const run = (x: number, y: number, dx: number, dy: number) => {
            let a = 0;
            let b = 0;
            while (inside(x - (a + 0.05) * dx, y - (a + 0.05) * dy)) a += 0.05;
            while (inside(x + (b + 0.05) * dx, y + (b + 0.05) * dy)) b += 0.05;
            return a + b + 0.05;
          };
          for (let x = box.x0 + 0.05; x < box.x1; x += 0.3) {
            for (let y = box.y0 + 0.05; y < box.y1; y += 0.3) {
              if (inside(x, y)) assert.ok(Math.max(run(x, y, 1, 0), run(x, y, 0, 1)) >= 0.9, `${hall.id} narrow at ${x},${y}`);
            }
          }
        }
      }
    });
  });

  it('puts windows on the exterior walls of habitable and wet rooms, every habitable room gets one, closets none', () => {
    property((model) => {
      for (const floor of model.floors) {
        const walls = new Map(floor.walls.map((w) => [w.id, w]));
        const windowed = new Set<string>();
        for (const win of floor.windows) {
          const wall = walls.get(win.wall_id)!;
          assert.ok(wall.exterior, `${win.id} on an interior wall`);
          const mid: Point = [(wall.start[0] + wall.end[0]) / 2, (wall.start[1] + wall.end[1]) / 2];
          const room = floor.rooms.find((r) => r.polygon.some((_, i) => onEdge(mid, r.polygon, i)))!;
          assert.ok([...HABITABLE, 'bathroom', 'laundry', 'sauna'].includes(room.type), `a window in a ${room.type}`);
          windowed.add(room.id);
        }
        for (const room of floor.rooms.filter((r) => HABITABLE.includes(r.type))) {
          const outer = floor.walls.filter(
            (w) =>
              w.exterior &&
              Math.hypot(w.end[0] - w.start[0], w.end[1] - w.start[1]) >= 1.2 &&
              room.polygon.some((_, i) => onEdge(w.start, room.polygon, i) && onEdge(w.end, room.polygon, i)),
          );
          if (outer.length) assert.ok(windowed.has(room.id), `${room.type} ${room.id} has no window`);
        }
      }
    });
  });

  it('differs floor to floor: bedrooms upstairs, recreation, utility and storage below grade, stairs in line', () => {
    property((model) => {
      const levels = model.floors.map((f) => f.level).sort((a, b) => a - b);
      const at = (l: number) => model.floors.find((f) => f.level === l)!;
      const ground = at(0);
      assert.ok(ground.rooms.some((r) => r.type === 'living_room') && ground.rooms.some((r) => r.type === 'kitchen'));
      for (const f of model.floors.filter((x) => x.level > 0))
        assert.ok(
          f.rooms.some((r) => r.type === 'bedroom'),
          `level ${f.level}`,
        );
      if (levels.some((l) => l > 0)) assert.ok(!ground.rooms.some((r) => r.type === 'bedroom') || count(model, 'bedroom') > 3);
      for (const f of model.floors.filter((x) => x.level < 0)) {
        assert.ok(f.below_grade);
        assert.ok(!f.rooms.some((r) => r.type === 'bedroom'));
        for (const t of ['recreation_room', 'utility', 'storage'] as const)
          assert.ok(
            f.rooms.some((r) => r.type === t),
            `${t} below grade`,
          );
      }
      const kinds = model.floors.map((f) =>
        f.rooms
          .map((r) => r.type)
          .sort()
          .join(),
      );
      assert.equal(new Set(kinds).size, kinds.length, 'floors differ');
      for (let i = 0; i + 1 < levels.length; i++) {
        const up = at(levels[i]!).stairs.find((s) => s.to_level === levels[i + 1]);
        const down = at(levels[i + 1]!).stairs.find((s) => s.to_level === levels[i]);
        assert.ok(up && down);
        assert.deepEqual(up.polygon, down.polygon);
        for (const f of [at(levels[i]!), at(levels[i + 1]!)]) {
          const room: Floor['rooms'][number] | undefined = f.rooms.find((r) => up.polygon.every((p) => pointInsideOrOn(p, r.polygon)));
          assert.equal(room?.type, 'hallway', 'stairs stand in the hallway');
        }
      }
    });
  });

  it('puts fixtures where they belong', () => {
    const needs: Partial<Record<RoomType, string[][]>> = {
      bathroom: [['toilet'], ['sink'], ['bathtub', 'shower']],
      toilet: [['toilet']],
      kitchen: [['kitchen_sink'], ['stove'], ['fridge'], ['kitchen_counter']],
      laundry: [['washer']],
      bedroom: [['wardrobe']],
    };
    property((model) => {
      for (const floor of model.floors) {
        for (const room of floor.rooms) {
          const types = (floor.fixtures ?? []).filter((f) => f.room_id === room.id).map((f) => f.type as string);
          for (const any of needs[room.type] ?? [])
            assert.ok(
              any.some((t) => types.includes(t)),
              `${room.type} ${room.id} lacks ${any.join('/')}`,
            );
          if (['hallway', 'closet', 'storage'].includes(room.type) && room.type !== 'closet') assert.deepEqual(types, []);
        }
      }
    });
  });

  it('overlaps nothing: fixtures, door swings, stairs and walls keep apart', () => {
    property((model) => {
      for (const floor of model.floors) {
        const fixtures = (floor.fixtures ?? []).map((f) => ({ f, box: fixtureBox(f) }));
        const stairs = floor.stairs.map((s) => boxOf(s.polygon));
        const doors = placedDoors(floor);
        const swings = doors.filter((d) => d.swing === 'in' || d.swing === 'out').map((d) => ({ d, box: swingBox(d) }));
        fixtures.forEach((a, i) => {
          fixtures.slice(i + 1).forEach((b) => assert.ok(!overlap(a.box, b.box), `${a.f.id} overlaps ${b.f.id}`));
          for (const s of stairs) assert.ok(!overlap(a.box, s), `${a.f.id} on the stairs`);
        });
        swings.forEach((a, i) => {
          // The leaf sweeps inside the room it opens into: it crosses no wall.
          const into: string | undefined = a.d.swing === 'in' ? a.d.roomId : a.d.joins.find((j) => j !== a.d.roomId);
          const room: Floor['rooms'][number] = floor.rooms.find((r) => r.id === into)!;
          const corners: Point[] = [
            [a.box.x0, a.box.y0],
            [a.box.x1, a.box.y0],
            [a.box.x1, a.box.y1],
            [a.box.x0, a.box.y1],
          ];
          assert.ok(
            corners.every((p) => pointInsideOrOn(p, room.polygon, 1e-3)),
            `${a.d.door.id} swings out of ${room.id}`,
          );
          swings.slice(i + 1).forEach((b) => assert.ok(!overlap(a.box, b.box), `${a.d.door.id} swing meets ${b.d.door.id}`));
          for (const s of stairs) assert.ok(!overlap(a.box, s), `${a.d.door.id} swings over the stairs`);
          for (const f of fixtures) assert.ok(!overlap(a.box, f.box), `${a.d.door.id} swings over ${f.f.id}`);
        });
        // Nothing stands in a doorway: the opening's width, 0.6 m deep each side, is clear of fixtures.
        for (const d of doors) {
          for (const side of [1, -1]) {
            const n = d.toward;
            const pts: Point[] = [
              d.hinge,
              d.jamb,
              [d.hinge[0] + n[0] * 0.6 * side, d.hinge[1] + n[1] * 0.6 * side],
              [d.jamb[0] + n[0] * 0.6 * side, d.jamb[1] + n[1] * 0.6 * side],
            ];
            const way = boxOf(pts);
            for (const f of fixtures) assert.ok(!overlap(way, f.box), `${f.f.id} stands in doorway ${d.door.id}`);
          }
        }
      }
    });
  });
});

function onEdge(p: Point, poly: Point[], i: number): boolean {
  const a = poly[i]!;
  const b = poly[(i + 1) % poly.length]!;
  const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  if (Math.abs(cross) > 1e-6) return false;
  return (
    p[0] >= Math.min(a[0], b[0]) - 1e-6 &&
    p[0] <= Math.max(a[0], b[0]) + 1e-6 &&
    p[1] >= Math.min(a[1], b[1]) - 1e-6 &&
    p[1] <= Math.max(a[1], b[1]) + 1e-6
  );
}
