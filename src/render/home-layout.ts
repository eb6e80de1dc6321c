// Where a generated home's rooms go: a footprint shared by every floor (a rectangle, L, T, U or
// stepped outline), cut by recursive slicing. A hallway spine runs along the footprint; the bands
// either side of it are sliced into end cells (fixed widths, the same on every floor, so the
// outline's steps fall on room walls), the stair cell (the same place on every floor) and a middle
// sliced among the floor's programme, each room as wide as its area asks within its believable
// range. An end room may reach across the spine's end (the hallway then stops at its wall); a small
// room (WC, linen closet) takes the hallway side of a cell with a closet behind it, reached from the
// room beside the cell.
import { ONE_PER_FLOOR, ROOM_SIZES, spec, type FloorProgramme, type RoomSpec } from './home-programme.js';
import type { Point, RoomType } from './model.js';

export const snap = (v: number) => Math.round(v * 20) / 20; // 5 cm grid
export const fix = (v: number) => Math.round(v * 1000) / 1000;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** A flight of stairs (2.8 m) and its clearances: the width of the stair cell along the spine. */
export const STAIR_CELL = 3.1;
const FLIGHT_LENGTH = 2.8;
const FLIGHT_WIDTH = 1.0;

export const SHAPES = ['rectangle', 'L', 'T', 'U', 'stepped'] as const;
export type Shape = (typeof SHAPES)[number];
type Part = 'l' | 'm' | 'r';

export interface Footprint {
  shape: Shape;
  width: number;
  depth: number;
  /** The spine runs over [hallTop, hallTop + hallWidth] across the depth. */
  hallTop: number;
  hallWidth: number;
  twoBands: boolean;
  /** Widths of the end cells of each band, [left, right]; 0 where the band has none. */
  ends: { top: [number, number]; bottom: [number, number] };
  /** How far each part of a band's outer edge is set back from the footprint's box. */
  recess: { top: Record<Part, number>; bottom: Record<Part, number> };
  /** The stair cell's x range in the bottom band, or null in a one-floor home. */
  stairs: [number, number] | null;
}

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export const rectArea = (r: Rect) => (r.x1 - r.x0) * (r.y1 - r.y0);
export const rectPolygon = (r: Rect): Point[] => [
  [r.x0, r.y0],
  [r.x1, r.y0],
  [r.x1, r.y1],
  [r.x0, r.y1],
];

