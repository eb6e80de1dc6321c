// Exterior dimension chains: on each side of a floor, the run of lengths between the outline's
// corners and the places where walls meet the outer walls (so each outer wall's length is the sum
// of its links), and outside it the overall length. Metres, in the floor's plane; svg.ts and
// dxf.ts draw them.
import { boundingBox, pointStrictlyInside } from './geometry.js';
import type { Floor, Point } from './model.js';

export type Side = 'top' | 'bottom' | 'left' | 'right';
export const SIDES: Side[] = ['top', 'bottom', 'left', 'right'];

export interface DimensionChain {
  side: Side;
  /** Where the chain's stations lie along the side (x for top and bottom, y for left and right), in order. */
  stations: number[];
  /** The line the chain is drawn on (y for top and bottom, x for left and right). */
  at: number;
  /** The line the overall length is drawn on. */
  overallAt: number;
}

/** How far out from the outline's box the chain and the overall line run, in metres. */
export const CHAIN_OFFSET = 0.55;
export const OVERALL_OFFSET = 1.05;

const uniqueSorted = (values: number[]) => [...values].sort((a, b) => a - b).filter((v, i, all) => i === 0 || v - all[i - 1]! > 1e-6);

export function dimensionChains(floor: Floor): DimensionChain[] {
  const outline = floor.outline;
  const box = boundingBox(outline);
  return SIDES.map((side) => {
    const horizontal = side === 'top' || side === 'bottom';
    const outward = side === 'top' || side === 'left' ? -1 : 1;
    // The outline's edges that face this side: outside beyond them, inside behind them.
    const edges: [Point, Point][] = [];
    outline.forEach((a, i) => {
      const b = outline[(i + 1) % outline.length]!;
      const along = horizontal ? Math.abs(a[1] - b[1]) < 1e-9 : Math.abs(a[0] - b[0]) < 1e-9;
      if (!along || Math.hypot(b[0] - a[0], b[1] - a[1]) < 1e-9) return;
      const m: Point = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      const probe = (s: number): Point => (horizontal ? [m[0], m[1] + s * 0.01] : [m[0] + s * 0.01, m[1]]);
      if (!pointStrictlyInside(probe(outward), outline) && pointStrictlyInside(probe(-outward), outline)) edges.push([a, b]);
    });
    const coord = (p: Point) => (horizontal ? p[0] : p[1]);
    const level = (p: Point) => (horizontal ? p[1] : p[0]);
    const stations = edges.flatMap(([a, b]) => [coord(a), coord(b)]);
    // Where the outer walls on those edges end: at the walls that meet them.
    for (const w of floor.walls) {
      if (!w.exterior) continue;
      const on = edges.find(([a, b]) => {
        const lo = Math.min(coord(a), coord(b)) - 1e-6;
        const hi = Math.max(coord(a), coord(b)) + 1e-6;
        return [w.start, w.end].every((p) => Math.abs(level(p) - level(a)) < 1e-6 && coord(p) >= lo && coord(p) <= hi);
      });
      if (on) stations.push(coord(w.start), coord(w.end));
    }
    const edge = side === 'top' ? box.minY : side === 'bottom' ? box.maxY : side === 'left' ? box.minX : box.maxX;
    return { side, stations: uniqueSorted(stations), at: edge + outward * CHAIN_OFFSET, overallAt: edge + outward * OVERALL_OFFSET };
  });
}
