// A plausible floor-plan model made from nothing but an order id and its scanned area: the stand-in
// for the drawing team. The same inputs always give the same model.
//
// Shape of the house: every floor shares one rectangular footprint with a hallway running along
// its length; rooms line the hallway on one or both sides (a deep room may be split into a front
// room and a back room reached through it). Rooms are rectangles that tile the footprint exactly.
// Walls are the room edges (exterior where only one room touches them), doors connect each room
// to the hallway or its front room, windows sit on exterior walls, and stairs join stacked floors
// at the same place on both.
import crypto from 'node:crypto';
import type { Floor, FloorPlanModel, Opening, Point, Room, RoomType, Stairs, Wall } from './model.js';
import { SQFT_TO_M2 } from './units.js';

const HALL_WIDTH = 1.4;
const EXTERIOR_WALL = 0.3;
const INTERIOR_WALL = 0.12;
const DOOR_WIDTH = 0.8;
const STAIRS_LENGTH = 2.8;
const MIN_ROOM_WIDTH = 2.2;
const ROOM_WITH_STAIRS_WIDTH = 3.8;

/** A small deterministic generator (mulberry32) seeded from the SHA-256 of the seed text. */
export function seededRandom(seed: string): () => number {
  return mulberry32(crypto.createHash('sha256').update(seed).digest().readUInt32LE(0));
}

/** mulberry32: numbers in [0, 1), the same sequence for the same 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const snap = (v: number) => Math.round(v * 20) / 20; // 5 cm grid
const fix = (v: number) => Math.round(v * 1000) / 1000;

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface PlannedRoom extends Rect {
  id: string;
  type: RoomType;
  /** The room a door leads to (the hallway or a front room); null for the hallway. */
  parent: string | null;
}

export interface GeneratedLayout {
  width: number;
  depth: number;
  levels: number[];
  /** Where the hallway starts across the depth: the same on every floor, so stairs line up. */
  hallTop: number;
}

/** Floors, footprint and levels for a total area (m²). */
function planBuilding(totalM2: number, rnd: () => number): GeneratedLayout {
  let floors = totalM2 < 90 ? 1 : totalM2 < 170 ? (rnd() < 0.5 ? 1 : 2) : rnd() < 0.5 ? 2 : 3;
  floors = Math.min(floors, 3);
  const basement = floors === 3 ? rnd() < 0.5 : floors === 2 ? rnd() < 0.25 : false;
  const perFloor = totalM2 / floors;
  const aspect = 1.15 + rnd() * 0.5;
  let depth = Math.max(4.6, snap(Math.sqrt(perFloor / aspect)));
  let width = snap(perFloor / depth);
  if (width < depth) [width, depth] = [depth, width];
  width = Math.max(width, floors > 1 ? 2 * ROOM_WITH_STAIRS_WIDTH : 4.4);
  const first = basement ? -1 : 0;
  const hallTop = depth >= 7 ? snap((depth - HALL_WIDTH) * (0.4 + rnd() * 0.2)) : 0;
  return { width, depth, levels: Array.from({ length: floors }, (_, i) => first + i), hallTop };
}

/** Splits `length` into `n` widths (each ≥ MIN_ROOM_WIDTH, the ends ≥ `endMin`) on the 5 cm grid. */
function splitWidths(length: number, rnd: () => number, endMin: number): number[] {
  let n = Math.max(1, Math.min(6, Math.round(length / 3.6)));
  while (n > 1 && (n - 2) * MIN_ROOM_WIDTH + 2 * endMin > length) n--;
  if (n === 1) return [length];
  const mins = Array.from({ length: n }, (_, i) => (i === 0 || i === n - 1 ? endMin : MIN_ROOM_WIDTH));
  const spare = length - mins.reduce((s, m) => s + m, 0);
  const weights = Array.from({ length: n }, () => 0.5 + rnd());
  const sum = weights.reduce((s, w) => s + w, 0);
  const widths = weights.map((w, i) => snap(mins[i]! + (w / sum) * spare));
  widths[n - 1] = fix(length - widths.slice(0, -1).reduce((s, w) => s + w, 0));
  return widths;
}

