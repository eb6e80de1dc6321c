// glTF 2.0 (binary .glb) of the house, one node per level (named as the plans name it, its level
// in `extras`), stacked by level, each holding:
//   slab      the level's slab (its outline, SLAB thick, under the floor) and a thin deck under outdoor spaces,
//             open over each flight that arrives from the level below (the stairwell);
//   floors    each room's floor just above the slab, coloured by room type, open over the same flights;
//   walls     each wall extruded to the ceiling with its openings cut: doors up to their head, windows
//             between sill and head;
//   windows   a pane of glass in each window;
//   stairs    the flights that go up from this level, as steps to the next level's floor;
//   fixtures  each fixture as a few boxes and rounds of named materials (fixture-solids.ts).
// Y is up; the plan's x and y become X and Z. `level` renders that one level alone (the viewer
// shows one level at a time).
import { boundingBox, polygonsOverlap, wallLength, wallRectangle } from './geometry.js';
import { fixtureParts } from './fixture-solids.js';
import { GlbWriter } from './glb-writer.js';
import { MATERIALS, floorMaterial, gltfMaterial, type MaterialKey } from './gltf-materials.js';
import { floorName } from './labels.js';
import { MeshBuilder } from './mesh-builder.js';
import { WINDOW_DEFAULTS, floorsInOrder, isOutdoor, type Floor, type FloorPlanModel, type Point, type Stairs, type Wall } from './model.js';

const DOOR_HEAD = 2.1;
const SLAB = 0.25;
const OUTDOOR_DECK = 0.15;
/** Room floors lie this far above the slab's top, so the two never fight for the same pixels. */
const FLOOR_FINISH = 0.01;
const GLASS = 0.02;
const RISER = 0.18;

export const LEVEL_PARTS = ['slab', 'floors', 'walls', 'windows', 'stairs', 'fixtures'] as const;
export type LevelPart = (typeof LEVEL_PARTS)[number];

/** A mesh in the making: one builder per material. */
class Meshes {
  readonly byMaterial = new Map<MaterialKey, MeshBuilder>();
  in(material: MaterialKey): MeshBuilder {
    let mesh = this.byMaterial.get(material);
    if (!mesh) this.byMaterial.set(material, (mesh = new MeshBuilder()));
    return mesh;
  }
}

/** Elevation of each level: level 0 at 0, levels stacked above and below with their slabs. */
export function elevations(floors: Floor[]): Map<number, number> {
  const out = new Map<number, number>();
  let y = 0;
  for (const f of floors.filter((f) => f.level >= 0)) {
    out.set(f.level, y);
    y += f.height + SLAB;
  }
  y = 0;
  for (const f of floors.filter((f) => f.level < 0).reverse()) {
    y -= f.height + SLAB;
    out.set(f.level, y);
  }
  return out;
}

/** A wall as solid pieces around its openings; the ends reach half a thickness past the centre line to close corners. */
function wallPieces(mesh: MeshBuilder, glass: MeshBuilder, wall: Wall, floor: Floor): void {
  const height = floor.height;
  const cuts = [
    ...floor.doors.filter((o) => o.wall_id === wall.id).map((o) => ({ o, sill: 0, head: DOOR_HEAD })),
    ...floor.windows
      .filter((o) => o.wall_id === wall.id)
      .map((o) => ({ o, sill: o.sill_height ?? WINDOW_DEFAULTS.sill_height, head: o.head_height ?? WINDOW_DEFAULTS.head_height })),
  ].sort((a, b) => a.o.offset - b.o.offset);
  const piece = (from: number, to: number, y0: number, y1: number, target = mesh, w = wall) => {
    if (to - from > 1e-6) target.prism(wallRectangle(w, from, to), y0, y1);
  };
  let from = -wall.thickness / 2;
  for (const { o, sill, head } of cuts) {
    const a = o.offset - o.width / 2;
    const b = o.offset + o.width / 2;
    const top = Math.min(head, height);
    piece(from, a, 0, height);
    piece(Math.max(a, from), b, 0, Math.min(sill, top));
    piece(Math.max(a, from), b, top, height);
    if (sill > 0) piece(a, b, sill, top, glass, { ...wall, thickness: GLASS });
    from = Math.max(from, b);
  }
  piece(from, wallLength(wall) + wall.thickness / 2, 0, height);
}