/** The footprint for `perFloorM2` of rooms on each floor; `stairs` when floors are stacked. */
export function planFootprint(perFloorM2: number, stairs: boolean, rnd: () => number): Footprint {
  const hallWidth = snap(1.1 + rnd() * 0.2);
  const none = { l: 0, m: 0, r: 0 };
  if (perFloorM2 < 55) {
    // One band below a spine along the front: small flats and cottages.
    const d = snap(perFloorM2 < 45 ? 3.2 + rnd() * 0.4 : 3.4 + rnd() * 0.8);
    const depth = fix(hallWidth + d);
    const width = Math.max(stairs ? 7.5 : 5.6, snap(perFloorM2 / depth));
    const left = snap(clamp(Math.max(width * 0.45, 16 / depth), 3.2, 4.4));
    const right = width - left - (stairs ? STAIR_CELL : 0) >= 6.4 ? 3.2 : 0;
    return {
      shape: 'rectangle',
      width,
      depth,
      hallTop: 0,
      hallWidth,
      twoBands: false,
      ends: { top: [0, 0], bottom: [left, right] },
      recess: { top: { ...none }, bottom: { ...none } },
      stairs: stairs ? [left, fix(left + STAIR_CELL)] : null,
    };
  }
  const aspect = 1.3 + rnd() * 0.6;
  const base = clamp((Math.sqrt(perFloorM2 / aspect) - hallWidth) / 2, 3.0, 4.6);
  const dt = snap(clamp(base + (rnd() - 0.5) * 0.8, 3.0, 4.6));
  const db = snap(clamp(base + (rnd() - 0.5) * 0.8, 3.0, 4.6));
  const depth = fix(dt + hallWidth + db);
  // End cells: at most 19.5 m² so a bedroom fits; the two at one end differ by a metre or more,
  // so the narrower may reach across the spine's end and the other still meets the hallway.
  const endPair = (): [number, number] => {
    const a = snap(clamp(3.0 + rnd() * 1.2, 3.0, 19.5 / dt));
    const down = a - 1.0 >= 3.0 && rnd() < 0.5;
    const b = snap(clamp(down ? a - 1.0 - rnd() * 0.4 : a + 1.0 + rnd() * 0.4, 3.0, 19.5 / db));
    return [a, b];
  };
  const [tl, bl] = endPair();
  const [tr, br] = endPair();
  const middleRoom = (w: number, t: [number, number], b: [number, number]) =>
    Math.min(w - t[0] - t[1], w - b[0] - b[1] - (stairs ? STAIR_CELL : 0));
  let top: [number, number] = [tl, tr];
  let bottom: [number, number] = [bl, br];
  let width = snap(perFloorM2 / depth);
  // End cells only where the middles keep room for the programme's many small rooms.
  if (middleRoom(width, top, bottom) < 6.5) {
    top = [tl, 0];
    bottom = [bl, 0];
  }
  if (middleRoom(width, top, bottom) < 4.0) {
    top = [0, 0];
    bottom = [0, 0];
  }
  const recess = { top: { ...none }, bottom: { ...none } };
  let shape: Shape = 'rectangle';
  const ends = top[1] > 0 && bottom[1] > 0 && top[0] > 0 && bottom[0] > 0;
  if (ends && Math.min(dt, db) >= 3.6 && perFloorM2 >= 70) {
    shape = SHAPES[Math.floor(rnd() * SHAPES.length)]!;
    const rt = snap(clamp(1.0 + rnd() * 0.8, 1.0, dt - 2.6));
    const rb = snap(clamp(1.0 + rnd() * 0.8, 1.0, db - 2.6));
    if (shape === 'L') recess.top.r = rt;
    if (shape === 'T') recess.top.l = recess.top.r = rt;
    if (shape === 'U') recess.top.m = rt;
    if (shape === 'stepped') {
      recess.top.l = rt;
      recess.bottom.r = rb;
    }
    const cut = top[0] * recess.top.l + top[1] * recess.top.r + bottom[0] * recess.bottom.l + bottom[1] * recess.bottom.r;
    width =
      shape === 'U' ? snap((perFloorM2 - (top[0] + top[1]) * recess.top.m) / (depth - recess.top.m)) : snap((perFloorM2 + cut) / depth);
    if (middleRoom(width, top, bottom) < 6.0) {
      shape = 'rectangle';
      recess.top = { ...none };
      recess.bottom = { ...none };
      width = snap(perFloorM2 / depth);
    }
  }
  return {
    shape,
    width,
    depth,
    hallTop: dt,
    hallWidth,
    twoBands: true,
    ends: { top, bottom },
    recess,
    stairs: stairs ? [bottom[0], fix(bottom[0] + STAIR_CELL)] : null,
  };
}

/** The footprint's outline, clockwise on the page from its top-left corner. */
export function outlineOf(fp: Footprint): Point[] {
  const W = fp.width;
  const D = fp.depth;
  const edge = (ends: [number, number], recess: Record<Part, number>) => [
    { x0: 0, x1: ends[0], r: recess.l },
    { x0: ends[0], x1: fix(W - ends[1]), r: recess.m },
    { x0: fix(W - ends[1]), x1: W, r: recess.r },
  ];
  const pts: Point[] = [];
  for (const p of edge(fp.ends.top, fp.recess.top)) if (p.x1 > p.x0) pts.push([p.x0, p.r], [p.x1, p.r]);
  for (const p of edge(fp.ends.bottom, fp.recess.bottom).reverse()) if (p.x1 > p.x0) pts.push([p.x1, fix(D - p.r)], [p.x0, fix(D - p.r)]);
  return cleanPolygon(pts);
}

