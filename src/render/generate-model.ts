// A plausible floor-plan model (version 2) made from nothing but an order id, its scanned area and,
// if known, its number of floors: the stand-in for the drawing team. The same inputs always give
// the same model.
//
// home-programme.ts decides the rooms (growing with the area), home-layout.ts slices a footprint
// shared by every floor into them around a hallway spine; this module adds what a drafter draws
// from there: walls where rooms meet (exterior where only one room touches them), a door (or an
// opening) for every link the layout asks for, placed near a corner and hinged so its swing stays
// clear of the others' and of the stairs, the front door, windows on the exterior walls of
// habitable rooms (small ones in wet rooms, none in closets), stairs, and fixtures.
import crypto from 'node:crypto';
import { fixturesFor, overlaps, placeFixtures, type Side } from './fixture-placement.js';
import { homeProgramme } from './home-programme.js';
import { fitHome } from './home-fit.js';
import { fix, planFootprint, snap, type FloorLayout, type Rect } from './home-layout.js';
import { pointInsideOrOn, pointStrictlyInside } from './geometry.js';
import type { Door, Fixture, Floor, FloorPlanModel, Point, RoomType, Stairs, Wall, Window } from './model.js';
import { SQFT_TO_M2 } from './units.js';

const EXTERIOR_WALL = 0.3;
const INTERIOR_WALL = 0.12;
const FRONT_DOOR = 0.9;

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

/** Rooms where people live by daylight: each gets windows on its exterior walls. */
export const HABITABLE: RoomType[] = ['living_room', 'kitchen', 'dining_room', 'bedroom', 'office', 'recreation_room'];
/** Wet rooms: a small high window where they meet the outside. */
const WET_WINDOWED: RoomType[] = ['bathroom', 'laundry', 'sauna'];

interface PlannedWall extends Wall {
  rooms: string[];
}

/** Walls from the room polygons (all edges run along x or y): every maximal run shared by the same rooms. */
function wallsFromRooms(rooms: { id: string; polygon: Point[] }[], key: string): PlannedWall[] {
  const xs = [...new Set(rooms.flatMap((r) => r.polygon.map((p) => p[0])))].sort((a, b) => a - b);
  const ys = [...new Set(rooms.flatMap((r) => r.polygon.map((p) => p[1])))].sort((a, b) => a - b);
  const lines = new Map<string, Map<number, { from: number; to: number; rooms: Set<string> }>>();
  const addEdge = (orient: 'h' | 'v', at: number, from: number, to: number, room: string) => {
    const cuts = (orient === 'h' ? xs : ys).filter((c) => c > from + 1e-9 && c < to - 1e-9);
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
    r.polygon.forEach((a, i) => {
      const b = r.polygon[(i + 1) % r.polygon.length]!;
      if (a[1] === b[1]) addEdge('h', a[1], Math.min(a[0], b[0]), Math.max(a[0], b[0]), r.id);
      else addEdge('v', a[0], Math.min(a[1], b[1]), Math.max(a[1], b[1]), r.id);
    });
  }
  const walls: PlannedWall[] = [];
  const sortedLines = [...lines.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [lineKey, segments] of sortedLines) {
    const [orient, atText] = lineKey.split('|') as ['h' | 'v', string];
    const at = Number(atText);
    let run: { from: number; to: number; rooms: string } | null = null;
    const flush = () => {
      if (!run) return;
      const ids = run.rooms.split(',');
      const start: Point = orient === 'h' ? [run.from, at] : [at, run.from];
      const end: Point = orient === 'h' ? [run.to, at] : [at, run.to];
      const exterior = ids.length === 1;
      walls.push({ id: '', start, end, thickness: exterior ? EXTERIOR_WALL : INTERIOR_WALL, exterior, rooms: ids });
    };
    for (const seg of [...segments.values()].sort((a, b) => a.from - b.from)) {
      const ids = [...seg.rooms].sort().join(',');
      if (run && Math.abs(run.to - seg.from) < 1e-9 && run.rooms === ids) run.to = seg.to;
      else {
        flush();
        run = { from: seg.from, to: seg.to, rooms: ids };
      }
    }
    flush();
  }
  walls.forEach((w, i) => (w.id = `${key}-w${i + 1}`));
  return walls;
}

const wallLength = (w: Pick<Wall, 'start' | 'end'>) => Math.hypot(w.end[0] - w.start[0], w.end[1] - w.start[1]);

