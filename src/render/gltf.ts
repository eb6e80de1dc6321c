// glTF 2.0 (binary .glb) of the house: each floor's walls extruded to the floor's height, with
// openings cut (doors below a lintel, windows between their sill and head), on a slab of the
// outline with each room's floor in its surface's colour, and fixtures as simple boxes.
// Floors are stacked by level. Y is up; the plan's x and y become X and Z.
import { rotatedRect, signedArea, triangulate, wallRectangle } from './geometry.js';
import {
  floorsInOrder,
  isOutdoor,
  type FixtureType,
  type Floor,
  type FloorPlanModel,
  type Opening,
  type RoomType,
  type Wall,
  type Window,
} from './model.js';
import { floorName } from './labels.js';

const DOOR_HEIGHT = 2.1;
const SILL_HEIGHT = 0.9;
const WINDOW_HEAD = 2.1;
const SLAB = 0.25;

type Vec3 = [number, number, number];

class MeshBuilder {
  positions: number[] = [];
  normals: number[] = [];
  indices: number[] = [];

  private quad(corners: Vec3[], outward: Vec3): void {
    const [a, b, c] = corners as [Vec3, Vec3, Vec3];
    const u = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    const v = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
    let nrm: Vec3 = [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!];
    const len = Math.hypot(...nrm) || 1;
    nrm = [nrm[0] / len, nrm[1] / len, nrm[2] / len];
    const ordered = nrm[0] * outward[0] + nrm[1] * outward[1] + nrm[2] * outward[2] >= 0 ? corners : [...corners].reverse();
    if (ordered !== corners) nrm = [-nrm[0], -nrm[1], -nrm[2]];
    const base = this.positions.length / 3;
    for (const p of ordered) {
      this.positions.push(...p);
      this.normals.push(...nrm);
    }
    this.indices.push(base, base + 1, base + 2, base, base + 2, base + 3);
  }

  /** A box over a footprint of four plan points, from height y0 to y1. */
  box(footprint: [number, number][], y0: number, y1: number): void {
    if (y1 - y0 < 1e-6) return;
    const cx = footprint.reduce((s, p) => s + p[0], 0) / 4;
    const cz = footprint.reduce((s, p) => s + p[1], 0) / 4;
    const cy = (y0 + y1) / 2;
    const at = (i: number, y: number): Vec3 => [footprint[i % 4]![0], y, footprint[i % 4]![1]];
    this.quad([at(0, y1), at(1, y1), at(2, y1), at(3, y1)], [0, 1, 0]);
    this.quad([at(0, y0), at(1, y0), at(2, y0), at(3, y0)], [0, -1, 0]);
    for (let i = 0; i < 4; i++) {
      const mx = (footprint[i]![0] + footprint[(i + 1) % 4]![0]) / 2;
      const mz = (footprint[i]![1] + footprint[(i + 1) % 4]![1]) / 2;
      this.quad([at(i, y0), at(i + 1, y0), at(i + 1, y1), at(i, y1)], [mx - cx, cy - cy, mz - cz]);
    }
  }

  /** A flat polygon facing up at height y. */
  slab(poly: [number, number][], y: number): void {
    const base = this.positions.length / 3;
    for (const [x, z] of poly) {
      this.positions.push(x, y, z);
      this.normals.push(0, 1, 0);
    }
    // Seen from +Y with X right and Z down the page, counter-clockwise means negative plan area.
    const flip = signedArea(poly) > 0;
    for (const [i, j, k] of triangulate(poly)) this.indices.push(base + i, ...(flip ? [base + k, base + j] : [base + j, base + k]));
  }
}

function wallPieces(mesh: MeshBuilder, wall: Wall, doors: Opening[], windows: Window[], height: number): void {
  const len = Math.hypot(wall.end[0] - wall.start[0], wall.end[1] - wall.start[1]);
  const cuts = [...doors.map((o) => ({ o, door: true })), ...windows.map((o) => ({ o, door: false }))]
    .filter(({ o }) => o.wall_id === wall.id)
    .sort((a, b) => a.o.offset - b.o.offset);
  let from = -wall.thickness / 2;
  for (const { o, door } of cuts) {
    const a = o.offset - o.width / 2;
    const b = o.offset + o.width / 2;
    if (a > from) mesh.box(wallRectangle(wall, from, a) as [number, number][], 0, height);
    const piece = wallRectangle(wall, a, b) as [number, number][];
    if (door) mesh.box(piece, Math.min(DOOR_HEIGHT, height), height);
    else {
      const win = o as Window;
      mesh.box(piece, 0, win.sill_height ?? SILL_HEIGHT);
      mesh.box(piece, Math.min(win.head_height ?? WINDOW_HEAD, height), height);
    }
    from = Math.max(from, b);
  }
  if (len + wall.thickness / 2 > from) mesh.box(wallRectangle(wall, from, len + wall.thickness / 2) as [number, number][], 0, height);
}

