// The drawing rules held over many generated homes, read back from the SVG that every other format
// is made from (PNG and JPG rasterise it, the PDFs place it as vectors): room labels inside their
// room and clear of walls, door swings, fixtures, stairs and each other; door swings clear of
// walls, stairs, fixtures and each other; exterior dimension chains in the measured drawings whose
// links add up to each outer wall and to the overall length; a scale bar and a north arrow on every
// drawing. Geometry is checked here with its own code, not the renderer's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { generateModel } from '../../src/render/generate-model.js';
import type { Floor, FloorPlanModel, Point } from '../../src/render/model.js';
import { floorSvg } from '../../src/render/svg.js';
import { ASCENT, DESCENT, textWidth } from '../../src/render/text-width.js';
import { fixtureInput } from './fixture.js';

const num = String.raw`(-?[\d.]+)`;
const unescape = (t: string) =>
  t
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
const parsePoints = (text: string): Point[] => text.split(' ').map((p) => p.split(',').map(Number) as Point);

interface Drawn {
  rooms: { id: string; polygon: Point[]; labels: { kind: string; box: Point[] }[] }[];
  walls: Point[][];
  fixtures: { id: string; poly: Point[] }[];
  swings: { id: string; hinge: Point; tip: Point; jamb: Point; poly: Point[] }[];
  stairs: Point[][];
  chains: { side: string; stations: number[]; links: number[]; overall: number }[];
  scaleBar: boolean;
  northArrow: boolean;
}

/** What a floor's SVG draws, in its pixels. */
function readSvg(svg: string, floor: Floor): Drawn {
  const rooms = [...svg.matchAll(/<g class="room" id="room-([^"]+)"[^>]*><polygon points="([^"]+)"[^>]*\/>(.*?)<\/g>/g)].map((m) => ({
    id: unescape(m[1]!),
    polygon: parsePoints(m[2]!),
    labels: [
      ...m[3]!.matchAll(new RegExp(`<text class="(room-\\w+)" x="${num}" y="${num}" font-size="${num}"[^>]*>([^<]*)</text>`, 'g')),
    ].map((t) => {
      const [x, y, size] = [Number(t[2]), Number(t[3]), Number(t[4])];
      const w = textWidth(unescape(t[5]!), size, t[1] === 'room-name');
      const box: Point[] = [
        [x - w / 2, y - ASCENT * size],
        [x + w / 2, y - ASCENT * size],
        [x + w / 2, y + DESCENT * size],
        [x - w / 2, y + DESCENT * size],
      ];
      return { kind: t[1]!, box };
    }),
  }));
  // Pixels per metre, from a room's drawn width.
  const r0 = floor.rooms[0]!;
  const drawn0 = rooms.find((r) => r.id === r0.id)!.polygon;
  const span = (ps: Point[]) => Math.max(...ps.map((p) => p[0])) - Math.min(...ps.map((p) => p[0]));
  const scale = span(drawn0) / span(r0.polygon);
  const wallsGroup = svg.match(/<g class="walls"[^>]*>(.*?)<\/g>/)![1]!;
  const walls = [...wallsGroup.matchAll(/<polygon points="([^"]+)"/g)].map((m) => parsePoints(m[1]!));
  const fixtures = [
    ...svg.matchAll(
      new RegExp(
        `<g class="fixture" id="fixture-([^"]+)" data-type="[^"]+" transform="translate\\(${num} ${num}\\) rotate\\(${num}\\)">`,
        'g',
      ),
    ),
  ].map((m) => {
    const f = floor.fixtures!.find((x) => `fixture-${x.id}` === `fixture-${unescape(m[1]!)}`)!;
    const [cx, cy, rot] = [Number(m[2]), Number(m[3]), (Number(m[4]) * Math.PI) / 180];
    const at = (x: number, y: number): Point => [cx + x * Math.cos(rot) - y * Math.sin(rot), cy + x * Math.sin(rot) + y * Math.cos(rot)];
    const w = (f.width * scale) / 2;
    const d = (f.depth * scale) / 2;
    return { id: f.id, poly: [at(-w, -d), at(w, -d), at(w, d), at(-w, d)] };
  });
  const swings = [
    ...svg.matchAll(
      new RegExp(
        `<g class="door" id="door-([^"]+)"><line x1="${num}" y1="${num}" x2="${num}" y2="${num}"[^>]*/><path d="M ${num} ${num} A ${num} ${num} 0 0 [01] ${num} ${num}"`,
        'g',
      ),
    ),
  ].map((m) => {
    const v = m.slice(2).map(Number);
    const hinge: Point = [v[0]!, v[1]!];
    const tip: Point = [v[2]!, v[3]!];
    const jamb: Point = [v[8]!, v[9]!];
    const r = Math.hypot(tip[0] - hinge[0], tip[1] - hinge[1]);
    const ang = (p: Point) => Math.atan2(p[1] - hinge[1], p[0] - hinge[0]);
    let a0 = ang(tip);
    let a1 = ang(jamb);
    if (a1 - a0 > Math.PI) a1 -= 2 * Math.PI;
    if (a0 - a1 > Math.PI) a0 -= 2 * Math.PI;
    // The quarter circle: the leaf, the arc as many points just outside it, the closed position.
    const poly: Point[] = [hinge, tip];
    for (let i = 1; i < 32; i++) {
      const a = a0 + ((a1 - a0) * i) / 32;
      poly.push([hinge[0] + r * 1.001 * Math.cos(a), hinge[1] + r * 1.001 * Math.sin(a)]);
    }
    poly.push(jamb);
    return { id: unescape(m[1]!), hinge, tip, jamb, poly };
  });
  const stairs = [...svg.matchAll(/<g class="stairs" id="[^"]+" data-to-level="[^"]+"><polygon points="([^"]+)"/g)].map((m) =>
    parsePoints(m[1]!),
  );
  const chains = [...svg.matchAll(/<g class="dimension-chain" data-side="(\w+)" data-stations-m="([^"]+)">(.*?)<\/g><\/g>/g)].map((m) => ({
    side: m[1]!,
    stations: m[2]!.split(' ').map(Number),
    links: [...m[3]!.matchAll(/<g class="dimension link" data-length-m="([\d.]+)">/g)].map((x) => Number(x[1])),
    overall: Number(m[3]!.match(/<g class="dimension overall" data-length-m="([\d.]+)">/)![1]),
  }));
  return {
    rooms,
    walls,
    fixtures,
    swings,
    stairs,
    chains,
    scaleBar: /<g class="scale-bar" data-length-m="[\d.]+"><rect /.test(svg),
    northArrow: /<g class="north-arrow"><path [^>]+\/><text [^>]+>N<\/text><\/g>/.test(svg),
  };
}