function planFloor(level: number, layout: GeneratedLayout, rnd: () => number, key: string): PlannedRoom[] {
  const { width: W, depth: D } = layout;
  const rooms: PlannedRoom[] = [];
  let n = 0;
  const id = () => `${key}-r${++n}`;
  const twoSided = D >= 7;
  const top = layout.hallTop;
  const hall: PlannedRoom = { id: id(), type: 'hallway', parent: null, x0: 0, y0: top, x1: W, y1: fix(top + HALL_WIDTH) };
  rooms.push(hall);
  const sides: Rect[] = twoSided
    ? [
        { x0: 0, y0: 0, x1: W, y1: top },
        { x0: 0, y0: hall.y1, x1: W, y1: D },
      ]
    : [{ x0: 0, y0: hall.y1, x1: W, y1: D }];
  const endMin = layout.levels.length > 1 ? ROOM_WITH_STAIRS_WIDTH : MIN_ROOM_WIDTH;
  for (const side of sides) {
    const towardHallAtTop = side.y0 === hall.y1; // the side below the hall has its hall edge at y0
    const depth = side.y1 - side.y0;
    const front = snap(depth * (0.55 + rnd() * 0.1));
    let x = 0;
    for (const w of splitWidths(W, rnd, endMin)) {
      const x0 = fix(x);
      const x1 = fix(x + w);
      x += w;
      if (depth >= 5.2 && w >= 2.6 && rnd() < 0.5) {
        const frontRect = towardHallAtTop ? { y0: side.y0, y1: fix(side.y0 + front) } : { y0: fix(side.y1 - front), y1: side.y1 };
        const backRect = towardHallAtTop ? { y0: frontRect.y1, y1: side.y1 } : { y0: side.y0, y1: frontRect.y0 };
        const frontId = id();
        rooms.push({ id: frontId, type: 'other', parent: hall.id, x0, x1, ...frontRect });
        rooms.push({ id: id(), type: 'other', parent: frontId, x0, x1, ...backRect });
      } else {
        rooms.push({ id: id(), type: 'other', parent: hall.id, x0, x1, y0: side.y0, y1: side.y1 });
      }
    }
  }
  assignTypes(rooms.slice(1), level, layout);
  return rooms;
}

const area = (r: Rect) => (r.x1 - r.x0) * (r.y1 - r.y0);

/**
 * Room types: a front room that another room is reached through gets a walk-through type (dining
 * room, walk-in closet, storage); the others, largest first, follow the floor's sequence, and the
 * smallest of them become the bathroom (and WC or closet) of the floor.
 */
function assignTypes(rooms: PlannedRoom[], level: number, layout: GeneratedLayout): void {
  const parents = new Set(rooms.map((r) => r.parent));
  const walkThrough: RoomType = level < 0 ? 'storage' : level === 0 ? 'dining_room' : 'closet';
  const others = rooms.filter((r) => !parents.has(r.id));
  for (const r of rooms) if (parents.has(r.id)) r.type = walkThrough;
  const byArea = [...others].sort((a, b) => area(b) - area(a) || a.id.localeCompare(b.id));
  const single = layout.levels.length === 1;
  const sequence: RoomType[] =
    level < 0
      ? ['recreation_room', 'storage', 'laundry', 'office', 'storage']
      : level === 0
        ? single
          ? ['living_room', 'kitchen', 'bedroom', 'bedroom', 'bedroom', 'office', 'bedroom', 'storage']
          : ['living_room', 'kitchen', 'office', 'bedroom', 'laundry', 'bedroom', 'storage']
        : ['bedroom', 'bedroom', 'bedroom', 'office', 'bedroom', 'storage'];
  const tail = byArea.length >= 5 ? 2 : byArea.length >= 2 ? 1 : 0;
  // From the smallest up: with two, the WC (or closet, or utility room) is the smaller one.
  const wet: RoomType = level < 0 ? 'sauna' : 'bathroom';
  const smallest: RoomType[] = tail === 2 ? [level < 0 ? 'utility' : level === 0 ? 'toilet' : 'closet', wet] : [wet];
  byArea.forEach((room, i) => {
    const fromEnd = byArea.length - 1 - i;
    room.type = fromEnd < tail ? smallest[fromEnd]! : sequence[i % sequence.length]!;
  });
}

