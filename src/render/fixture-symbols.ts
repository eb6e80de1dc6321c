// Fixtures drawn as the plan symbols people recognise: a toilet's tank and bowl, a basin, a bath
// with its tub, a shower tray with its drain, burners on a stove, a washer's drum, a wardrobe's
// rail. Each symbol is drawn in the fixture's own frame (x along its width, y from its back at
// -depth/2 to its front), in pixels, then placed and turned with one transform.
import type { Fixture } from './model.js';

const n = (v: number) => {
  const s = v.toFixed(2);
  return s === '-0.00' ? '0.00' : s;
};

function shape(f: Fixture, w: number, d: number): string {
  const x0 = -w / 2;
  const y0 = -d / 2;
  const rect = (x: number, y: number, rw: number, rh: number, r = 0) =>
    `<rect x="${n(x)}" y="${n(y)}" width="${n(rw)}" height="${n(rh)}"${r ? ` rx="${n(r)}"` : ''}/>`;
  const ellipse = (cx: number, cy: number, rx: number, ry: number) => `<ellipse cx="${n(cx)}" cy="${n(cy)}" rx="${n(rx)}" ry="${n(ry)}"/>`;
  const line = (xa: number, ya: number, xb: number, yb: number) => `<line x1="${n(xa)}" y1="${n(ya)}" x2="${n(xb)}" y2="${n(yb)}"/>`;
  const outline = rect(x0, y0, w, d);
  switch (f.type) {
    case 'toilet':
      return rect(x0, y0, w, d * 0.3, 1) + ellipse(0, y0 + d * 0.62, w * 0.4, d * 0.34);
    case 'sink':
      return outline + ellipse(0, y0 + d * 0.55, w * 0.36, d * 0.3);
    case 'bathtub':
      return rect(x0, y0, w, d, 2) + rect(x0 + w * 0.06, y0 + d * 0.12, w * 0.88, d * 0.76, Math.min(w, d) * 0.3);
    case 'shower':
      return (
        outline + line(x0, y0, x0 + w, y0 + d) + line(x0 + w, y0, x0, y0 + d) + ellipse(0, 0, Math.min(w, d) * 0.06, Math.min(w, d) * 0.06)
      );
    case 'kitchen_counter':
      return outline;
    case 'kitchen_sink':
      return outline + rect(x0 + w * 0.06, y0 + d * 0.15, w * 0.4, d * 0.7, 2) + rect(x0 + w * 0.54, y0 + d * 0.15, w * 0.4, d * 0.7, 2);
    case 'stove': {
      const r = Math.min(w, d) * 0.15;
      return outline + [-1, 1].flatMap((i) => [-1, 1].map((j) => ellipse((i * w) / 4, (j * d) / 4, r, r))).join('');
    }
    case 'fridge':
      return outline + line(x0, y0 + d * 0.85, x0 + w, y0 + d * 0.85);
    case 'dishwasher':
      return outline + line(x0, y0 + d * 0.85, x0 + w, y0 + d * 0.85) + line(x0 + w * 0.3, y0 + d * 0.92, x0 + w * 0.7, y0 + d * 0.92);
    case 'washer':
    case 'dryer':
      return outline + ellipse(0, d * 0.05, Math.min(w, d) * 0.32, Math.min(w, d) * 0.32);
    case 'fireplace':
      return (
        outline +
        `<path d="M ${n(x0 + w * 0.2)} ${n(y0 + d)} L ${n(x0 + w * 0.3)} ${n(y0 + d * 0.3)} L ${n(x0 + w * 0.7)} ${n(y0 + d * 0.3)} L ${n(x0 + w * 0.8)} ${n(y0 + d)}"/>`
      );
    case 'wardrobe': {
      const count = Math.max(2, Math.floor(w / 14));
      const hangers = Array.from({ length: count }, (_, i) => {
        const x = x0 + ((i + 0.5) * w) / count;
        return line(x - d * 0.12, y0 + d * 0.3, x + d * 0.12, y0 + d * 0.7);
      });
      return outline + line(x0, 0, x0 + w, 0) + hangers.join('');
    }
  }
}

/** One fixture as an SVG group at `at` (pixels), `scale` pixels per metre. */
export function fixtureSymbol(f: Fixture, at: [number, number], scale: number, id: string): string {
  return (
    `<g class="fixture" id="${id}" data-type="${f.type}" transform="translate(${n(at[0])} ${n(at[1])}) rotate(${n(f.rotation)})">` +
    shape(f, f.width * scale, f.depth * scale) +
    '</g>'
  );
}
