// The 3D model (issue 18 part 4) read back from its bytes: valid for the Khronos validator, one
// node per level, a slab under each level open over the stairs that arrive from below, each room's
// floor in its room type's colour, walls with doors and windows cut through (rays through an
// opening meet no wall), fixtures made of named materials where the model puts them, stairs up to
// the next floor, and faces wound outward.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateModel } from '../../src/render/generate-model.js';
import { modelGlb } from '../../src/render/gltf.js';
import { pointInPolygon } from '../../src/render/geometry.js';
import { floorName } from '../../src/render/labels.js';
import {
  floorsInOrder,
  type Fixture,
  type Floor,
  type FloorPlanModel,
  type Point,
  type RoomType,
  type Wall,
} from '../../src/render/model.js';
import { FIXTURE_MODEL, shoelace, smallModelV2 } from './fixture.js';
import { gltfIssues } from './format-checks.js';
import { levels, readGlb, segmentHits, triangleArea, windingNormal, type Triangle, type V3 } from './glb-reader.js';

const MODELS: [string, FloorPlanModel][] = [
  ['the fixture house (basement and two floors)', FIXTURE_MODEL],
  ['a one-floor home with every fixture type', generateModel('gltf-a', 1800)],
  ['a three-floor home', generateModel('gltf-b', 4200)],
  ['a hand-made version 2 model with a balcony', smallModelV2()],
];

/** What each room type's floor is made of (the test's own table, not the renderer's). */
const FLOOR_OF: Record<RoomType, string> = {
  living_room: 'Floor wood',
  dining_room: 'Floor wood',
  office: 'Floor wood',
  recreation_room: 'Floor wood',
  bedroom: 'Floor bedroom',
  bathroom: 'Floor tile',
  toilet: 'Floor tile',
  sauna: 'Floor tile',
  laundry: 'Floor tile',
  kitchen: 'Floor kitchen',
  hallway: 'Floor hallway',
  entrance: 'Floor hallway',
  closet: 'Floor concrete',
  storage: 'Floor concrete',
  utility: 'Floor concrete',
  garage: 'Floor concrete',
  other: 'Floor concrete',
  balcony: 'Floor outdoor',
  terrace: 'Floor outdoor',
  porch: 'Floor outdoor',
};

/** The material a fixture shows most, and how tall it stands at least. */
const FIXTURE_LOOK: Record<Fixture['type'], [string, number]> = {
  toilet: ['Porcelain', 0.4],
  sink: ['Porcelain', 0.8],
  bathtub: ['Porcelain', 0.5],
  shower: ['Glass', 1.9],
  kitchen_counter: ['Worktop', 0.85],
  kitchen_sink: ['Steel', 0.85],
  stove: ['Appliance dark', 0.85],
  fridge: ['Steel', 1.8],
  dishwasher: ['Worktop', 0.85],
  washer: ['Appliance', 0.8],
  dryer: ['Appliance', 0.8],
  fireplace: ['Stone', 0.9],
  wardrobe: ['Cabinet', 1.9],
};

const all = (byMaterial: Map<string, Triangle[]> | undefined): Triangle[] => [...(byMaterial?.values() ?? [])].flat();
const planArea = (tris: Triangle[]) =>
  tris.reduce((s, t) => s + Math.abs((t.b[0] - t.a[0]) * (t.c[2] - t.a[2]) - (t.c[0] - t.a[0]) * (t.b[2] - t.a[2])) / 2, 0);

/** sRGB relative luminance of a linear glTF colour, for contrast ratios as WCAG defines them. */
const luminance = (c: number[]) => 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
const srgbToLinear = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
/** The viewer's background (site.css, model-viewer). */
const VIEWER_BACKGROUND = luminance([0xee, 0xf1, 0xf4].map((v) => srgbToLinear(v / 255)));

/** The polygons of the flights from lower levels that arrive on `floors[i]`: where its stairwells are. */
const arriving = (floors: Floor[], i: number): Point[][] =>
  floors
    .slice(0, i)
    .flatMap((f) => f.stairs)
    .filter((s) => s.to_level === floors[i]!.level)
    .map((s) => s.polygon);

/** The mean of a polygon's corners (the middle of a rectangle). */
const middle = (poly: Point[]): [number, number] => [
  poly.reduce((s, p) => s + p[0], 0) / poly.length,
  poly.reduce((s, p) => s + p[1], 0) / poly.length,
];