/** Drops repeated points and points in the middle of a straight run. */
export function cleanPolygon(pts: Point[]): Point[] {
  let out = pts.filter((p, i) => {
    const q = pts[(i + pts.length - 1) % pts.length]!;
    return Math.abs(p[0] - q[0]) > 1e-9 || Math.abs(p[1] - q[1]) > 1e-9;
  });
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < out.length; i++) {
      const a = out[(i + out.length - 1) % out.length]!;
      const b = out[i]!;
      const c = out[(i + 1) % out.length]!;
      if (
        (Math.abs(a[0] - b[0]) < 1e-9 && Math.abs(b[0] - c[0]) < 1e-9) ||
        (Math.abs(a[1] - b[1]) < 1e-9 && Math.abs(b[1] - c[1]) < 1e-9)
      ) {
        out = out.filter((_, k) => k !== i);
        changed = true;
        break;
      }
    }
  }
  return out;
}

export interface PlannedRoom {
  id: string;
  type: RoomType;
  polygon: Point[];
  /** Its bounding rectangle (the room itself for every room but the hallway). */
  rect: Rect;
  /** The room reaches across the spine's end. */
  ender?: boolean;
}

export interface Link {
  a: string;
  /** A room id, or null: "the room beside this closet" (found from the walls). */
  b: string | null;
  kind: 'door' | 'opening';
  width: number;
}

export interface FloorLayout {
  rooms: PlannedRoom[];
  hallId: string;
  links: Link[];
  /** The room the front door opens into (entrance level only). */
  entry: string | null;
  /** Flights of stairs, by their index among the home's flights (flight i joins levels i and i+1). */
  flights: Map<number, Point[]>;
  outline: Point[];
  /** Metres of band length the rooms lack for their smallest sizes: 0 when every room fits its range. */
  shortfall: number;
}

const END_TYPES: RoomType[] = ['living_room', 'kitchen', 'dining_room', 'bedroom', 'office', 'recreation_room', 'storage'];

interface Cell extends Rect {
  spec: RoomSpec;
  band: 'top' | 'bottom';
  end?: 'l' | 'r';
}

/** Depth of a pair's hallway-side room in a band `d` deep; the closet behind takes the rest. */
export const frontDepth = (d: number) => snap(clamp(d - 1.2, 1.6, 2.2));

function widthRange(s: RoomSpec, d: number): { min: number; pref: number; max: number } {
  if (s.back) {
    const fd = frontDepth(d);
    const max = Math.min(s.max / fd, 6 / (d - fd));
    return { min: Math.max(s.minWidth, 1.0, s.min / fd), pref: clamp(s.pref / fd, 1.0, max), max };
  }
  const min = Math.max(s.minWidth, s.min / d);
  return { min, pref: clamp(s.pref / d, min, s.max / d), max: Math.max(min, s.max / d) };
}

/** Rooms whose fixtures need their full smallest size: a squeezed band takes its length from the others. */
const FITTED: RoomType[] = ['kitchen', 'bathroom', 'toilet', 'laundry'];

/**
 * Widths for `list` filling `length` at depth `d`: each as near its preferred width as the others
 * allow, inside its range. Optional rooms go first when it is too short; filler rooms come when it
 * is too long (a type of ONE_PER_FLOOR only while `present` says the floor has none). Returns the
 * rooms, their widths and the shortfall: the length the rooms' smallest widths lack (0 when they fit).
 */
