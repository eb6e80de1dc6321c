// Where each room's label goes: a box of its lines (name, area, and in the measured drawings the
// room's size) inside the room, clear of walls, door swings, fixtures and stairs. The largest
// label that fits wins, nearest the room's middle; small rooms get smaller type, then fewer lines,
// then a shortened name, and a room with no clear spot at all gets no label rather than one drawn
// over something. Computed in metres, so the SVG (any scale) and the DXF place labels alike.
import { boundingBox, centroid, pointInsideOrOn, pointStrictlyInside, rotatedRect, wallRectangle, type Box } from './geometry.js';
import type { Floor, Point, Room } from './model.js';
import { placedDoors, type PlacedDoor } from './openings.js';
import { ASCENT, DESCENT, textWidth } from './text-width.js';

export type LabelLineKind = 'name' | 'area' | 'size';

export interface LabelLine {
  kind: LabelLineKind;
  text: string;
  /** Font size, in metres on the plan. */
  size: number;
  bold: boolean;
  /** Centre of the line, and its baseline. */
  x: number;
  y: number;
}

export interface PlacedLabel {
  lines: LabelLine[];
  /** The box the lines' glyphs stay inside. */
  box: Box;
}

/** A door's hinged leaf and the quarter circle it sweeps, as a convex polygon (hinge, then the arc). */
export function swingSector(d: PlacedDoor, steps = 16): Point[] {
  const r = d.door.width;
  const len = Math.hypot(d.jamb[0] - d.hinge[0], d.jamb[1] - d.hinge[1]) || 1;
  const v: Point = [(d.jamb[0] - d.hinge[0]) / len, (d.jamb[1] - d.hinge[1]) / len];
  const u = d.toward;
  const pts: Point[] = [d.hinge];
  for (let i = 0; i <= steps; i++) {
    const t = ((i / steps) * Math.PI) / 2;
    // The polygon's edges lie inside the arc: push its points out so the edges reach the arc.
    const out = r / Math.cos(Math.PI / 4 / steps);
    const rr = i === 0 || i === steps ? r : out;
    pts.push([d.hinge[0] + rr * (Math.cos(t) * v[0] + Math.sin(t) * u[0]), d.hinge[1] + rr * (Math.cos(t) * v[1] + Math.sin(t) * u[1])]);
  }
  return pts;
}

/** Something a label keeps clear of: its bounding box and an exact test against a box. */
export interface Obstacle {
  box: Box;
  meets(box: Box): boolean;
}

const boxesMeet = (a: Box, b: Box) => a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY;

/** A convex polygon; one with sides along the axes is tested as its box. */
function polygonObstacle(poly: Point[]): Obstacle {
  const box = boundingBox(poly);
  const aligned = poly.length === 4 && poly.every((a, i) => isAxisEdge(a, poly[(i + 1) % 4]!));
  return { box, meets: aligned ? (b) => boxesMeet(box, b) : (b) => boxesMeet(box, b) && boxMeetsConvex(b, poly) };
}

/** A door's swept quarter circle: within its radius of the hinge, on the leaf's side and the opening's. */
function sectorObstacle(d: PlacedDoor): Obstacle {
  const r = d.door.width;
  const [hx, hy] = d.hinge;
  const len = Math.hypot(d.jamb[0] - hx, d.jamb[1] - hy) || 1;
  const v: Point = [(d.jamb[0] - hx) / len, (d.jamb[1] - hy) / len];
  const u = d.toward;
  const box = boundingBox(swingSector(d));
  const ahead = (b: Box, dir: Point) =>
    Math.max((b.minX - hx) * dir[0], (b.maxX - hx) * dir[0]) + Math.max((b.minY - hy) * dir[1], (b.maxY - hy) * dir[1]) > 1e-9;
  return {
    box,
    meets: (b) => {
      if (!boxesMeet(box, b)) return false;
      const dx = Math.max(b.minX - hx, 0, hx - b.maxX);
      const dy = Math.max(b.minY - hy, 0, hy - b.maxY);
      return dx * dx + dy * dy < r * r - 1e-12 && ahead(b, u) && ahead(b, v);
    },
  };
}

const obstaclesOf = new WeakMap<Floor, Obstacle[]>();

/** What labels keep clear of on a floor: walls, swings, fixtures and stairs (worked out once per floor). */
export function labelObstacles(floor: Floor): Obstacle[] {
  let found = obstaclesOf.get(floor);
  if (!found) obstaclesOf.set(floor, (found = floorObstacles(floor)));
  return found;
}