/** Points through an opening of `wall` between along-wall distances a..b and heights y0..y1, as segments across the wall. */
function raysThrough(wall: Wall, a: number, b: number, y0: number, y1: number): { origin: V3; dir: V3 }[] {
  const len = Math.hypot(wall.end[0] - wall.start[0], wall.end[1] - wall.start[1]);
  const d = [(wall.end[0] - wall.start[0]) / len, (wall.end[1] - wall.start[1]) / len];
  const n = [-d[1]!, d[0]!];
  const reach = wall.thickness / 2 + 0.05;
  const out: { origin: V3; dir: V3 }[] = [];
  for (let i = 0; i <= 4; i++) {
    for (let j = 0; j <= 4; j++) {
      const s = a + ((b - a) * i) / 4;
      const y = y0 + ((y1 - y0) * j) / 4;
      const px = wall.start[0] + d[0]! * s;
      const pz = wall.start[1] + d[1]! * s;
      out.push({ origin: [px + n[0]! * reach, y, pz + n[1]! * reach], dir: [-2 * n[0]! * reach, 0, -2 * n[1]! * reach] });
    }
  }
  return out;
}

describe('glTF: the 3D model', () => {
  for (const [label, model] of MODELS) {
    describe(label, () => {
      const glb = modelGlb(model);
      const doc = readGlb(glb);
      const floors = floorsInOrder(model);
      const scene = levels(doc);

      it('is clean for the Khronos glTF validator', async () => {
        const issues = await gltfIssues(glb);
        assert.equal(issues.errors, 0, JSON.stringify(issues.messages));
        assert.equal(issues.warnings, 0, JSON.stringify(issues.messages));
      });

      it('has one node per level, named as the plans name it, stacked from the lowest up with level 0 at the ground', () => {
        assert.deepEqual(
          scene.map((l) => [l.name, l.level]),
          floors.map((f) => [floorName(f.level, 'en'), f.level]),
        );
        for (let i = 1; i < scene.length; i++)
          assert.ok(scene[i]!.y >= scene[i - 1]!.y + floors[i - 1]!.height, 'each level above the last');
        assert.equal(scene.find((l) => l.level === 0)!.y, 0);
      });

      it('lays a slab under each level and each room’s floor on it in its room type’s colour, open over the stairs that arrive', () => {
        scene.forEach((level, i) => {
          const floor = floors[i]!;
          const openings = arriving(floors, i);
          const slab = level.parts.get('slab');
          assert.deepEqual([...slab!.keys()], ['Slab']);
          const slabTop = all(slab).filter((t) => windingNormal(t)[1] > 0.99 && Math.abs(t.a[1]) < 1e-6);
          const outdoor = floor.rooms.filter((r) => FLOOR_OF[r.type] === 'Floor outdoor').reduce((s, r) => s + shoelace(r.polygon), 0);
          const open = openings.reduce((s, o) => s + shoelace(o), 0);
          assert.ok(
            Math.abs(planArea(slabTop) - (shoelace(floor.outline) - open) - outdoor) < 1e-3,
            `${level.name}: the slab covers the outline but the stairwells`,
          );
          assert.ok(Math.min(...all(slab).map((t) => t.a[1])) < -0.2, 'the slab has thickness');

          const surfaces = level.parts.get('floors')!;
          const expected = new Map<string, number>();
          for (const room of floor.rooms) {
            // Each stairwell of these models lies in one room.
            const cut = openings.filter((o) => pointInPolygon(middle(o), room.polygon)).reduce((s, o) => s + shoelace(o), 0);
            expected.set(FLOOR_OF[room.type], (expected.get(FLOOR_OF[room.type]) ?? 0) + shoelace(room.polygon) - cut);
          }
          assert.deepEqual([...surfaces.keys()].sort(), [...expected.keys()].sort(), level.name);
          for (const [material, area] of expected) {
            const tris = surfaces.get(material)!;
            assert.ok(
              Math.abs(planArea(tris) - area) < 1e-3,
              `${level.name} ${material}: ${planArea(tris)} m² drawn for ${area} m² of rooms`,
            );
            assert.ok(
              tris.every((t) => windingNormal(t)[1] > 0.99 && t.a[1] > 0),
              'floors face up, above the slab',
            );
          }
        });
      });

      it('leaves the stairwell open: nothing of the slab or floor over a flight arriving from below, a lined opening, a floor elsewhere', () => {
        let checked = 0;
        scene.forEach((level, i) => {
          const floor = floors[i]!;
          const cover = [...all(level.parts.get('slab')), ...all(level.parts.get('floors'))];
          // A plumb line from under the slab to above the floor, at plan point [x, z].
          const covered = ([x, z]: [number, number]) => cover.some((t) => segmentHits(t, [x, -0.5, z], [0, 0.6, 0]));
          for (const o of arriving(floors, i)) {
            const [cx, cz] = middle(o);
            for (const p of o) {
              const q: [number, number] = [cx + (p[0] - cx) * 0.8, cz + (p[1] - cz) * 0.8];
              assert.ok(!covered(q), `${level.name}: open over the stairs at ${q}`);
            }
            assert.ok(!covered([cx, cz]), `${level.name}: open over the middle of the stairs`);
            // Sideways from the middle of the opening at mid-slab, out past its edges either way: the slab's cut faces.
            const slabSides = all(level.parts.get('slab'));
            const [x0, x1] = [Math.min(...o.map((p) => p[0])), Math.max(...o.map((p) => p[0]))];
            assert.ok(
              slabSides.some((t) => segmentHits(t, [cx, -0.12, cz], [x1 - cx + 0.05, 0, 0])) &&
                slabSides.some((t) => segmentHits(t, [cx, -0.12, cz], [x0 - cx - 0.05, 0, 0])),
              `${level.name}: the opening is lined by the slab's edge`,
            );
            checked++;
          }
          // Every room clear of the stairwells still has its floor and the slab under it.
          for (const room of floor.rooms.filter((r) => FLOOR_OF[r.type] !== 'Floor outdoor')) {
            const m = middle(room.polygon);
            if (
              !pointInPolygon(m, room.polygon) ||
              [...floor.stairs.map((s) => s.polygon), ...arriving(floors, i)].some((o) => pointInPolygon(m, o))
            )
              continue;
            const hits = (tris: Triangle[]) => tris.some((t) => segmentHits(t, [m[0], -0.5, m[1]], [0, 0.6, 0]));
            assert.ok(hits(all(level.parts.get('slab'))) && hits(all(level.parts.get('floors'))), `${level.name} ${room.id} has a floor`);
          }
        });
        assert.equal(checked > 0, floors.length > 1, 'the stacked models have stairwells');
      });

      it('cuts each door through its wall up to the head and each window between its sill and head', () => {
        scene.forEach((level, i) => {
          const floor = floors[i]!;
          const walls = all(level.parts.get('walls'));
          const blocked = (r: { origin: V3; dir: V3 }) => walls.some((t) => segmentHits(t, r.origin, r.dir));
          const byId = new Map(floor.walls.map((w) => [w.id, w]));
          for (const door of floor.doors) {
            const wall = byId.get(door.wall_id)!;
            const [a, b] = [door.offset - door.width / 2 + 0.03, door.offset + door.width / 2 - 0.03];
            const through = raysThrough(wall, a, b, 0.05, 2.05);
            assert.deepEqual(through.filter(blocked), [], `${level.name} door ${door.id}: nothing in the opening`);
            assert.ok(
              raysThrough(wall, a, b, 2.15, floor.height - 0.05).every(blocked),
              `${level.name} door ${door.id}: a wall above its head`,
            );
          }
          for (const win of floor.windows) {
            const wall = byId.get(win.wall_id)!;
            const sill = win.sill_height ?? 0.9;
            const head = Math.min(win.head_height ?? 2.1, floor.height);
            const [a, b] = [win.offset - win.width / 2 + 0.03, win.offset + win.width / 2 - 0.03];
            assert.deepEqual(raysThrough(wall, a, b, sill + 0.05, head - 0.05).filter(blocked), [], `${level.name} window ${win.id}: open`);
            assert.ok(raysThrough(wall, a, b, 0.05, sill - 0.05).every(blocked), `${level.name} window ${win.id}: a wall below its sill`);
          }
          // Each window holds a pane of glass.
          const glass = all(level.parts.get('windows'));
          assert.equal(floor.windows.length > 0, glass.length > 0);
          assert.deepEqual([...(level.parts.get('windows')?.keys() ?? [])], floor.windows.length ? ['Glass'] : []);
        });
      });

      it('builds each fixture where the model puts it, of its named materials and to its height', () => {
        scene.forEach((level, i) => {
          const floor = floors[i]!;
          const parts = level.parts.get('fixtures');
          assert.equal(parts !== undefined, (floor.fixtures ?? []).length > 0, level.name);
          for (const f of floor.fixtures ?? []) {
            // The fixture's own frame: along its width, from its back to its front.
            const t = (f.rotation * Math.PI) / 180;
            const local = ([x, , z]: V3): [number, number] => {
              const dx = x - f.position[0];
              const dz = z - f.position[1];
              return [dx * Math.cos(t) + dz * Math.sin(t), -dx * Math.sin(t) + dz * Math.cos(t)];
            };
            const within = (p: V3) => {
              const [u, v] = local(p);
              return Math.abs(u) <= f.width / 2 + 0.02 && Math.abs(v) <= f.depth / 2 + 0.02;
            };
            const mine = new Map<string, Triangle[]>();
            for (const [material, tris] of parts ?? []) {
              const inside = tris.filter((tri) => within(tri.a) && within(tri.b) && within(tri.c));
              if (inside.length) mine.set(material, inside);
            }
            const [look, height] = FIXTURE_LOOK[f.type];
            assert.ok(mine.has(look), `${level.name} ${f.type} ${f.id} is made of ${look} (found ${[...mine.keys()].join(', ')})`);
            const top = Math.max(...all(mine).flatMap((tri) => [tri.a[1], tri.b[1], tri.c[1]]));
            assert.ok(top >= height && top <= floor.height, `${level.name} ${f.type} ${f.id} stands ${top} m tall`);
          }
        });
      });

      it('steps each flight up to the next level’s floor', () => {
        scene.forEach((level, i) => {
          const up = floors[i]!.stairs.filter((s) => s.to_level > level.level);
          const steps = all(level.parts.get('stairs'));
          assert.equal(steps.length > 0, up.length > 0, level.name);
          for (const s of up) {
            const rise = scene.find((l) => l.level === s.to_level)!.y - level.y;
            const top = Math.max(...steps.map((t) => t.a[1]));
            assert.ok(Math.abs(top - rise) < 1e-4, `${level.name}: steps reach ${top} m, the next floor is ${rise} m up`);
          }
        });
      });

      it('winds every face outward (its stored normal agrees with its winding), so single-sided materials show their front', () => {
        for (const level of scene) {
          for (const [part, byMaterial] of level.parts) {
            for (const [material, tris] of byMaterial) {
              const wrong = tris
                .filter((t) => triangleArea(t) > 1e-9)
                .filter((t) => {
                  const w = windingNormal(t);
                  return w[0] * t.normal[0] + w[1] * t.normal[1] + w[2] * t.normal[2] < 0.99;
                });
              assert.equal(wrong.length, 0, `${level.name} ${part} ${material}`);
            }
          }
        }
      });
    });
  }

  it('shows walls dark against the viewer’s pale background and against every floor', () => {
    const { json } = readGlb(modelGlb(MODELS[2]![1]));
    const lum = (name: string) => luminance(json.materials.find((m) => m.name === name)!.pbrMetallicRoughness.baseColorFactor);
    assert.ok(contrast(lum('Wall'), VIEWER_BACKGROUND) >= 4.5, `walls on the background: ${contrast(lum('Wall'), VIEWER_BACKGROUND)}`);
    for (const floor of json.materials.filter((m) => m.name.startsWith('Floor')))
      assert.ok(contrast(lum('Wall'), lum(floor.name)) >= 2.2, `walls on ${floor.name}: ${contrast(lum('Wall'), lum(floor.name))}`);
    assert.equal(json.materials.find((m) => m.name === 'Glass')!.alphaMode, 'BLEND');
  });

  it('renders one level alone, the same as in the whole house', async () => {
    const model = FIXTURE_MODEL;
    const whole = levels(readGlb(modelGlb(model)));
    for (const floor of model.floors) {
      const glb = modelGlb(model, { level: floor.level });
      assert.equal((await gltfIssues(glb)).errors, 0);
      const alone = levels(readGlb(glb));
      assert.deepEqual(
        alone.map((l) => l.name),
        [floorName(floor.level, 'en')],
      );
      assert.deepEqual(
        alone[0],
        whole.find((l) => l.level === floor.level),
      );
    }
  });
});
