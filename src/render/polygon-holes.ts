// A polygon with holes cut out of it (a slab with its stair openings), for the 3D model: the region
// inside the polygon and outside every hole, as convex pieces to lay its faces with, and its
// boundary, each edge facing out of the region, to stand its sides on. Holes may reach past the
// polygon or touch its edges and each other; only what they cover of it is cut.
import { pointOnSegment, pointStrictlyInside } from './geometry.js';
import type { Point } from './model.js';

const EPS = 1e-9;

type Ring = readonly Point[];
interface Edge {
  ring: number;
  a: Point;
  b: Point;
}

function edgesOf(rings: readonly Ring[]): Edge[] {
  return rings.flatMap((ring, r) => ring.map((a, i) => ({ ring: r, a, b: ring[(i + 1) % ring.length]! })));
}

/** Where two segments cross at a point inside both, as the fraction along the first; null if they do not. */
function crossing(p: Edge, q: Edge): number | null {
  const rx = p.b[0] - p.a[0];
  const ry = p.b[1] - p.a[1];
  const sx = q.b[0] - q.a[0];
  const sy = q.b[1] - q.a[1];
  const den = rx * sy - ry * sx;
  if (Math.abs(den) < EPS) return null;
  const t = ((q.a[0] - p.a[0]) * sy - (q.a[1] - p.a[1]) * sx) / den;
  const u = ((q.a[0] - p.a[0]) * ry - (q.a[1] - p.a[1]) * rx) / den;
  return t > EPS && t < 1 - EPS && u > EPS && u < 1 - EPS ? t : null;
}

const at = (e: Edge, t: number): Point => [e.a[0] + (e.b[0] - e.a[0]) * t, e.a[1] + (e.b[1] - e.a[1]) * t];

/**
 * The part of `poly` outside every hole as convex pieces (trapezoids and triangles): the plane is
 * cut into strips at every corner's and every crossing's height, so no edge crosses another inside
 * a strip, and each strip keeps the spans between its edges that lie in `poly` and in no hole.
 */
export function piecesOutside(poly: Ring, holes: readonly Ring[]): Point[][] {
  const rings = [poly, ...holes];
  const all = edgesOf(rings);
  const heights = rings.flat().map((p) => p[1]);
  for (let i = 0; i < all.length; i++)
    for (let j = i + 1; j < all.length; j++) {
      if (all[i]!.ring === all[j]!.ring) continue;
      const t = crossing(all[i]!, all[j]!);
      if (t !== null) heights.push(at(all[i]!, t)[1]);
    }
  const ys = [...new Set(heights)].sort((a, b) => a - b).filter((y, i, s) => i === 0 || y - s[i - 1]! > EPS);
  const slanted = all.filter((e) => Math.abs(e.b[1] - e.a[1]) > EPS);
  const xAt = (e: Edge, y: number) => e.a[0] + ((e.b[0] - e.a[0]) * (y - e.a[1])) / (e.b[1] - e.a[1]);
  const pieces: Point[][] = [];
  for (let k = 1; k < ys.length; k++) {
    const [y0, y1] = [ys[k - 1]!, ys[k]!];
    const mid = (y0 + y1) / 2;
    const across = slanted
      .filter((e) => Math.min(e.a[1], e.b[1]) < mid && Math.max(e.a[1], e.b[1]) > mid)
      .map((e) => ({ ring: e.ring, top: xAt(e, y0), middle: xAt(e, mid), bottom: xAt(e, y1) }))
      .sort((p, q) => p.middle - q.middle);
    const inside = rings.map(() => false);
    for (let i = 0; i + 1 < across.length; i++) {
      inside[across[i]!.ring] = !inside[across[i]!.ring];
      if (!inside[0] || inside.some((v, r) => r > 0 && v)) continue;
      const [l, r] = [across[i]!, across[i + 1]!];
      const corners: Point[] = [
        [l.top, y0],
        [r.top, y0],
        [r.bottom, y1],
        [l.bottom, y1],
      ];
      const piece = corners.filter(
        (p, j) => Math.abs(p[0] - corners[(j + 3) % 4]![0]) > EPS || Math.abs(p[1] - corners[(j + 3) % 4]![1]) > EPS,
      );
      if (piece.length >= 3) pieces.push(piece);
    }
  }
  return pieces;
}

/**
 * The boundary of the part of `poly` outside every hole: the polygon's and the holes' edges, cut
 * where another ring meets them, keeping each stretch with the region on one side only, and the
 * unit normal that points away from the region.
 */
export function boundaryOutside(poly: Ring, holes: readonly Ring[]): { a: Point; b: Point; outward: Point }[] {
  const rings = [poly, ...holes];
  const all = edgesOf(rings);
  const solid = (p: Point) => pointStrictlyInside(p, poly) && !holes.some((h) => pointStrictlyInside(p, h));
  const out: { a: Point; b: Point; outward: Point }[] = [];
  const seen = new Set<string>();
  for (const e of all) {
    const len = Math.hypot(e.b[0] - e.a[0], e.b[1] - e.a[1]);
    if (len < EPS) continue;
    const cuts = [0, 1];
    for (const other of all) {
      if (other.ring === e.ring) continue;
      const t = crossing(e, other);
      if (t !== null) cuts.push(t);
      for (const p of [other.a, other.b])
        if (pointOnSegment(p, e.a, e.b))
          cuts.push(((p[0] - e.a[0]) * (e.b[0] - e.a[0]) + (p[1] - e.a[1]) * (e.b[1] - e.a[1])) / (len * len));
    }
    cuts.sort((p, q) => p - q);
    const normal: Point = [-(e.b[1] - e.a[1]) / len, (e.b[0] - e.a[0]) / len];
    for (let i = 1; i < cuts.length; i++) {
      if ((cuts[i]! - cuts[i - 1]!) * len < 1e-6) continue;
      const [a, b] = [at(e, cuts[i - 1]!), at(e, cuts[i]!)];
      const m = at(e, (cuts[i - 1]! + cuts[i]!) / 2);
      const left = solid([m[0] + normal[0] * 1e-4, m[1] + normal[1] * 1e-4]);
      const right = solid([m[0] - normal[0] * 1e-4, m[1] - normal[1] * 1e-4]);
      if (left === right) continue;
      const key = [a, b]
        .map((p) => `${p[0].toFixed(6)},${p[1].toFixed(6)}`)
        .sort()
        .join(' ');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ a, b, outward: left ? [-normal[0], -normal[1]] : normal });
    }
  }
  return out;
}