/** The rectangle an opening of `width` at `offset` on `wall` sweeps `reach` metres into the room `polygon`. */
function zoneBeside(wall: Wall, offset: number, width: number, reach: number, polygon: Point[]): Rect {
  const horizontal = wall.start[1] === wall.end[1];
  const dirSign = horizontal ? Math.sign(wall.end[0] - wall.start[0]) : Math.sign(wall.end[1] - wall.start[1]);
  const c = (horizontal ? wall.start[0] : wall.start[1]) + dirSign * offset;
  const a = c - width / 2;
  const b = c + width / 2;
  if (horizontal) {
    const y = wall.start[1];
    const down = pointStrictlyInside([c, y + 0.01], polygon);
    return down ? { x0: a, x1: b, y0: y, y1: y + reach } : { x0: a, x1: b, y0: y - reach, y1: y };
  }
  const x = wall.start[0];
  const right = pointStrictlyInside([x + 0.01, c], polygon);
  return right ? { x0: x, x1: x + reach, y0: a, y1: b } : { x0: x - reach, x1: x, y0: a, y1: b };
}

interface FloorPlan {
  layout: FloorLayout;
  walls: PlannedWall[];
  doors: Door[];
  /** Swing squares of hinged doors and the ways in through every opening, per room. */
  clear: Map<string, Rect[]>;
}

function roomPolygon(layout: FloorLayout, id: string): Point[] {
  return layout.rooms.find((r) => r.id === id)!.polygon;
}

/** Host of a closet behind a small room: the room beside it that a closet opens from best. */
const HOSTS: RoomType[] = [
  'hallway',
  'entrance',
  'bedroom',
  'office',
  'storage',
  'utility',
  'laundry',
  'dining_room',
  'living_room',
  'recreation_room',
];

function placeDoors(layout: FloorLayout, walls: PlannedWall[], stairs: Point[][], key: string): FloorPlan {
  const doors: Door[] = [];
  const clear = new Map<string, Rect[]>();
  const zones: Rect[] = stairs.map((p) => ({ x0: p[0]![0], y0: p[0]![1], x1: p[2]![0], y1: p[2]![1] }));
  const addClear = (room: string, r: Rect) => clear.set(room, [...(clear.get(room) ?? []), r]);
  const typeOf = (id: string) => layout.rooms.find((r) => r.id === id)!.type;

  const place = (roomId: string, other: string | null, width: number, swing: Door['swing'], force = false): boolean => {
    const shared = walls
      .filter((w) => w.rooms.includes(roomId) && (other === null ? w.rooms.length === 1 : w.rooms.includes(other)))
      .filter((w) => wallLength(w) >= width + 0.2)
      .sort((a, b) => wallLength(b) - wallLength(a));
    const inside = roomPolygon(layout, roomId);
    for (const wall of shared) {
      const len = wallLength(wall);
      const margin = Math.min(0.2, (len - width) / 2);
      const tries: [number, 'start' | 'end'][] = [
        [margin + width / 2, 'start'],
        [len - margin - width / 2, 'end'],
        [len / 2, 'start'],
        [len / 2, 'end'],
      ];
      for (const [offset, hinge] of tries) {
        const hinged = swing === 'in' || swing === 'out';
        const swingZone = zoneBeside(wall, offset, width, hinged ? Math.max(width, 0.9) : 0.6, inside);
        if (!force && zones.some((z) => overlaps(z, swingZone))) continue;
        // The leaf must swing inside its room (a squeezed closet may be shallower than the door is wide).
        const corners: Point[] = [
          [swingZone.x0, swingZone.y0],
          [swingZone.x1, swingZone.y0],
          [swingZone.x1, swingZone.y1],
          [swingZone.x0, swingZone.y1],
        ];
        if (!force && !corners.every((p) => pointInsideOrOn(p, inside, 1e-3))) continue;
        const passOther = other ? zoneBeside(wall, offset, width, 0.6, roomPolygon(layout, other)) : null;
        if (!force && passOther && zones.some((z) => overlaps(z, passOther))) continue;
        doors.push({
          id: `${key}-d${doors.length + 1}`,
          wall_id: wall.id,
          offset: fix(offset),
          width,
          room_id: roomId,
          swing,
          ...(hinged ? { hinge } : {}),
        });
        zones.push(swingZone);
        addClear(roomId, swingZone);
        if (passOther && other) {
          // The other side keeps a way in (but stairs and the hallway's own doors may face it).
          addClear(other, passOther);
        }
        return true;
      }
    }
    return false;
  };

  // Doors of rooms reached from the hallway first, the doors of closets behind small rooms after.
  const ordered = [...layout.links].sort((a, b) => Number(a.b === null) - Number(b.b === null));
  for (const link of ordered) {
    const swing = link.kind === 'opening' ? 'none' : 'in';
    if (link.b !== null) {
      // Where no hinged leaf can swing clear (a crowded corner by the stairs), the door slides.
      const fits =
        place(link.a, link.b, link.width, swing) ||
        place(link.a, link.b, Math.min(link.width, 0.7), swing) ||
        place(link.a, link.b, Math.min(link.width, 0.7), swing === 'none' ? 'none' : 'sliding') ||
        place(link.a, link.b, Math.min(link.width, 0.7), swing === 'none' ? 'none' : 'sliding', true);
      if (fits) continue;
    }
    // A closet behind a small room (or a room squeezed off the hallway) opens from a room beside it.
    const neighbours = walls
      .filter((w) => w.rooms.length === 2 && w.rooms.includes(link.a) && wallLength(w) >= Math.min(link.width, 0.7) + 0.2)
      .map((w) => w.rooms.find((r) => r !== link.a)!);
    const ranked = [...new Set(neighbours)].sort((a, b) => rank(typeOf(a)) - rank(typeOf(b)));
    const hosts = ranked.filter((h) => h !== link.b);
    if (
      !hosts.some((host) => place(link.a, host, link.width, swing)) &&
      !hosts.some((host) => place(link.a, host, Math.min(link.width, 0.7), 'sliding', true))
    ) {
      throw new Error(`generated room ${link.a} has no room to open from`);
    }
  }
  // The front door opens into the entrance; where it has no outer wall, into the living room.
  const living = layout.rooms.find((r) => r.type === 'living_room')?.id;
  const frontDoor = () =>
    place(layout.entry!, null, FRONT_DOOR, 'in') ||
    place(layout.hallId, null, FRONT_DOOR, 'in') ||
    (living !== undefined && place(living, null, FRONT_DOOR, 'in'));
  if (layout.entry && !frontDoor()) {
    throw new Error(`generated entrance ${layout.entry} has no outer wall`);
  }
  return { layout, walls, doors, clear };
}