/** Steps from this level's floor up to the floor of `rise` above, along the flight's longer side. */
function steps(mesh: MeshBuilder, stairs: Stairs, rise: number): void {
  const box = boundingBox(stairs.polygon);
  const alongX = box.maxX - box.minX >= box.maxY - box.minY;
  const length = alongX ? box.maxX - box.minX : box.maxY - box.minY;
  const n = Math.max(2, Math.round(rise / RISER));
  for (let i = 0; i < n; i++) {
    const t0 = (i / n) * length;
    const t1 = ((i + 1) / n) * length;
    const rect = alongX
      ? { x0: box.minX + t0, x1: box.minX + t1, y0: box.minY, y1: box.maxY }
      : { x0: box.minX, x1: box.maxX, y0: box.minY + t0, y1: box.minY + t1 };
    mesh.prism(
      [
        [rect.x0, rect.y0],
        [rect.x1, rect.y0],
        [rect.x1, rect.y1],
        [rect.x0, rect.y1],
      ],
      0,
      (rise * (i + 1)) / n,
    );
  }
}

/** The flights that climb to each level (those levelMeshes steps up), by the level they reach: its stairwell openings. */
function stairOpenings(floors: Floor[], elevation: Map<number, number>): Map<number, Point[][]> {
  const out = new Map<number, Point[][]>();
  for (const floor of floors) {
    for (const s of floor.stairs) {
      const there = elevation.get(s.to_level);
      if (there === undefined || there <= elevation.get(floor.level)!) continue;
      out.set(s.to_level, [...(out.get(s.to_level) ?? []), s.polygon]);
    }
  }
  return out;
}

function levelMeshes(floor: Floor, elevation: Map<number, number>, openings: Point[][]): Record<LevelPart, Meshes> {
  const parts = Object.fromEntries(LEVEL_PARTS.map((p) => [p, new Meshes()])) as Record<LevelPart, Meshes>;
  const through = (poly: Point[]) => openings.filter((o) => polygonsOverlap(poly, o));
  parts.slab.in('slab').prism(floor.outline, -SLAB, 0, through(floor.outline));
  for (const room of floor.rooms) {
    if (isOutdoor(room.type)) parts.slab.in('slab').prism(room.polygon, -OUTDOOR_DECK, 0);
    parts.floors.in(floorMaterial(room.type)).flat(room.polygon, FLOOR_FINISH, true, through(room.polygon));
  }
  for (const wall of floor.walls) wallPieces(parts.walls.in('wall'), parts.windows.in('glass'), wall, floor);
  const here = elevation.get(floor.level)!;
  for (const s of floor.stairs) {
    const there = elevation.get(s.to_level);
    if (there !== undefined && there > here) steps(parts.stairs.in('stairs'), s, there - here);
  }
  for (const f of floor.fixtures ?? []) {
    for (const p of fixtureParts(f, floor.height))
      parts.fixtures.in(p.material).prism(p.outline, FLOOR_FINISH + p.y[0], FLOOR_FINISH + p.y[1]);
  }
  return parts;
}

export interface GlbOptions {
  /** Only this level. */
  level?: number;
}

export function modelGlb(model: FloorPlanModel, opts: GlbOptions = {}): Buffer {
  const floors = floorsInOrder(model);
  const elevation = elevations(floors);
  const openings = stairOpenings(floors, elevation);
  const shown = floors
    .filter((f) => opts.level === undefined || f.level === opts.level)
    .map((floor) => ({ floor, parts: levelMeshes(floor, elevation, openings.get(floor.level) ?? []) }));

  // Only the materials in use, in the palette's order.
  const used = new Set(
    shown.flatMap(({ parts }) => Object.values(parts).flatMap((m) => [...m.byMaterial].filter(([, b]) => !b.empty).map(([k]) => k))),
  );
  const keys = (Object.keys(MATERIALS) as MaterialKey[]).filter((k) => used.has(k));
  const materialIndex = new Map(keys.map((k, i) => [k, i]));

  const writer = new GlbWriter();
  const nodes: Record<string, unknown>[] = [];
  const meshes: Record<string, unknown>[] = [];
  const roots: number[] = [];
  for (const { floor, parts } of shown) {
    const name = floorName(floor.level, 'en');
    const children: number[] = [];
    for (const part of LEVEL_PARTS) {
      const primitives = keys
        .filter((k) => !(parts[part].byMaterial.get(k)?.empty ?? true))
        .map((k) => writer.primitive(parts[part].byMaterial.get(k)!, materialIndex.get(k)!));
      if (primitives.length === 0) continue;
      meshes.push({ name: `${name} ${part}`, primitives });
      nodes.push({ name: `${name} ${part}`, mesh: meshes.length - 1 });
      children.push(nodes.length - 1);
    }
    nodes.push({ name, translation: [0, elevation.get(floor.level)!, 0], children, extras: { level: floor.level } });
    roots.push(nodes.length - 1);
  }
  return writer.encode({
    asset: { version: '2.0', generator: 'casa-integrate' },
    scene: 0,
    scenes: [{ name: 'House', nodes: roots }],
    nodes,
    ...(meshes.length ? { meshes, materials: keys.map((k) => gltfMaterial(MATERIALS[k])) } : {}),
  });
}
