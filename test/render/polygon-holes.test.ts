// A slab with its stair openings cut (polygon-holes.ts), whatever way an opening lies: within the
// outline, against its edge, reaching past it, beside another opening, across a notch, under a
// slanted edge. The pieces cover exactly what is left, and the boundary runs around exactly that,
// each edge facing away from it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Point } from '../../src/render/model.js';
import { boundaryOutside, piecesOutside } from '../../src/render/polygon-holes.js';
import { pointInPolygon } from '../../src/render/geometry.js';
import { shoelace } from './fixture.js';

const rect = (x0: number, y0: number, x1: number, y1: number): Point[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];
const L: Point[] = [
  [0, 0],
  [8, 0],
  [8, 3],
  [5, 3],
  [5, 6],
  [0, 6],
];

// [what, outline, openings, area left, length of its boundary]
const CASES: [string, Point[], Point[][], number, number][] = [
  ['an opening within the outline', rect(0, 0, 8, 5), [rect(0.2, 0.2, 1.2, 3)], 40 - 2.8, 26 + 7.6],
  ['an opening against the outline’s edge', rect(0, 0, 8, 5), [rect(0, 1, 1, 3)], 38, 26 + 2],
  ['an opening reaching past the outline', rect(0, 0, 8, 5), [rect(-1, 1, 1, 3)], 38, 26 + 2],
  ['two openings side by side', rect(0, 0, 8, 5), [rect(2, 1, 4, 2), rect(2, 2, 4, 3)], 36, 26 + 8],
  ['an opening across an L’s inner corner', L, [rect(4, 2, 6, 4)], 39 - 3, 28 + 4],
  [
    'an opening in a triangle',
    [
      [0, 0],
      [6, 0],
      [3, 5],
    ],
    [rect(2, 1, 4, 2)],
    13,
    12 + 2 * Math.hypot(3, 5),
  ],
];

describe('a polygon with holes cut out', () => {
  for (const [what, poly, holes, area, perimeter] of CASES) {
    it(what, () => {
      const pieces = piecesOutside(poly, holes);
      assert.ok(Math.abs(pieces.reduce((s, p) => s + shoelace(p), 0) - area) < 1e-9, 'the pieces cover what is left');
      const left = (p: Point) => pointInPolygon(p, poly) && !holes.some((h) => pointInPolygon(p, h));
      for (const piece of pieces) {
        const mid: Point = [piece.reduce((s, p) => s + p[0], 0) / piece.length, piece.reduce((s, p) => s + p[1], 0) / piece.length];
        assert.ok(left(mid), `piece ${JSON.stringify(piece)} lies in what is left`);
      }
      const edges = boundaryOutside(poly, holes);
      assert.ok(
        Math.abs(edges.reduce((s, e) => s + Math.hypot(e.b[0] - e.a[0], e.b[1] - e.a[1]), 0) - perimeter) < 1e-9,
        'boundary length',
      );
      for (const e of edges) {
        const m: Point = [(e.a[0] + e.b[0]) / 2, (e.a[1] + e.b[1]) / 2];
        assert.ok(!left([m[0] + e.outward[0] * 0.01, m[1] + e.outward[1] * 0.01]), 'nothing left on the outward side');
        assert.ok(left([m[0] - e.outward[0] * 0.01, m[1] - e.outward[1] * 0.01]), 'the region on the inner side');
      }
    });
  }
});