interface PlannedWall extends Wall {
  rooms: string[];
}

/** Walls from the room rectangles: every maximal run of edge shared by the same rooms. */
function wallsFromRooms(rooms: PlannedRoom[], key: string): PlannedWall[] {
  const xs = [...new Set(rooms.flatMap((r) => [r.x0, r.x1]))].sort((a, b) => a - b);
  const ys = [...new Set(rooms.flatMap((r) => [r.y0, r.y1]))].sort((a, b) => a - b);
  // line key → elementary segment start → room ids touching it
  const lines = new Map<string, Map<number, { from: number; to: number; rooms: Set<string> }>>();
  const addEdge = (orient: 'h' | 'v', at: number, from: number, to: number, room: string) => {
    const cuts = (orient === 'h' ? xs : ys).filter((c) => c > from && c < to);
    const points = [from, ...cuts, to];
    const lineKey = `${orient}|${at}`;
    const line = lines.get(lineKey) ?? new Map();
    lines.set(lineKey, line);
    for (let i = 0; i < points.length - 1; i++) {
      const seg = line.get(points[i]!) ?? { from: points[i]!, to: points[i + 1]!, rooms: new Set<string>() };
      seg.rooms.add(room);
      line.set(points[i]!, seg);
    }
  };
  for (const r of rooms) {
    addEdge('h', r.y0, r.x0, r.x1, r.id);
    addEdge('h', r.y1, r.x0, r.x1, r.id);
    addEdge('v', r.x0, r.y0, r.y1, r.id);
    addEdge('v', r.x1, r.y0, r.y1, r.id);
  }
  const walls: PlannedWall[] = [];
  const sortedLines = [...lines.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [lineKey, segments] of sortedLines) {
    const [orient, atText] = lineKey.split('|') as ['h' | 'v', string];
    const at = Number(atText);
    const sorted = [...segments.values()].sort((a, b) => a.from - b.from);
    let run: { from: number; to: number; rooms: Set<string> } | null = null;
    const flush = () => {
      if (!run) return;
      const ids = [...run.rooms].sort();
      const start: Point = orient === 'h' ? [run.from, at] : [at, run.from];
      const end: Point = orient === 'h' ? [run.to, at] : [at, run.to];
      const exterior = ids.length === 1;
      walls.push({ id: '', start, end, thickness: exterior ? EXTERIOR_WALL : INTERIOR_WALL, exterior, rooms: ids });
    };
    for (const seg of sorted) {
      const same = run && Math.abs(run.to - seg.from) < 1e-9 && [...run.rooms].sort().join() === [...seg.rooms].sort().join();
      if (same) run!.to = seg.to;
      else {
        flush();
        run = { from: seg.from, to: seg.to, rooms: new Set(seg.rooms) };
      }
    }
    flush();
  }
  walls.forEach((w, i) => (w.id = `${key}-w${i + 1}`));
  return walls;
}

function stairsRect(layout: GeneratedLayout, hall: Rect, atLeftEnd: boolean): Point[] {
  const x0 = atLeftEnd ? 0.2 : fix(layout.width - 0.2 - STAIRS_LENGTH);
  const x1 = fix(x0 + STAIRS_LENGTH);
  const y0 = fix(hall.y0 + 0.2);
  const y1 = fix(hall.y1 - 0.2);
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
}

