// Plane geometry on the model's polygons and walls. Pure functions, metres.
import type { Point, Wall } from './model.js';

const EPS = 1e-9;

export function signedArea(poly: readonly Point[]): number {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i]!;
    const [x2, y2] = poly[(i + 1) % poly.length]!;
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

export function polygonArea(poly: readonly Point[]): number {
  return Math.abs(signedArea(poly));
}

export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function boundingBox(points: readonly Point[]): Box {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return { minX, minY, maxX, maxY };
}

/** The area centroid of a simple polygon (falls back to the vertex mean for degenerate ones). */
export function centroid(poly: readonly Point[]): Point {
  const a = signedArea(poly);
  if (Math.abs(a) < EPS) {
    const n = poly.length;
    return [poly.reduce((s, p) => s + p[0], 0) / n, poly.reduce((s, p) => s + p[1], 0) / n];
  }
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i]!;
    const [x2, y2] = poly[(i + 1) % poly.length]!;
    const f = x1 * y2 - x2 * y1;
    cx += (x1 + x2) * f;
    cy += (y1 + y2) * f;
  }
  return [cx / (6 * a), cy / (6 * a)];
}

function cross(o: Point, a: Point, b: Point): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

export function pointOnSegment(p: Point, a: Point, b: Point, tol = 1e-6): boolean {
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (len < EPS) return Math.hypot(p[0] - a[0], p[1] - a[1]) <= tol;
  if (Math.abs(cross(a, b, p)) / len > tol) return false;
  const t = ((p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1])) / (len * len);
  return t >= -tol / len && t <= 1 + tol / len;
}

export function pointOnBoundary(p: Point, poly: readonly Point[], tol = 1e-6): boolean {
  return poly.some((a, i) => pointOnSegment(p, a, poly[(i + 1) % poly.length]!, tol));
}

/** Even-odd point in polygon; a point on the boundary may fall either way. */
export function pointInPolygon(p: Point, poly: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!;
    const [xj, yj] = poly[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Strictly inside (points on the boundary are not inside). */
export function pointStrictlyInside(p: Point, poly: readonly Point[]): boolean {
  return !pointOnBoundary(p, poly) && pointInPolygon(p, poly);
}

export function pointInsideOrOn(p: Point, poly: readonly Point[], tol = 1e-6): boolean {
  return pointOnBoundary(p, poly, tol) || pointStrictlyInside(p, poly);
}

/** Whether two segments cross at a single point interior to both. */
export function segmentsCross(a: Point, b: Point, c: Point, d: Point): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  return ((d1 > EPS && d2 < -EPS) || (d1 < -EPS && d2 > EPS)) && ((d3 > EPS && d4 < -EPS) || (d3 < -EPS && d4 > EPS));
}

/** No two non-adjacent edges touch or cross, and no edge has zero length. */
export function isSimplePolygon(poly: readonly Point[]): boolean {
  const n = poly.length;
  if (n < 3) return false;
  for (let i = 0; i < n; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % n]!;
    if (Math.hypot(b[0] - a[0], b[1] - a[1]) < 1e-6) return false;
    for (let j = i + 1; j < n; j++) {
      if (j === i || (j + 1) % n === i || (i + 1) % n === j) continue;
      const c = poly[j]!;
      const d = poly[(j + 1) % n]!;
      if (segmentsCross(a, b, c, d)) return false;
      if (pointOnSegment(c, a, b) || pointOnSegment(d, a, b) || pointOnSegment(a, c, d) || pointOnSegment(b, c, d)) return false;
    }
  }
  return polygonArea(poly) > 1e-6;
}

function boxesOverlap(a: Box, b: Box): boolean {
  return a.minX < b.maxX - 1e-6 && b.minX < a.maxX - 1e-6 && a.minY < b.maxY - 1e-6 && b.minY < a.maxY - 1e-6;
}

/**
 * Whether two simple polygons share interior area. Touching along edges or at corners is not an
 * overlap. Checks crossing edges, a vertex of either strictly inside the other, and the midpoints
 * of edges (which catches identical and nested polygons).
 */