// A closet opens from a WC or a bathroom only where no other room is beside it: the way in would
// take the floor the WC's fixtures need.
const rank = (t: RoomType) => (HOSTS.includes(t) ? HOSTS.indexOf(t) : t === 'toilet' || t === 'bathroom' ? 200 : 100);

function placeWindows(plan: FloorPlan, level: number, height: number, key: string): Window[] {
  const windows: Window[] = [];
  const typeOf = new Map(plan.layout.rooms.map((r) => [r.id, r.type]));
  const doorWalls = new Set(plan.doors.map((d) => d.wall_id));
  for (const wall of plan.walls) {
    if (!wall.exterior || doorWalls.has(wall.id)) continue;
    const type = typeOf.get(wall.rooms[0]!)!;
    const len = wallLength(wall);
    const below = level < 0;
    if (HABITABLE.includes(type) && len >= 1.2) {
      const width = below ? Math.min(1.0, snap(len * 0.4)) : Math.min(1.8, Math.max(0.6, snap(len * 0.45)));
      windows.push({
        id: `${key}-win${windows.length + 1}`,
        wall_id: wall.id,
        offset: fix(len / 2),
        width,
        sill_height: below ? 1.5 : 0.9,
        head_height: Math.min(2.1, height - 0.2),
      });
    } else if (
      WET_WINDOWED.includes(type) &&
      len >= 1.2 &&
      !windows.some((w) => typeOf.get(roomOfWall(plan, w.wall_id)) === type && roomOfWall(plan, w.wall_id) === wall.rooms[0])
    ) {
      windows.push({
        id: `${key}-win${windows.length + 1}`,
        wall_id: wall.id,
        offset: fix(len / 2),
        width: 0.6,
        sill_height: 1.5,
        head_height: Math.min(2.1, height - 0.2),
      });
    }
  }
  return windows;
}

const roomOfWall = (plan: FloorPlan, wallId: string) => plan.walls.find((w) => w.id === wallId)!.rooms[0]!;

/** How far each side of a room's rectangle is covered by its walls' half thickness. */
function innerRect(rect: Rect, walls: PlannedWall[], roomId: string): Rect {
  const half = (test: (w: PlannedWall) => boolean) =>
    Math.max(0.06, ...walls.filter((w) => w.rooms.includes(roomId) && test(w)).map((w) => w.thickness / 2));
  const h = (w: PlannedWall) => w.start[1] === w.end[1];
  return {
    x0: fix(rect.x0 + half((w) => !h(w) && w.start[0] === rect.x0)),
    x1: fix(rect.x1 - half((w) => !h(w) && w.start[0] === rect.x1)),
    y0: fix(rect.y0 + half((w) => h(w) && w.start[1] === rect.y0)),
    y1: fix(rect.y1 - half((w) => h(w) && w.start[1] === rect.y1)),
  };
}