// Walls a dark warm grey that stands out on a light background and against the floors; floors by
// what people walk on in each kind of room; fixtures white (sanitary, appliances) or wood (cabinets).
const MATERIALS: [string, [number, number, number], number, boolean][] = [
  ['Wall', [0.36, 0.34, 0.32], 0.9, false],
  ['Slab', [0.55, 0.55, 0.56], 0.95, false],
  ['Floor wood', [0.7, 0.52, 0.34], 0.7, true],
  ['Floor tile', [0.72, 0.8, 0.86], 0.5, true],
  ['Floor kitchen', [0.85, 0.78, 0.62], 0.6, true],
  ['Floor plain', [0.82, 0.8, 0.76], 0.8, true],
  ['Floor outdoor', [0.5, 0.42, 0.33], 0.9, true],
  ['Fixture white', [0.95, 0.95, 0.95], 0.3, false],
  ['Fixture wood', [0.6, 0.45, 0.3], 0.7, false],
  ['Fixture dark', [0.2, 0.2, 0.22], 0.4, false],
];
const MATERIAL = { wall: 0, slab: 1, wood: 2, tile: 3, kitchen: 4, plain: 5, outdoor: 6, white: 7, cabinet: 8, dark: 9 } as const;

function floorMaterial(type: RoomType): number {
  if (isOutdoor(type)) return MATERIAL.outdoor;
  if (['bathroom', 'toilet', 'sauna', 'laundry', 'utility'].includes(type)) return MATERIAL.tile;
  if (type === 'kitchen') return MATERIAL.kitchen;
  if (['hallway', 'entrance', 'closet', 'storage', 'garage', 'other'].includes(type)) return MATERIAL.plain;
  return MATERIAL.wood;
}

/** Material and height of each fixture's box. */
const FIXTURE_SHAPE: Record<FixtureType, [number, number]> = {
  toilet: [MATERIAL.white, 0.45],
  sink: [MATERIAL.white, 0.85],
  bathtub: [MATERIAL.white, 0.55],
  shower: [MATERIAL.white, 0.05],
  kitchen_counter: [MATERIAL.cabinet, 0.9],
  kitchen_sink: [MATERIAL.white, 0.05],
  stove: [MATERIAL.dark, 0.05],
  fridge: [MATERIAL.white, 1.8],
  dishwasher: [MATERIAL.white, 0.85],
  washer: [MATERIAL.white, 0.85],
  dryer: [MATERIAL.white, 0.85],
  fireplace: [MATERIAL.dark, 1.0],
  wardrobe: [MATERIAL.cabinet, 2.0],
};

/** Elevation of each floor: level 0 at 0, floors stacked above and below with their slabs. */
function elevations(floors: Floor[]): Map<number, number> {
  const out = new Map<number, number>();
  const above = floors.filter((f) => f.level >= 0);
  const below = floors.filter((f) => f.level < 0).reverse();
  let y = 0;
  for (const f of above) {
    out.set(f.level, y);
    y += f.height + SLAB;
  }
  y = 0;
  for (const f of below) {
    y -= f.height + SLAB;
    out.set(f.level, y);
  }
  return out;
}

interface Accessor {
  bufferView: number;
  componentType: number;
  count: number;
  type: string;
  min?: number[];
  max?: number[];
}