export function polygonsOverlap(p: readonly Point[], q: readonly Point[]): boolean {
  if (!boxesOverlap(boundingBox(p), boundingBox(q))) return false;
  for (let i = 0; i < p.length; i++) {
    for (let j = 0; j < q.length; j++) {
      if (segmentsCross(p[i]!, p[(i + 1) % p.length]!, q[j]!, q[(j + 1) % q.length]!)) return true;
    }
  }
  const probes = (poly: readonly Point[]): Point[] => [
    ...poly,
    ...poly.map((a, i): Point => {
      const b = poly[(i + 1) % poly.length]!;
      return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    }),
    // The centroid of a non-convex polygon (an L-shaped hallway) may lie outside it: probe it only when inside.
    ...[centroid(poly)].filter((c) => pointStrictlyInside(c, poly)),
  ];
  return probes(p).some((v) => pointStrictlyInside(v, q)) || probes(q).some((v) => pointStrictlyInside(v, p));
}

export function wallLength(w: Pick<Wall, 'start' | 'end'>): number {
  return Math.hypot(w.end[0] - w.start[0], w.end[1] - w.start[1]);
}

/** The unit direction of a wall and its left-hand normal. */
export function wallFrame(w: Pick<Wall, 'start' | 'end'>): { dir: Point; normal: Point } {
  const len = wallLength(w) || 1;
  const dir: Point = [(w.end[0] - w.start[0]) / len, (w.end[1] - w.start[1]) / len];
  return { dir, normal: [-dir[1], dir[0]] };
}

export function pointAlong(w: Pick<Wall, 'start' | 'end'>, distance: number): Point {
  const { dir } = wallFrame(w);
  return [w.start[0] + dir[0] * distance, w.start[1] + dir[1] * distance];
}

/** The four corners of a wall's footprint (a rectangle of its thickness around the centre line). */
export function wallRectangle(w: Wall, from = 0, to = wallLength(w)): Point[] {
  const { normal } = wallFrame(w);
  const h = w.thickness / 2;
  const a = pointAlong(w, from);
  const b = pointAlong(w, to);
  return [
    [a[0] + normal[0] * h, a[1] + normal[1] * h],
    [b[0] + normal[0] * h, b[1] + normal[1] * h],
    [b[0] - normal[0] * h, b[1] - normal[1] * h],
    [a[0] - normal[0] * h, a[1] - normal[1] * h],
  ];
}

/** Ear-clipping triangulation of a simple polygon: index triples into `poly`, counter-clockwise. */
export function triangulate(poly: readonly Point[]): [number, number, number][] {
  const idx = poly.map((_, i) => i);
  if (signedArea(poly) < 0) idx.reverse();
  const out: [number, number, number][] = [];
  let guard = 0;
  while (idx.length > 3 && guard++ < 10_000) {
    let clipped = false;
    for (let i = 0; i < idx.length; i++) {
      const ia = idx[(i + idx.length - 1) % idx.length]!;
      const ib = idx[i]!;
      const ic = idx[(i + 1) % idx.length]!;
      const a = poly[ia]!;
      const b = poly[ib]!;
      const c = poly[ic]!;
      if (cross(a, b, c) <= EPS) continue; // reflex or flat
      const ear = !idx.some((k) => k !== ia && k !== ib && k !== ic && pointInTriangle(poly[k]!, a, b, c));
      if (!ear) continue;
      out.push([ia, ib, ic]);
      idx.splice(i, 1);
      clipped = true;
      break;
    }
    if (!clipped) break;
  }
  if (idx.length === 3) out.push([idx[0]!, idx[1]!, idx[2]!]);
  return out;
}

function pointInTriangle(p: Point, a: Point, b: Point, c: Point): boolean {
  return cross(a, b, p) >= -EPS && cross(b, c, p) >= -EPS && cross(c, a, p) >= -EPS;
}

/** Rounds to `digits` decimals without negative zero. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  const r = Math.round(value * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

/**
 * The corners of a `width` × `depth` rectangle centred on `center`, turned `rotation` degrees
 * clockwise on the page (y down): back-left, back-right, front-right, front-left, the back facing -y
 * at rotation 0.
 */
export function rotatedRect(center: Point, width: number, depth: number, rotation: number): Point[] {
  const t = (rotation * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const at = (x: number, y: number): Point => [center[0] + x * c - y * s, center[1] + x * s + y * c];
  return [at(-width / 2, -depth / 2), at(width / 2, -depth / 2), at(width / 2, depth / 2), at(-width / 2, depth / 2)];
}

/** A point in a fixture's own frame (x along its width, y from back to front, origin at its centre) on the page. */
export function localToPage(center: Point, rotation: number, local: Point): Point {
  const t = (rotation * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  return [center[0] + local[0] * c - local[1] * s, center[1] + local[0] * s + local[1] * c];
}