function sliceBand(
  list: RoomSpec[],
  length: number,
  d: number,
  fillers: RoomType[],
  present: (t: RoomType) => boolean,
): { specs: RoomSpec[]; widths: number[]; shortfall: number } {
  const specs = [...list];
  const mayFill = (t: RoomType) => !ONE_PER_FLOOR.includes(t) || !(present(t) || specs.some((s) => s.type === t));
  for (let guard = 0; guard < 12; guard++) {
    const ranges = specs.map((s) => widthRange(s, d));
    const sumMin = ranges.reduce((s, r) => s + r.min, 0);
    const sumMax = ranges.reduce((s, r) => s + r.max, 0);
    const sumPref = ranges.reduce((s, r) => s + r.pref, 0);
    if (sumMin > length + 1e-6 || (sumPref > length * 1.25 && specs.some((s) => s.optional))) {
      const i = specs.map((s) => s.optional).lastIndexOf(true);
      if (i < 0) break;
      specs.splice(i, 1);
      continue;
    }
    if (sumMax < length - 1e-6) {
      const gap = length - sumMin;
      const type = [...fillers, 'storage' as const, 'closet' as const].find(
        (t) => mayFill(t) && widthRange(spec(t, 0), d).min <= gap - 0.05,
      );
      if (!type) break;
      specs.push(spec(type, (length - sumMax) * d, { optional: true }));
      continue;
    }
    break;
  }
  const ranges = specs.map((s) => widthRange(s, d));
  const total = (f: number) => ranges.reduce((s, r) => s + clamp(r.pref * f, r.min, r.max), 0);
  let lo = 0.01;
  let hi = 100;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (total(mid) < length) lo = mid;
    else hi = mid;
  }
  let widths = ranges.map((r) => clamp(r.pref * lo, r.min, r.max));
  const sum = widths.reduce((s, w) => s + w, 0);
  const shortfall = Math.max(0, sum - length);
  if (sum > length + 1e-6) {
    // Too short even for the smallest sizes (the home's fitting moves rooms elsewhere where it can):
    // the rooms with fixtures keep theirs while the others can give up to half of their width.
    const fitted = specs.map((s) => FITTED.includes(s.type));
    const kept = widths.reduce((s, w, i) => s + (fitted[i] ? w : 0), 0);
    const f = (length - kept) / (sum - kept);
    widths = f >= 0.5 && f < 1 ? widths.map((w, i) => (fitted[i] ? w : w * f)) : widths.map((w) => (w * length) / sum);
  } else if (sum < length - 1e-6) {
    // Length no filler could take goes to the rooms whose size matters least.
    const roomy = specs.map((s) => !['bathroom', 'toilet', 'closet', 'kitchen', 'bedroom'].includes(s.type));
    const pick = roomy.some(Boolean) ? roomy : specs.map(() => true);
    const base = widths.reduce((s, w, i) => s + (pick[i] ? w : 0), 0);
    widths = widths.map((w, i) => (pick[i] ? w + ((length - sum) * w) / base : w));
  }
  return { specs, widths, shortfall };
}

/**
 * The band whose end cell at `side` reaches across the spine's end, or null: the narrower of the
 * two, when the other is a metre wider (so the rooms beyond it still meet the hallway) and the
 * stairs are not in its way.
 */
function reachingBand(fp: Footprint, side: 'l' | 'r'): 'top' | 'bottom' | null {
  const i = side === 'l' ? 0 : 1;
  const bottom = fp.ends.bottom[i];
  const top = fp.ends.top[i];
  let band: 'top' | 'bottom';
  if (!fp.twoBands) {
    if (bottom <= 0) return null;
    band = 'bottom';
  } else {
    if (top <= 0 || bottom <= 0 || Math.abs(top - bottom) < 1.0 - 1e-9) return null;
    band = top < bottom ? 'top' : 'bottom';
  }
  const e = fp.ends[band][i];
  const limit = side === 'l' ? e : fix(fp.width - e);
  if (fp.stairs && (side === 'l' ? limit > fp.stairs[0] : limit < fp.stairs[1])) return null;
  return band;
}

/**
 * Chooses the room for an end cell of `area` m² (`reaching` m² if it reaches across the spine's
 * end, null if it cannot): the programme room that fits best, or a filler.
 */