export function modelGlb(model: FloorPlanModel): Buffer {
  const floors = floorsInOrder(model);
  const elevation = elevations(floors);
  const chunks: Buffer[] = [];
  let byteLength = 0;
  const bufferViews: { buffer: 0; byteOffset: number; byteLength: number; target: number }[] = [];
  const accessors: Accessor[] = [];
  const addView = (data: Buffer, target: number) => {
    const padded = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
    bufferViews.push({ buffer: 0, byteOffset: byteLength, byteLength: data.length, target });
    chunks.push(padded);
    byteLength += padded.length;
    return bufferViews.length - 1;
  };
  const addPrimitive = (mesh: MeshBuilder, material: number) => {
    const pos = new Float32Array(mesh.positions);
    const min = [0, 1, 2].map((k) => Math.min(...pos.filter((_, i) => i % 3 === k)));
    const max = [0, 1, 2].map((k) => Math.max(...pos.filter((_, i) => i % 3 === k)));
    accessors.push({
      bufferView: addView(Buffer.from(pos.buffer), 34962),
      componentType: 5126,
      count: pos.length / 3,
      type: 'VEC3',
      min,
      max,
    });
    const position = accessors.length - 1;
    accessors.push({
      bufferView: addView(Buffer.from(new Float32Array(mesh.normals).buffer), 34962),
      componentType: 5126,
      count: pos.length / 3,
      type: 'VEC3',
    });
    const normal = accessors.length - 1;
    const wide = pos.length / 3 > 65535;
    const idx = wide ? new Uint32Array(mesh.indices) : new Uint16Array(mesh.indices);
    accessors.push({
      bufferView: addView(Buffer.from(idx.buffer, idx.byteOffset, idx.byteLength), 34963),
      componentType: wide ? 5125 : 5123,
      count: idx.length,
      type: 'SCALAR',
    });
    return { attributes: { POSITION: position, NORMAL: normal }, indices: accessors.length - 1, material, mode: 4 };
  };

  const meshes = floors.map((floor) => {
    const walls = new MeshBuilder();
    for (const wall of floor.walls) wallPieces(walls, wall, floor.doors, floor.windows, floor.height);
    // The slab under the whole floor, then each room's floor a little above it in its surface's colour.
    const slab = new MeshBuilder();
    slab.slab(floor.outline, 0);
    const primitives = [addPrimitive(walls, MATERIAL.wall), addPrimitive(slab, MATERIAL.slab)];
    const surfaces = new Map<number, MeshBuilder>();
    for (const room of floor.rooms) {
      const material = floorMaterial(room.type);
      const mesh = surfaces.get(material) ?? new MeshBuilder();
      surfaces.set(material, mesh);
      mesh.slab(room.polygon, 0.005);
    }
    for (const [material, mesh] of [...surfaces].sort((a, b) => a[0] - b[0])) primitives.push(addPrimitive(mesh, material));
    const fixtures = new Map<number, MeshBuilder>();
    for (const f of floor.fixtures ?? []) {
      const [material, height] = FIXTURE_SHAPE[f.type];
      const mesh = fixtures.get(material) ?? new MeshBuilder();
      fixtures.set(material, mesh);
      const base = f.type === 'kitchen_sink' || f.type === 'stove' ? 0.86 : 0;
      mesh.box(rotatedRect(f.position, f.width, f.depth, f.rotation) as [number, number][], base, base + height);
    }
    for (const [material, mesh] of [...fixtures].sort((a, b) => a[0] - b[0])) primitives.push(addPrimitive(mesh, material));
    return { name: `${floorName(floor.level, 'en')} walls`, primitives };
  });

  const json = {
    asset: { version: '2.0', generator: 'casa-integrate' },
    scene: 0,
    scenes: [{ name: 'House', nodes: floors.map((_, i) => i) }],
    nodes: floors.map((floor, i) => ({ name: floorName(floor.level, 'en'), mesh: i, translation: [0, elevation.get(floor.level)!, 0] })),
    meshes,
    materials: MATERIALS.map(([name, color, roughness, doubleSided]) => ({
      name,
      pbrMetallicRoughness: { baseColorFactor: [...color, 1], metallicFactor: 0, roughnessFactor: roughness },
      doubleSided,
    })),
    buffers: [{ byteLength }],
    bufferViews,
    accessors,
  };
  const jsonText = Buffer.from(JSON.stringify(json));
  const jsonChunk = Buffer.concat([jsonText, Buffer.alloc((4 - (jsonText.length % 4)) % 4, 0x20)]);
  const bin = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write('glTF', 0, 'ascii');
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(12 + 8 + jsonChunk.length + 8 + bin.length, 8);
  const chunkHeader = (length: number, type: number) => {
    const h = Buffer.alloc(8);
    h.writeUInt32LE(length, 0);
    h.writeUInt32LE(type, 4);
    return h;
  };
  return Buffer.concat([header, chunkHeader(jsonChunk.length, 0x4e4f534a), jsonChunk, chunkHeader(bin.length, 0x004e4942), bin]);
}
