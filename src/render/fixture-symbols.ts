// Fixtures drawn as the plan symbols people recognise: a toilet's tank and bowl, a basin, a bath
// with its tub, a shower tray with its drain, burners on a stove, a washer's drum, a wardrobe's
// rail. Each symbol is described once, as shapes in the fixture's own frame (x along its width, y
// from its back at -depth/2 to its front, origin at its centre); the SVG writer here and the DXF
// writer (dxf.ts) place and turn the same shapes.
import type { Fixture, Point } from './model.js';

export type SymbolShape =
  /** A rectangle from its top-left corner; `radius` rounds its corners. */
  | { kind: 'rect'; x: number; y: number; width: number; height: number; radius: number }
  | { kind: 'ellipse'; cx: number; cy: number; rx: number; ry: number }
  | { kind: 'line'; from: Point; to: Point }
  /** An open polyline. */
  | { kind: 'path'; points: Point[] };

/**
 * The shapes of `f`'s symbol, in drawing units: `scale` units per metre, and `px` units for one
 * pixel of the page drawings, the size of the details that do not grow with the fixture (corner
 * rounding, the pitch of a wardrobe's hangers).
 */
export function symbolShapes(f: Fixture, scale: number, px: number): SymbolShape[] {
  const w = f.width * scale;
  const d = f.depth * scale;
  const x0 = -w / 2;
  const y0 = -d / 2;
  const rect = (x: number, y: number, width: number, height: number, radius = 0): SymbolShape => ({
    kind: 'rect',
    x,
    y,
    width,
    height,
    radius,
  });
  const ellipse = (cx: number, cy: number, rx: number, ry: number): SymbolShape => ({ kind: 'ellipse', cx, cy, rx, ry });
  const line = (xa: number, ya: number, xb: number, yb: number): SymbolShape => ({ kind: 'line', from: [xa, ya], to: [xb, yb] });
  const outline = rect(x0, y0, w, d);
  switch (f.type) {
    case 'toilet':
      return [rect(x0, y0, w, d * 0.3, px), ellipse(0, y0 + d * 0.62, w * 0.4, d * 0.34)];
    case 'sink':
      return [outline, ellipse(0, y0 + d * 0.55, w * 0.36, d * 0.3)];
    case 'bathtub':
      return [rect(x0, y0, w, d, 2 * px), rect(x0 + w * 0.06, y0 + d * 0.12, w * 0.88, d * 0.76, Math.min(w, d) * 0.3)];
    case 'shower':
      return [
        outline,
        line(x0, y0, x0 + w, y0 + d),
        line(x0 + w, y0, x0, y0 + d),
        ellipse(0, 0, Math.min(w, d) * 0.06, Math.min(w, d) * 0.06),
      ];
    case 'kitchen_counter':
      return [outline];
    case 'kitchen_sink':
      return [
        outline,
        rect(x0 + w * 0.06, y0 + d * 0.15, w * 0.4, d * 0.7, 2 * px),
        rect(x0 + w * 0.54, y0 + d * 0.15, w * 0.4, d * 0.7, 2 * px),
      ];
    case 'stove': {
      const r = Math.min(w, d) * 0.15;
      return [outline, ...[-1, 1].flatMap((i) => [-1, 1].map((j) => ellipse((i * w) / 4, (j * d) / 4, r, r)))];
    }
    case 'fridge':
      return [outline, line(x0, y0 + d * 0.85, x0 + w, y0 + d * 0.85)];
    case 'dishwasher':
      return [outline, line(x0, y0 + d * 0.85, x0 + w, y0 + d * 0.85), line(x0 + w * 0.3, y0 + d * 0.92, x0 + w * 0.7, y0 + d * 0.92)];
    case 'washer':
    case 'dryer':
      return [outline, ellipse(0, d * 0.05, Math.min(w, d) * 0.32, Math.min(w, d) * 0.32)];
    case 'fireplace':
      return [
        outline,
        {
          kind: 'path',
          points: [
            [x0 + w * 0.2, y0 + d],
            [x0 + w * 0.3, y0 + d * 0.3],
            [x0 + w * 0.7, y0 + d * 0.3],
            [x0 + w * 0.8, y0 + d],
          ],
        },
      ];
    case 'wardrobe': {
      const count = Math.max(2, Math.floor(w / (14 * px)));
      const hangers = Array.from({ length: count }, (_, i) => {
        const x = x0 + ((i + 0.5) * w) / count;
        return line(x - d * 0.12, y0 + d * 0.3, x + d * 0.12, y0 + d * 0.7);
      });
      return [outline, line(x0, 0, x0 + w, 0), ...hangers];
    }
  }
}

const n = (v: number) => {
  const s = v.toFixed(2);
  return s === '-0.00' ? '0.00' : s;
};

function svgShape(s: SymbolShape): string {
  switch (s.kind) {
    case 'rect':
      return `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.width)}" height="${n(s.height)}"${s.radius ? ` rx="${n(s.radius)}"` : ''}/>`;
    case 'ellipse':
      return `<ellipse cx="${n(s.cx)}" cy="${n(s.cy)}" rx="${n(s.rx)}" ry="${n(s.ry)}"/>`;
    case 'line':
      return `<line x1="${n(s.from[0])}" y1="${n(s.from[1])}" x2="${n(s.to[0])}" y2="${n(s.to[1])}"/>`;
    case 'path':
      return `<path d="${s.points.map((p, i) => `${i ? 'L' : 'M'} ${n(p[0])} ${n(p[1])}`).join(' ')}"/>`;
  }
}

/** One fixture as an SVG group at `at` (pixels), `scale` pixels per metre. */
export function fixtureSymbol(f: Fixture, at: [number, number], scale: number, id: string): string {
  return (
    `<g class="fixture" id="${id}" data-type="${f.type}" transform="translate(${n(at[0])} ${n(at[1])}) rotate(${n(f.rotation)})">` +
    symbolShapes(f, scale, 1).map(svgShape).join('') +
    '</g>'
  );
}