function endOccupant(area: number, reaching: number | null, width: number, pool: RoomSpec[], fillers: RoomType[]): RoomSpec {
  // The area the room ends up with: it reaches across whenever it may and stays in its range.
  const sized = (s: { min: number; max: number }): number | null => {
    if (reaching !== null && reaching >= s.min && reaching <= s.max) return reaching;
    return area >= s.min && area <= s.max ? area : null;
  };
  let best: RoomSpec | null = null;
  let score = Infinity;
  for (const s of pool) {
    if (!END_TYPES.includes(s.type) || s.open || s.back || width < s.minWidth) continue;
    const a = sized(s);
    if (a === null) continue;
    const sc = Math.abs(Math.log(a / s.pref));
    if (sc < score) {
      best = s;
      score = sc;
    }
  }
  if (best && score < 0.6) {
    pool.splice(pool.indexOf(best), 1);
    return best;
  }
  const type =
    [...fillers, 'office' as const, 'storage' as const].find((t) => sized(ROOM_SIZES[t]!) !== null && width >= ROOM_SIZES[t]!.minWidth) ??
    'storage';
  return spec(type, sized(ROOM_SIZES[type]!) ?? area, { optional: true });
}

/** The rooms of one floor on the footprint. `flights` lists the flights this floor has. */
export function layoutFloor(fp: Footprint, prog: FloorProgramme, flights: number[], key: string): FloorLayout {
  const W = fp.width;
  const D = fp.depth;
  const ht = fp.hallTop;
  const hb = fix(ht + fp.hallWidth);
  const lists = { top: fp.twoBands ? [...prog.top] : [], bottom: fp.twoBands ? [...prog.bottom] : [...prog.top, ...prog.bottom] };
  const bands: ('top' | 'bottom')[] = fp.twoBands ? ['top', 'bottom'] : ['bottom'];
  const rows = (band: 'top' | 'bottom', part: Part): [number, number] =>
    band === 'top' ? [fp.recess.top[part], ht] : [hb, fix(D - fp.recess.bottom[part])];

  // End cells first: they have fixed widths, so they take the programme room that fits them.
  const cells: Cell[] = [];
  const present = (t: RoomType) => cells.some((c) => c.spec.type === t) || bands.some((b) => lists[b].some((s) => s.type === t));
  const mayFill = (t: RoomType) => !ONE_PER_FLOOR.includes(t) || !present(t);
  const pool = [...lists.top, ...lists.bottom];
  for (const side of ['l', 'r'] as const) {
    for (const band of bands) {
      const e = fp.ends[band][side === 'l' ? 0 : 1];
      if (e <= 0) continue;
      const [y0, y1] = rows(band, side);
      const reaching = reachingBand(fp, side) === band ? e * (y1 - y0 + fp.hallWidth) : null;
      const occupant = endOccupant(e * (y1 - y0), reaching, e, pool, prog.fillers.filter(mayFill));
      for (const b of bands) {
        const i = lists[b].indexOf(occupant);
        if (i >= 0) lists[b].splice(i, 1);
      }
      const x0 = side === 'l' ? 0 : fix(W - e);
      cells.push({ spec: occupant, band, end: side, x0, x1: fix(x0 + e), y0, y1 });
    }
  }
  // An open kitchen goes beside the living room.
  const living = cells.find((c) => c.spec.type === 'living_room');
  const kitchen = [...lists.top, ...lists.bottom].find((s) => s.type === 'kitchen' && s.open);
  if (kitchen) {
    for (const b of bands) if (lists[b].includes(kitchen)) lists[b].splice(lists[b].indexOf(kitchen), 1);
    if (living) {
      if (living.end === 'l') lists[living.band].unshift(kitchen);
      else lists[living.band].push(kitchen);
    } else {
      const band = bands.find((b) => lists[b].some((s) => s.type === 'living_room')) ?? bands[0]!;
      const at = lists[band].findIndex((s) => s.type === 'living_room');
      lists[band].splice(at + 1, 0, kitchen);
    }
  }

  // The middles. Rooms move from a crowded side to the other while that one has room for them,
  // and what one side cannot hold at all is tried on the other.
  const middle = (band: 'top' | 'bottom') => {
    const [y0, y1] = rows(band, 'm');
    const start = band === 'bottom' && fp.stairs ? fp.stairs[1] : fp.ends[band][0];
    return { y0, y1, d: y1 - y0, start, end: fix(W - fp.ends[band][1]) };
  };
  if (fp.twoBands) {
    // Spread the middles' rooms over the two sides: each stays on its own side while that side is
    // no fuller than the other, the rooms the home needs before the optional ones, and an optional
    // room only where its preferred width still fits. An open kitchen stays beside the living room.
    const length = (band: 'top' | 'bottom') => middle(band).end - middle(band).start;
    const spread = { top: [] as RoomSpec[], bottom: [] as RoomSpec[] };
    const used = { top: { min: 0, pref: 0 }, bottom: { min: 0, pref: 0 } };
    const put = (r: RoomSpec, band: 'top' | 'bottom') => {
      const w = widthRange(r, middle(band).d);
      spread[band].push(r);
      used[band].min += w.min;
      used[band].pref += w.pref;
    };
    const all = bands.flatMap((band) => lists[band].map((r) => ({ r, band })));
    for (const optional of [false, true]) {
      for (const { r, band } of all.filter((x) => x.r.optional === optional)) {
        const other = band === 'top' ? 'bottom' : 'top';
        const fits = (b: 'top' | 'bottom') =>
          used[b].min + widthRange(r, middle(b).d).min <= length(b) + 1e-6 &&
          (!optional || used[b].pref + widthRange(r, middle(b).d).pref <= length(b) + 1e-6);
        const fullness = (b: 'top' | 'bottom') => used[b].pref / Math.max(0.1, length(b));
        const fixed = r === kitchen || r.type === 'living_room';
        if (fixed || (fits(band) && fullness(band) <= fullness(other) + 0.15)) put(r, band);
        else if (fits(other)) put(r, other);
        else if (fits(band) || !optional) put(r, band);
      }
      // Keep each side in the programme's order (a closet pair after its bedroom, a kitchen after the living room).
      for (const band of bands) spread[band].sort((x, y) => all.findIndex((e) => e.r === x) - all.findIndex((e) => e.r === y));
    }
    lists.top = spread.top;
    lists.bottom = spread.bottom;
  }
  const sliced = new Map<'top' | 'bottom', ReturnType<typeof sliceBand>>();
  for (const band of bands) {
    const m = middle(band);
    const slice = sliceBand(lists[band], m.end - m.start, m.d, prog.fillers, present);
    sliced.set(band, slice);
    lists[band] = slice.specs;
  }
  for (const band of bands) {
    const { start, end, y0, y1 } = middle(band);
    const { specs, widths } = sliced.get(band)!;
    let x = start;
    specs.forEach((s, i) => {
      const x1 = i === specs.length - 1 ? end : fix(snap(x + widths[i]!));
      cells.push({ spec: s, band, x0: fix(x), x1, y0, y1 });
      x = x1;
    });
  }

  // Where the hallway stops: at an end room reaching across its end, or at the outer wall.
  const reach = (side: 'l' | 'r'): Cell | null => {
    const band = reachingBand(fp, side);
    const narrow = cells.find((c) => c.end === side && c.band === band);
    if (!narrow) return null;
    const grown = (narrow.x1 - narrow.x0) * (narrow.y1 - narrow.y0 + fp.hallWidth);
    return grown <= narrow.spec.max && END_TYPES.includes(narrow.spec.type) ? narrow : null;
  };
  const left = reach('l');
  const right = reach('r');
  const hx0 = left ? left.x1 : 0;
  const hx1 = right ? right.x0 : W;
  for (const c of [left, right]) {
    if (!c) continue;
    if (c.band === 'top') c.y1 = hb;
    else c.y0 = ht;
  }

  // Rooms: the hallway (with the stair cell) first, then the cells left to right.
  let n = 0;
  const id = () => `${key}-r${++n}`;
  const hallRect: Rect = { x0: hx0, y0: ht, x1: hx1, y1: hb };
  const stairRect: Rect | null = fp.stairs ? { x0: fp.stairs[0], y0: hb, x1: fp.stairs[1], y1: fix(D - fp.recess.bottom.m) } : null;
  const hallPolygon = stairRect
    ? cleanPolygon([
        [hx0, ht],
        [hx1, ht],
        [hx1, hb],
        [stairRect.x1, hb],
        [stairRect.x1, stairRect.y1],
        [stairRect.x0, stairRect.y1],
        [stairRect.x0, hb],
        [hx0, hb],
      ])
    : rectPolygon(hallRect);
  const hasEntranceRoom = cells.some((c) => c.spec.type === 'entrance');
  const hallType: RoomType = prog.level === 0 && !hasEntranceRoom ? 'entrance' : 'hallway';
  const hall: PlannedRoom = {
    id: id(),
    type: hallType,
    polygon: hallPolygon,
    rect: { x0: hx0, y0: ht, x1: hx1, y1: stairRect ? stairRect.y1 : hb },
  };
  const rooms: PlannedRoom[] = [hall];
  const links: Link[] = [];
  const sorted = [...cells].sort((a, b) => a.x0 - b.x0 || a.y0 - b.y0);
  for (const c of sorted) {
    if (c.spec.back) {
      const fd = frontDepth(c.y1 - c.y0);
      const front: Rect = c.band === 'top' ? { ...c, y0: fix(c.y1 - fd) } : { ...c, y1: fix(c.y0 + fd) };
      const back: Rect = c.band === 'top' ? { ...c, y1: front.y0 } : { ...c, y0: front.y1 };
      const f = { id: id(), type: c.spec.type, polygon: rectPolygon(front), rect: front };
      const b = { id: id(), type: c.spec.back, polygon: rectPolygon(back), rect: back };
      rooms.push(f, b);
      links.push({ a: f.id, b: hall.id, kind: 'door', width: 0.7 }, { a: b.id, b: null, kind: 'door', width: 0.7 });
      continue;
    }
    const rect: Rect = { x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1 };
    const room: PlannedRoom = { id: id(), type: c.spec.type, polygon: rectPolygon(rect), rect, ender: c === left || c === right };
    rooms.push(room);
  }
  // Links: every room to the hallway, but an open kitchen to the living room beside it.
  const liv = rooms.find((r) => r.type === 'living_room');
  for (const room of rooms) {
    if (room === hall || links.some((l) => l.a === room.id)) continue;
    const openKitchen = room.type === 'kitchen' && kitchen !== undefined && liv && sharedLength(room.rect, liv.rect) >= 1.4;
    if (openKitchen)
      links.push({ a: room.id, b: liv.id, kind: 'opening', width: snap(Math.min(2.4, sharedLength(room.rect, liv.rect) - 0.5)) });
    else if (room.type === 'entrance') links.push({ a: room.id, b: hall.id, kind: 'opening', width: 1.0 });
    else links.push({ a: room.id, b: hall.id, kind: 'door', width: ['closet', 'toilet', 'storage'].includes(room.type) ? 0.7 : 0.8 });
  }

  const flightPolygons = new Map<number, Point[]>();
  if (stairRect) {
    flights.forEach((flight) => {
      const strip = flight % 2;
      const y1 = fix(stairRect.y1 - 0.1 - strip * FLIGHT_WIDTH);
      const x0 = fix(stairRect.x0 + (STAIR_CELL - FLIGHT_LENGTH) / 2);
      flightPolygons.set(flight, rectPolygon({ x0, x1: fix(x0 + FLIGHT_LENGTH), y0: fix(y1 - FLIGHT_WIDTH), y1 }));
    });
  }
  const entry = prog.level === 0 ? (rooms.find((r) => r.type === 'entrance' && r !== hall)?.id ?? hall.id) : null;
  const shortfall = bands.reduce((s, b) => s + sliced.get(b)!.shortfall, 0);
  return { rooms, hallId: hall.id, links, entry, flights: flightPolygons, outline: outlineOf(fp), shortfall };
}

/** Length of the edge two rectangles share (0 when they only touch at a corner or not at all). */
export function sharedLength(a: Rect, b: Rect): number {
  const eq = (u: number, v: number) => Math.abs(u - v) < 1e-6;
  if (eq(a.x1, b.x0) || eq(b.x1, a.x0)) return Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));
  if (eq(a.y1, b.y0) || eq(b.y1, a.y0)) return Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0));
  return 0;
}