function buildFloor(level: number, layout: GeneratedLayout, rnd: () => number): Floor {
  const key = level < 0 ? `b${-level}` : `f${level}`;
  const planned = planFloor(level, layout, rnd, key);
  const hall = planned[0]!;
  const walls = wallsFromRooms(planned, key);
  const levels = layout.levels;

  // Stairs between level L and L+1 sit at the left end of the hall for the lowest pair, then alternate.
  const stairs: Stairs[] = [];
  const stairZones: [number, number][] = [];
  levels.forEach((l, i) => {
    if (i === levels.length - 1) return;
    const upper = levels[i + 1]!;
    if (l !== level && upper !== level) return;
    const polygon = stairsRect(layout, hall, i % 2 === 0);
    stairs.push({ id: `${key}-s${stairs.length + 1}`, polygon, to_level: l === level ? upper : l });
    stairZones.push([polygon[0]![0] - 0.5, polygon[1]![0] + 0.5]);
  });
  const blocked = (x: number) => stairZones.some(([a, b]) => x > a && x < b);

  const doors: Opening[] = [];
  const addDoor = (wall: Wall, offset: number, width = DOOR_WIDTH) =>
    doors.push({ id: `${key}-d${doors.length + 1}`, wall_id: wall.id, offset: fix(offset), width });
  for (const room of planned) {
    if (!room.parent) continue;
    const shared = walls
      .filter((w) => w.rooms.length === 2 && w.rooms.includes(room.id) && w.rooms.includes(room.parent!))
      .sort((a, b) => wallLengthOf(b) - wallLengthOf(a))[0];
    if (!shared) throw new Error(`generated room ${room.id} has no wall shared with ${room.parent}`);
    const len = wallLengthOf(shared);
    const alongX = shared.start[1] === shared.end[1];
    const candidates = [len - 0.6, 0.6, len / 2].filter((o) => o - DOOR_WIDTH / 2 >= 0.05 && o + DOOR_WIDTH / 2 <= len - 0.05);
    const offset = candidates.find((o) => !(alongX && shared.rooms.includes(hall.id) && blocked(shared.start[0] + o))) ?? len / 2;
    addDoor(shared, offset);
  }

  const byId = new Map(planned.map((r) => [r.id, r]));
  const windows: Opening[] = [];
  let entranceWall: string | null = null;
  if (level === 0) {
    const living = planned.find((r) => r.type === 'living_room') ?? planned[1] ?? hall;
    const wall = walls.filter((w) => w.exterior && w.rooms[0] === living.id).sort((a, b) => wallLengthOf(b) - wallLengthOf(a))[0];
    if (wall) {
      addDoor(wall, wallLengthOf(wall) / 2, 0.9);
      entranceWall = wall.id;
    }
  }
  const windowless: RoomType[] = ['hallway', 'closet', 'storage', 'utility', 'toilet'];
  for (const wall of walls) {
    if (!wall.exterior || wall.id === entranceWall) continue;
    const room = byId.get(wall.rooms[0]!)!;
    const len = wallLengthOf(wall);
    if (windowless.includes(room.type) || len < 1.6) continue;
    const width = level < 0 ? 0.6 : Math.min(1.6, snap(len * 0.45));
    windows.push({ id: `${key}-win${windows.length + 1}`, wall_id: wall.id, offset: fix(len / 2), width });
  }

  const rooms: Room[] = planned.map((r) => ({
    id: r.id,
    type: r.type,
    polygon: [
      [r.x0, r.y0],
      [r.x1, r.y0],
      [r.x1, r.y1],
      [r.x0, r.y1],
    ],
  }));
  return {
    level,
    below_grade: level < 0,
    height: level < 0 ? 2.4 : 2.6,
    outline: [
      [0, 0],
      [layout.width, 0],
      [layout.width, layout.depth],
      [0, layout.depth],
    ],
    rooms,
    walls: walls.map(({ id, start, end, thickness, exterior }) => ({ id, start, end, thickness, exterior })),
    doors,
    windows,
    stairs,
  };
}

function wallLengthOf(w: Pick<Wall, 'start' | 'end'>): number {
  return Math.hypot(w.end[0] - w.start[0], w.end[1] - w.start[1]);
}

/**
 * The model for an order. `scannedAreaSqft` is the order's total scanned area in square feet;
 * when it is 0 (not yet known), a plausible area between 70 and 230 m² is drawn from the seed.
 */
export function generateModel(seed: string, scannedAreaSqft: number): FloorPlanModel {
  const rnd = seededRandom(seed);
  const totalM2 = scannedAreaSqft > 0 ? Math.min(2000, Math.max(30, scannedAreaSqft * SQFT_TO_M2)) : 70 + rnd() * 160;
  const layout = planBuilding(totalM2, rnd);
  return { version: 1, floors: layout.levels.map((level) => buildFloor(level, layout, rnd)) };
}