function floorObstacles(floor: Floor): Obstacle[] {
  return [
    ...floor.walls.map((w) => polygonObstacle(wallRectangle(w))),
    ...placedDoors(floor)
      .filter((d) => d.swing === 'in' || d.swing === 'out')
      .map(sectorObstacle),
    ...(floor.fixtures ?? []).map((f) => polygonObstacle(rotatedRect(f.position, f.width, f.depth, f.rotation))),
    ...floor.stairs.map((st) => {
      const box = boundingBox(st.polygon);
      return { box, meets: (b: Box) => boxesMeet(box, b) };
    }),
  ];
}

/** The box's corners, counter-clockwise from its minimum. */
const boxCorners = (box: Box): Point[] => [
  [box.minX, box.minY],
  [box.maxX, box.minY],
  [box.maxX, box.maxY],
  [box.minX, box.maxY],
];

const isAxisEdge = (a: Point, b: Point) => Math.abs(a[0] - b[0]) < 1e-9 || Math.abs(a[1] - b[1]) < 1e-9;

/** Whether a box and a convex polygon share interior (separating axes; touching is apart). */
export function boxMeetsConvex(box: Box, poly: readonly Point[]): boolean {
  const corners = boxCorners(box);
  const axes: Point[] = [
    [1, 0],
    [0, 1],
  ];
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    if (Math.abs(b[0] - a[0]) + Math.abs(b[1] - a[1]) > 1e-12) axes.push([a[1] - b[1], b[0] - a[0]]);
  }
  for (const [ax, ay] of axes) {
    let p0 = Infinity;
    let p1 = -Infinity;
    let q0 = Infinity;
    let q1 = -Infinity;
    for (const [x, y] of corners) {
      const d = x * ax + y * ay;
      p0 = Math.min(p0, d);
      p1 = Math.max(p1, d);
    }
    for (const [x, y] of poly) {
      const d = x * ax + y * ay;
      q0 = Math.min(q0, d);
      q1 = Math.max(q1, d);
    }
    const eps = 1e-9 * Math.hypot(ax, ay);
    if (p1 <= q0 + eps || q1 <= p0 + eps) return false;
  }
  return true;
}

/** Whether segment a–b passes through the box's interior (Liang–Barsky clipping). */
function segmentEntersBox(a: Point, b: Point, box: Box, e = 1e-9): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const clips: [number, number][] = [
    [-dx, a[0] - (box.minX + e)],
    [dx, box.maxX - e - a[0]],
    [-dy, a[1] - (box.minY + e)],
    [dy, box.maxY - e - a[1]],
  ];
  for (const [p, q] of clips) {
    if (Math.abs(p) < 1e-15) {
      if (q < 0) return false;
    } else {
      const r = q / p;
      if (p < 0) t0 = Math.max(t0, r);
      else t1 = Math.min(t1, r);
      if (t0 > t1) return false;
    }
  }
  return true;
}

/** A rectangle with sides along the axes (most rooms). */
function isBoxPolygon(poly: readonly Point[]): boolean {
  return poly.length === 4 && poly.every((a, i) => isAxisEdge(a, poly[(i + 1) % 4]!));
}