function placeAllFixtures(plan: FloorPlan, windows: Window[], rnd: () => number, key: string): Fixture[] {
  const fixtures: Fixture[] = [];
  let n = 0;
  const nextId = () => `${key}-fx${++n}`;
  for (const room of plan.layout.rooms) {
    if (room.id === plan.layout.hallId) continue;
    const inner = innerRect(room.rect, plan.walls, room.id);
    const wants = fixturesFor(room.type, inner, rnd);
    if (wants.length === 0) continue;
    const own = plan.walls.filter((w) => w.rooms.includes(room.id));
    const sideOf = (w: PlannedWall): Side =>
      w.start[1] === w.end[1] ? (w.start[1] === room.rect.y0 ? 'n' : 's') : w.start[0] === room.rect.x0 ? 'w' : 'e';
    // Outer walls first (a kitchen's run under its window, a bath along the outside), then the longest.
    const score = (s: Side) => {
      const ws = own.filter((w) => sideOf(w) === s);
      const outer = ws.some((w) => w.exterior) ? 0 : 1;
      const len = s === 'n' || s === 's' ? room.rect.x1 - room.rect.x0 : room.rect.y1 - room.rect.y0;
      return outer * 100 - len;
    };
    const sides = (['n', 'e', 's', 'w'] as Side[]).sort((a, b) => score(a) - score(b));
    const keepLow = windows
      .filter((w) => own.some((x) => x.id === w.wall_id))
      .map((w) =>
        zoneBeside(
          plan.walls.find((x) => x.id === w.wall_id)!,
          w.offset,
          w.width + 0.1,
          0.8,
          room.polygon,
        ),
      );
    fixtures.push(
      ...placeFixtures({ id: room.id, type: room.type, inner, sides, keepClear: plan.clear.get(room.id) ?? [], keepLow }, wants, nextId),
    );
  }
  return fixtures;
}

/**
 * The model for an order. `scannedAreaSqft` is the order's total scanned area in square feet;
 * when it is 0 (not yet known), a plausible area between 70 and 230 m² is drawn from the seed.
 * `floors` (1–4) fixes the number of floors; unset, it follows from the area.
 */
export function generateModel(seed: string, scannedAreaSqft: number, floors?: number): FloorPlanModel {
  const rnd = seededRandom(seed);
  const totalM2 = scannedAreaSqft > 0 ? Math.min(2000, Math.max(30, scannedAreaSqft * SQFT_TO_M2)) : 70 + rnd() * 160;
  const byArea = totalM2 < 90 ? 1 : totalM2 < 170 ? (rnd() < 0.5 ? 1 : 2) : rnd() < 0.5 ? 2 : 3;
  // A floor count the area cannot furnish (under 75 m² a floor) is lowered to one it can.
  const wanted = floors === undefined ? Math.min(byArea, Math.max(1, Math.floor(totalM2 / 85))) : Math.round(floors);
  const count = Math.max(1, Math.min(4, wanted, Math.floor(totalM2 / 75)), floors === undefined ? Math.ceil(totalM2 / 300) : 1);
  // A basement only under two floors above grade: one floor above it could not hold the whole programme.
  const basement = totalM2 >= 150 && count >= 3 && rnd() < 0.5;
  const first = basement ? -1 : 0;
  const levels = Array.from({ length: count }, (_, i) => first + i);
  const programme = homeProgramme(totalM2, levels, rnd);
  const keyOf = (index: number) => (levels[index]! < 0 ? `b${-levels[index]!}` : `f${levels[index]!}`);
  // Flight i joins levels[i] and levels[i + 1]; a floor has the flights below and above it.
  const flightsOf = (index: number) => [index - 1, index].filter((i) => i >= 0 && i < levels.length - 1);
  const { layouts } = fitHome(() => planFootprint(totalM2 / count, count > 1, rnd), programme, flightsOf, keyOf);
  return {
    version: 2,
    floors: levels.map((level, index) => {
      const key = keyOf(index);
      const flights = flightsOf(index);
      const layout = layouts[index]!;
      const height = level < 0 ? 2.4 : 2.6;
      const walls = wallsFromRooms(layout.rooms, key);
      const stairPolygons = flights.map((i) => layout.flights.get(i)!);
      const plan = placeDoors(layout, walls, stairPolygons, key);
      const windows = placeWindows(plan, level, height, key);
      const stairs: Stairs[] = flights.map((i, k) => ({
        id: `${key}-s${k + 1}`,
        polygon: layout.flights.get(i)!,
        to_level: levels[i] === level ? levels[i + 1]! : levels[i]!,
      }));
      const floor: Floor = {
        level,
        below_grade: level < 0,
        height,
        outline: layout.outline,
        rooms: layout.rooms.map((r) => ({ id: r.id, type: r.type, polygon: r.polygon })),
        walls: walls.map(({ id, start, end, thickness, exterior }) => ({ id, start, end, thickness, exterior })),
        doors: plan.doors,
        windows,
        stairs,
        fixtures: placeAllFixtures(plan, windows, rnd, key),
      };
      return floor;
    }),
  };
}