// Plane geometry written for the test: convex shapes meet when an edge of one crosses an edge of
// the other or a vertex of one lies inside the other; shared edges and corners are not a meeting.
const TOL = 0.25; // pixels: coordinates are written with two decimals
function cross(o: Point, a: Point, b: Point) {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}
function insideConvex(p: Point, poly: Point[]): boolean {
  let sign = 0;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len < 1e-9) continue;
    const c = cross(a, b, p) / len;
    if (Math.abs(c) <= TOL) return false;
    const s = Math.sign(c);
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return true;
}
function edgesCross(a: Point, b: Point, c: Point, d: Point): boolean {
  const lab = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
  const lcd = Math.hypot(d[0] - c[0], d[1] - c[1]) || 1;
  const d1 = cross(c, d, a) / lcd;
  const d2 = cross(c, d, b) / lcd;
  const d3 = cross(a, b, c) / lab;
  const d4 = cross(a, b, d) / lab;
  return ((d1 > TOL && d2 < -TOL) || (d1 < -TOL && d2 > TOL)) && ((d3 > TOL && d4 < -TOL) || (d3 < -TOL && d4 > TOL));
}
function convexMeet(p: Point[], q: Point[]): boolean {
  for (let i = 0; i < p.length; i++)
    for (let j = 0; j < q.length; j++) if (edgesCross(p[i]!, p[(i + 1) % p.length]!, q[j]!, q[(j + 1) % q.length]!)) return true;
  const centre = (poly: Point[]): Point => [
    poly.reduce((s, v) => s + v[0], 0) / poly.length,
    poly.reduce((s, v) => s + v[1], 0) / poly.length,
  ];
  return [...p, centre(p)].some((v) => insideConvex(v, q)) || [...q, centre(q)].some((v) => insideConvex(v, p));
}
/** A point inside or on a (possibly non-convex) polygon, within TOL. */
function insideOrOn(p: Point, poly: Point[], tol = TOL): boolean {
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const t = ((p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1])) / (len * len);
    if (t >= 0 && t <= 1 && Math.abs(cross(a, b, p)) / len <= tol) return true;
  }
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!;
    const [xj, yj] = poly[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
/** A box inside a polygon: points along its sides all inside, no polygon corner strictly inside it. */
function boxInside(box: Point[], poly: Point[]): boolean {
  const [a, , c] = [box[0]!, box[1]!, box[2]!];
  const samples: Point[] = [];
  for (let i = 0; i <= 8; i++) {
    const x = a[0] + ((c[0] - a[0]) * i) / 8;
    const y = a[1] + ((c[1] - a[1]) * i) / 8;
    samples.push([x, a[1]], [x, c[1]], [a[0], y], [c[0], y]);
  }
  return samples.every((p) => insideOrOn(p, poly)) && !poly.some((v) => insideConvex(v, box));
}

const inputs = fc.record({
  seed: fc.uuid(),
  sqft: fc.integer({ min: 330, max: 5000 }),
  floors: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
});
const RUNS = { numRuns: Number(process.env.DRAWING_RUNS ?? 40), seed: 1803, endOnFailure: true, includeErrorInReport: true };
const property = (check: (model: FloorPlanModel, floor: Floor, svg: string, dim: boolean) => void) =>
  fc.assert(
    fc.property(inputs, ({ seed, sqft, floors }) => {
      const model = generateModel(seed, sqft, floors);
      for (const floor of model.floors) {
        for (const dim of [false, true]) {
          try {
            check(model, floor, floorSvg(model, floor, fixtureInput().opts, dim), dim);
          } catch (e) {
            throw new Error(
              `${JSON.stringify({ seed, sqft, floors })} level ${floor.level}${dim ? ' _dim' : ''}: ${(e as Error).message.split('\n')[0]}`,
              {
                cause: e,
              },
            );
          }
        }
      }
    }),
    RUNS,
  );

describe('floor-plan drawings of generated homes', () => {
  it('label every room inside it, clear of walls, door swings, fixtures, stairs and other labels, smaller in small rooms', () => {
    let labelled = 0;
    let rooms = 0;
    property((_model, floor, svg) => {
      const d = readSvg(svg, floor);
      const boxes = d.rooms.flatMap((r) => r.labels.map((l) => ({ room: r.id, ...l })));
      for (const room of d.rooms) {
        rooms++;
        if (room.labels.length > 0) labelled++;
        for (const l of room.labels) {
          assert.ok(boxInside(l.box, room.polygon), `${room.id} ${l.kind} outside its room`);
          for (const w of d.walls) assert.ok(!convexMeet(l.box, w), `${room.id} ${l.kind} on a wall`);
          for (const s of d.swings) assert.ok(!convexMeet(l.box, s.poly), `${room.id} ${l.kind} under door ${s.id}'s swing`);
          for (const f of d.fixtures) assert.ok(!convexMeet(l.box, f.poly), `${room.id} ${l.kind} on fixture ${f.id}`);
          for (const s of d.stairs) assert.ok(!convexMeet(l.box, s), `${room.id} ${l.kind} on the stairs`);
        }
        // A label's lines stack without overlapping.
        room.labels.forEach((a, i) =>
          room.labels.slice(i + 1).forEach((b) => assert.ok(!convexMeet(a.box, b.box), `${room.id}: ${a.kind} overlaps ${b.kind}`)),
        );
      }
      boxes.forEach((a, i) =>
        boxes.slice(i + 1).forEach((b) => assert.ok(a.room === b.room || !convexMeet(a.box, b.box), `${a.room} label meets ${b.room}'s`)),
      );
    });
    // Nearly every room keeps a label (a tiny closet filled by its wardrobe and door may not).
    assert.ok(labelled / rooms > 0.97, `${labelled} of ${rooms} rooms labelled`);
  });

  it('draws no door swing across a wall, the stairs, a fixture or another swing', () => {
    property((_model, floor, svg) => {
      const d = readSvg(svg, floor);
      assert.equal(d.swings.length, floor.doors.filter((x) => (x.swing ?? 'in') === 'in' || x.swing === 'out').length);
      d.swings.forEach((s, i) => {
        for (const w of d.walls) assert.ok(!convexMeet(s.poly, w), `door ${s.id} swings through a wall`);
        for (const st of d.stairs) assert.ok(!convexMeet(s.poly, st), `door ${s.id} swings over the stairs`);
        for (const f of d.fixtures) assert.ok(!convexMeet(s.poly, f.poly), `door ${s.id} swings over fixture ${f.id}`);
        for (const t of d.swings.slice(i + 1)) assert.ok(!convexMeet(s.poly, t.poly), `door ${s.id} swing meets door ${t.id}'s`);
      });
    });
  });

  it('gives the measured drawings exterior dimension chains that add up to every outer wall and the whole side', () => {
    property((_model, floor, svg, dim) => {
      const d = readSvg(svg, floor);
      if (!dim) {
        assert.equal(d.chains.length, 0);
        return;
      }
      assert.deepEqual(d.chains.map((c) => c.side).sort(), ['bottom', 'left', 'right', 'top']);
      const xs = floor.outline.map((p) => p[0]);
      const ys = floor.outline.map((p) => p[1]);
      for (const chain of d.chains) {
        const horizontal = chain.side === 'top' || chain.side === 'bottom';
        const extent = horizontal ? Math.max(...xs) - Math.min(...xs) : Math.max(...ys) - Math.min(...ys);
        const sum = chain.links.reduce((s, l) => s + l, 0);
        assert.ok(Math.abs(sum - extent) < 0.01, `${chain.side}: links add up to ${sum}, the side is ${extent}`);
        assert.ok(Math.abs(chain.overall - extent) < 0.002, `${chain.side}: overall ${chain.overall} for ${extent}`);
        assert.equal(chain.links.length, chain.stations.length - 1);
        // Every outer wall seen from this side spans whole links that add up to its length.
        const outward = chain.side === 'top' || chain.side === 'left' ? -1 : 1;
        for (const w of floor.walls.filter((x) => x.exterior)) {
          const along = horizontal ? w.start[1] === w.end[1] : w.start[0] === w.end[0];
          if (!along) continue;
          const c0 = Math.min(horizontal ? w.start[0] : w.start[1], horizontal ? w.end[0] : w.end[1]);
          const c1 = Math.max(horizontal ? w.start[0] : w.start[1], horizontal ? w.end[0] : w.end[1]);
          const level = horizontal ? w.start[1] : w.start[0];
          const mid = (c0 + c1) / 2;
          // Seen from this side: just beyond its middle lies outside the outline.
          const probe: Point = horizontal ? [mid, level + outward * 0.01] : [level + outward * 0.01, mid];
          const beyond = insideOrOn(probe, floor.outline, 1e-6);
          if (beyond) continue;
          const i0 = chain.stations.findIndex((s) => Math.abs(s - c0) < 1e-3);
          const i1 = chain.stations.findIndex((s) => Math.abs(s - c1) < 1e-3);
          assert.ok(i0 >= 0 && i1 > i0, `${chain.side}: wall ${w.id} ends at no station`);
          const links = chain.links.slice(i0, i1).reduce((s, l) => s + l, 0);
          assert.ok(Math.abs(links - (c1 - c0)) < 0.01, `${chain.side}: wall ${w.id} is ${c1 - c0} m, its links ${links}`);
        }
      }
    });
  });

  it('puts a scale bar and a north arrow on every drawing', () => {
    property((_model, floor, svg) => {
      const d = readSvg(svg, floor);
      assert.ok(d.scaleBar, 'scale bar');
      assert.ok(d.northArrow, 'north arrow');
    });
  });
});