/** Even-odd test for a cell's centre (which never lies on an edge that matters: edges block their cells). */
function centreInside(x: number, y: number, poly: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!;
    const [xj, yj] = poly[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether segment a–b touches the box, its sides included. */
const segmentTouchesBox = (a: Point, b: Point, box: Box) => segmentEntersBox(a, b, box, -1e-9);

/** The box inside the room's polygon: corners inside and no edge of the polygon through it. */
export function boxInsidePolygon(box: Box, poly: readonly Point[]): boolean {
  const corners = boxCorners(box);
  if (isBoxPolygon(poly)) {
    const b = boundingBox(poly);
    return box.minX >= b.minX - 1e-9 && box.maxX <= b.maxX + 1e-9 && box.minY >= b.minY - 1e-9 && box.maxY <= b.maxY + 1e-9;
  }
  if (!corners.every((c) => pointInsideOrOn(c, poly))) return false;
  return !poly.some((a, i) => segmentEntersBox(a, poly[(i + 1) % poly.length]!, box));
}

/** The lines of one try: kinds and texts with the name's size (other lines are 0.8 of it). */
interface Variant {
  lines: { kind: LabelLineKind; text: string }[];
  size: number;
}

/** A name shortened for a small room: its first word, or the first four letters of a single long word. */
export function shortName(name: string): string {
  const words = name.split(/\s+/);
  if (words.length > 1) return words[0]!;
  return name.length > 6 ? `${name.slice(0, 4)}.` : name;
}

/**
 * The tries for a room, best first. `sizes` are the name's font sizes from largest to smallest
 * (metres); the ladder walks down the sizes with every line, then drops the size line, then the
 * area, then shortens the name.
 */
function variants(name: string, area: string, size: string | null, sizes: number[]): Variant[] {
  const line = (kind: LabelLineKind, text: string) => ({ kind, text });
  const short = shortName(name);
  // Each step uses a share of the sizes: [from, to) as fractions of the list.
  const steps: { lines: Variant['lines']; from: number; to: number }[] = [
    ...(size ? [{ lines: [line('name', name), line('area', area), line('size', size)], from: 0, to: 2 / 3 }] : []),
    { lines: [line('name', name), line('area', area)], from: size ? 1 / 3 : 0, to: 5 / 6 },
    ...(short !== name ? [{ lines: [line('name', short), line('area', area)], from: 1 / 2, to: 11 / 12 }] : []),
    { lines: [line('name', name)], from: 1 / 2, to: 1 },
    ...(short !== name ? [{ lines: [line('name', short)], from: 1 / 2, to: 1 }] : []),
  ];
  const at = (f: number) => Math.round(f * sizes.length);
  return steps.flatMap((s) => sizes.slice(at(s.from), at(s.to)).map((sz) => ({ lines: s.lines, size: sz })));
}

const lineSize = (kind: LabelLineKind, size: number) => (kind === 'name' ? size : size * 0.8);
const GAP = 0.16;

function measure(v: Variant): { width: number; height: number } {
  let height = 0;
  let width = 0;
  v.lines.forEach((l, i) => {
    const s = lineSize(l.kind, v.size);
    width = Math.max(width, textWidth(l.text, s, l.kind === 'name'));
    height += (ASCENT + DESCENT) * s + (i > 0 ? GAP * s : 0);
  });
  return { width, height };
}

function layOut(v: Variant, cx: number, top: number): LabelLine[] {
  let cursor = top;
  return v.lines.map((l, i) => {
    const s = lineSize(l.kind, v.size);
    if (i > 0) cursor += GAP * s;
    const y = cursor + ASCENT * s;
    cursor = y + DESCENT * s;
    return { kind: l.kind, text: l.text, size: s, bold: l.kind === 'name', x: cx, y };
  });
}

export interface LabelRequest {
  room: Room;
  name: string;
  area: string;
  /** The room's size line, in the measured drawings only. */
  size: string | null;
  /** The name's font sizes to try, largest first, in metres. */
  sizes: number[];
  /** Space kept between a label and anything else, in metres. */
  pad: number;
}

/**
 * A room's free space on a grid: a cell is blocked when any part of it lies outside the room or
 * meets an obstacle. A box is clear when every cell it touches is free (a prefix-sum lookup), so
 * the many tries of a label cost little, and a clear box is clear of everything, never nearly.
 */
class FreeGrid {
  readonly cell: number;
  private readonly cols: number;
  private readonly rows: number;
  private readonly sums: Int32Array;
  constructor(
    private readonly rb: Box,
    poly: readonly Point[],
    obstacles: readonly Obstacle[],
  ) {
    this.cell = Math.max(0.02, Math.max(rb.maxX - rb.minX, rb.maxY - rb.minY) / 48);
    this.cols = Math.max(1, Math.ceil((rb.maxX - rb.minX) / this.cell - 1e-9));
    this.rows = Math.max(1, Math.ceil((rb.maxY - rb.minY) / this.cell - 1e-9));
    const blocked = new Uint8Array(this.cols * this.rows);
    const cellBox = (i: number, j: number): Box => ({
      minX: rb.minX + i * this.cell,
      maxX: rb.minX + (i + 1) * this.cell,
      minY: rb.minY + j * this.cell,
      maxY: rb.minY + (j + 1) * this.cell,
    });
    const edges: Obstacle[] = [];
    if (!isBoxPolygon(poly)) {
      // A cell is inside when its centre is and no edge of the room touches it.
      for (let j = 0; j < this.rows; j++)
        for (let i = 0; i < this.cols; i++) {
          const b = cellBox(i, j);
          if (!centreInside((b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2, poly)) blocked[j * this.cols + i] = 1;
        }
      poly.forEach((a, k) => {
        const z = poly[(k + 1) % poly.length]!;
        const box = boundingBox([a, z]);
        edges.push({ box, meets: (b) => segmentTouchesBox(a, z, b) });
      });
    }
    for (const o of [...obstacles, ...edges]) {
      const b = o.box;
      const [i0, j0] = this.index(b.minX, b.minY);
      const [i1, j1] = this.index(b.maxX, b.maxY);
      for (let j = Math.max(0, j0); j <= Math.min(this.rows - 1, j1); j++)
        for (let i = Math.max(0, i0); i <= Math.min(this.cols - 1, i1); i++)
          if (!blocked[j * this.cols + i] && o.meets(cellBox(i, j))) blocked[j * this.cols + i] = 1;
    }
    // sums[(j + 1) * (cols + 1) + (i + 1)]: blocked cells in columns < i + 1 and rows < j + 1.
    this.sums = new Int32Array((this.cols + 1) * (this.rows + 1));
    for (let j = 0; j < this.rows; j++)
      for (let i = 0; i < this.cols; i++)
        this.sums[(j + 1) * (this.cols + 1) + i + 1] =
          blocked[j * this.cols + i]! +
          this.sums[j * (this.cols + 1) + i + 1]! +
          this.sums[(j + 1) * (this.cols + 1) + i]! -
          this.sums[j * (this.cols + 1) + i]!;
  }
  private index(x: number, y: number): [number, number] {
    return [Math.floor((x - this.rb.minX) / this.cell), Math.floor((y - this.rb.minY) / this.cell)];
  }
  /** Whether every cell the box [x0, x1] × [y0, y1] touches is free (a box reaching past the room is not). */
  clear(x0: number, y0: number, x1: number, y1: number): boolean {
    const e = 1e-9;
    const rb = this.rb;
    if (x0 < rb.minX - e || y0 < rb.minY - e || x1 > rb.maxX + e || y1 > rb.maxY + e) return false;
    const i0 = Math.max(0, Math.floor((x0 - rb.minX) / this.cell + e));
    const j0 = Math.max(0, Math.floor((y0 - rb.minY) / this.cell + e));
    const i1 = Math.min(this.cols, Math.ceil((x1 - rb.minX) / this.cell - e));
    const j1 = Math.min(this.rows, Math.ceil((y1 - rb.minY) / this.cell - e));
    const w = this.cols + 1;
    return this.sums[j1 * w + i1]! - this.sums[j0 * w + i1]! - this.sums[j1 * w + i0]! + this.sums[j0 * w + i0]! === 0;
  }
}

/** The label of one room, or null when no try fits anywhere clear. */
export function placeRoomLabel(req: LabelRequest, obstacles: readonly Obstacle[]): PlacedLabel | null {
  const poly = req.room.polygon;
  const rb = boundingBox(poly);
  const tries = variants(req.name, req.area, req.size, req.sizes)
    .map((v) => ({ v, ...measure(v) }))
    .filter((t) => t.width + 2 * req.pad <= rb.maxX - rb.minX && t.height + 2 * req.pad <= rb.maxY - rb.minY);
  if (tries.length === 0) return null;
  const near = obstacles.filter((o) => boxesMeet(o.box, rb));
  const grid = new FreeGrid(rb, poly, near);
  const c = centroid(poly);
  const home: Point = pointStrictlyInside(c, poly) ? c : [(rb.minX + rb.maxX) / 2, (rb.minY + rb.maxY) / 2];
  // Candidate centres on a grid over the room, nearest its middle first.
  const step = Math.max(grid.cell, Math.max(rb.maxX - rb.minX, rb.maxY - rb.minY) / 24);
  const xs: number[] = [home[0]];
  const ys: number[] = [home[1]];
  for (let x = rb.minX + step / 2; x < rb.maxX; x += step)
    for (let y = rb.minY + step / 2; y < rb.maxY; y += step) {
      xs.push(x);
      ys.push(y);
    }
  const dist = Float64Array.from(xs, (x, i) => (x - home[0]) ** 2 + ((ys[i]! - home[1]) * 1.3) ** 2);
  const order = Uint32Array.from(xs, (_, i) => i).sort((a, b) => dist[a]! - dist[b]!);
  for (const { v, width, height } of tries) {
    const hw = width / 2 + req.pad;
    const hh = height / 2 + req.pad;
    for (const k of order) {
      const x = xs[k]!;
      const y = ys[k]!;
      if (!grid.clear(x - hw, y - hh, x + hw, y + hh)) continue;
      return {
        lines: layOut(v, x, y - height / 2),
        box: { minX: x - width / 2, maxX: x + width / 2, minY: y - height / 2, maxY: y + height / 2 },
      };
    }
  }
  return null;
}
