// DXF (R12, ASCII) of one floor: walls, doors, windows, stairs, rooms and fixtures (as their plan
// symbols) each on their own layer, in metres, y pointing up (the plan's y is flipped so the
// drawing reads the same way).
import { boundingBox, localToPage, polygonArea, wallFrame, wallRectangle } from './geometry.js';
import { dimensionChains } from './dimension-chains.js';
import { symbolShapes, type SymbolShape } from './fixture-symbols.js';
import { labelObstacles, placeRoomLabel } from './room-label-layout.js';
import { textWidth } from './text-width.js';
import { formatArea, formatLength } from './units.js';
import { leafTip, placedDoors } from './openings.js';
import { roomLabel } from './labels.js';
import type { Fixture, Floor, Point } from './model.js';
import type { Language } from './labels.js';

export const DXF_LAYERS = [
  { name: 'WALLS', color: 7 },
  { name: 'DOORS', color: 1 },
  { name: 'WINDOWS', color: 5 },
  { name: 'STAIRS', color: 3 },
  { name: 'ROOMS', color: 8 },
  { name: 'FIXTURES', color: 4 },
  { name: 'ROOM_LABELS', color: 2 },
  { name: 'DIMENSIONS', color: 8 },
  { name: 'ANNOTATION', color: 7 },
] as const;
type Layer = (typeof DXF_LAYERS)[number]['name'];

const num = (v: number) => {
  const s = v.toFixed(4);
  return s === '-0.0000' ? '0.0000' : s;
};

/** R12 text is single-byte: anything outside ASCII is written as an AutoCAD \U+XXXX escape. */
function dxfText(text: string): string {
  return [...text]
    .map((ch) => (ch.charCodeAt(0) < 128 ? ch : `\\U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`))
    .join('');
}

class DxfWriter {
  private out: string[] = [];
  pair(code: number, value: string | number): void {
    this.out.push(String(code), typeof value === 'number' ? num(value) : value);
  }
  int(code: number, value: number): void {
    this.out.push(String(code), String(value));
  }
  private xy(p: Point, codeX = 10): void {
    this.pair(codeX, p[0]);
    this.pair(codeX + 10, -p[1]);
  }
  line(layer: Layer, a: Point, b: Point): void {
    this.pair(0, 'LINE');
    this.pair(8, layer);
    this.xy(a);
    this.pair(30, 0);
    this.xy(b, 11);
    this.pair(31, 0);
  }
  polyline(layer: Layer, points: Point[], closed = true): void {
    this.pair(0, 'POLYLINE');
    this.pair(8, layer);
    this.int(66, 1);
    this.pair(10, 0);
    this.pair(20, 0);
    this.pair(30, 0);
    this.int(70, closed ? 1 : 0);
    for (const p of points) {
      this.pair(0, 'VERTEX');
      this.pair(8, layer);
      this.xy(p);
      this.pair(30, 0);
    }
    this.pair(0, 'SEQEND');
    this.pair(8, layer);
  }
  circle(layer: Layer, center: Point, radius: number): void {
    this.pair(0, 'CIRCLE');
    this.pair(8, layer);
    this.xy(center);
    this.pair(30, 0);
    this.pair(40, radius);
  }
  /** A counter-clockwise arc (in DXF's y-up frame) from `startDeg` to `endDeg`. */
  arc(layer: Layer, center: Point, radius: number, startDeg: number, endDeg: number): void {
    this.pair(0, 'ARC');
    this.pair(8, layer);
    this.xy(center);
    this.pair(30, 0);
    this.pair(40, radius);
    this.pair(50, startDeg);
    this.pair(51, endDeg);
  }
  /** Text centred on `at`: on its middle, or on its baseline. */
  text(layer: Layer, at: Point, height: number, value: string, onBaseline = false, rotation = 0): void {
    this.pair(0, 'TEXT');
    this.pair(8, layer);
    this.xy(at);
    this.pair(30, 0);
    this.pair(40, height);
    this.pair(1, dxfText(value));
    if (rotation) this.pair(50, rotation);
    this.int(72, 1);
    this.int(73, onBaseline ? 0 : 2);
    this.xy(at, 11);
    this.pair(31, 0);
  }
  toString(): string {
    return `${this.out.join('\n')}\n`;
  }
}

/** Angle in degrees of the vector a→b in DXF's y-up frame, in [0, 360). */
function angle(a: Point, b: Point): number {
  const deg = (Math.atan2(-(b[1] - a[1]), b[0] - a[0]) * 180) / Math.PI;
  return Math.round((((deg % 360) + 360) % 360) * 1e4) / 1e4;
}

/** One pixel of the page drawings, in metres: the size of a symbol's fixed details (corner rounding, hanger pitch). */
const SYMBOL_PX = 0.015;
/** Straight segments standing for a whole ellipse, and for a rounded corner's quarter turn. */
const ELLIPSE_SEGMENTS = 32;
const CORNER_SEGMENTS = 4;

/** A symbol shape's outline in the fixture's frame: a rectangle's corners (rounded ones as short segments), or an ellipse as a polygon. */
function shapeOutline(s: Extract<SymbolShape, { kind: 'rect' | 'ellipse' }>): Point[] {
  const turn = (cx: number, cy: number, rx: number, ry: number, from: number, steps: number, span: number): Point[] =>
    Array.from({ length: steps + 1 }, (_, i) => {
      const t = from + (span * i) / steps;
      return [cx + rx * Math.cos(t), cy + ry * Math.sin(t)];
    });
  if (s.kind === 'ellipse') return turn(s.cx, s.cy, s.rx, s.ry, 0, ELLIPSE_SEGMENTS, 2 * Math.PI).slice(0, -1);
  const { x, y, width, height } = s;
  const r = Math.min(s.radius, width / 2, height / 2);
  if (r <= 0)
    return [
      [x, y],
      [x + width, y],
      [x + width, y + height],
      [x, y + height],
    ];
  // Corners clockwise on the page (y down) from the top left, each a quarter turn about its centre.
  const q = Math.PI / 2;
  return [
    ...turn(x + r, y + r, r, r, 2 * q, CORNER_SEGMENTS, q),
    ...turn(x + width - r, y + r, r, r, 3 * q, CORNER_SEGMENTS, q),
    ...turn(x + width - r, y + height - r, r, r, 0, CORNER_SEGMENTS, q),
    ...turn(x + r, y + height - r, r, r, q, CORNER_SEGMENTS, q),
  ];
}

/** A fixture's plan symbol (fixture-symbols.ts) placed and turned like the fixture: circles stay circles, other curves become polylines. */
function fixtureEntities(w: DxfWriter, f: Fixture): void {
  const at = (p: Point) => localToPage(f.position, f.rotation, p);
  for (const s of symbolShapes(f, 1, SYMBOL_PX)) {
    if (s.kind === 'line') w.line('FIXTURES', at(s.from), at(s.to));
    else if (s.kind === 'path') w.polyline('FIXTURES', s.points.map(at), false);
    else if (s.kind === 'ellipse' && s.rx === s.ry) w.circle('FIXTURES', at([s.cx, s.cy]), s.rx);
    else w.polyline('FIXTURES', shapeOutline(s).map(at));
  }
}

/** Room label heights tried, in metres, largest first. */
const LABEL_HEIGHTS = [0.3, 0.27, 0.24, 0.22, 0.2, 0.18, 0.16, 0.14, 0.12, 0.11, 0.1, 0.09];

/** The exterior dimension chains (dimension-chains.ts): lines, slanted ticks and lengths. */
function dimensions(w: DxfWriter, floor: Floor): void {
  const tick = 0.08;
  const dim = (a: Point, b: Point, metres: number) => {
    w.line('DIMENSIONS', a, b);
    for (const p of [a, b]) w.line('DIMENSIONS', [p[0] - tick, p[1] + tick], [p[0] + tick, p[1] - tick]);
    const vertical = Math.abs(a[0] - b[0]) < 1e-9;
    const label = formatLength(metres, 'metric');
    const height = 0.15;
    if (textWidth(label, height) + 0.1 > Math.hypot(b[0] - a[0], b[1] - a[1])) return;
    const mid: Point = vertical ? [a[0] - 0.08, (a[1] + b[1]) / 2] : [(a[0] + b[0]) / 2, a[1] - 0.08];
    w.text('DIMENSIONS', mid, height, label, true, vertical ? 90 : 0);
  };
  for (const chain of dimensionChains(floor)) {
    const horizontal = chain.side === 'top' || chain.side === 'bottom';
    const at = (c: number, line: number): Point => (horizontal ? [c, line] : [line, c]);
    const s = chain.stations;
    s.slice(1).forEach((to, i) => dim(at(s[i]!, chain.at), at(to, chain.at), to - s[i]!));
    dim(at(s[0]!, chain.overallAt), at(s[s.length - 1]!, chain.overallAt), s[s.length - 1]! - s[0]!);
  }
}

/** A north arrow (north is up the drawing) beyond the plan's top right corner, and a 5 m scale bar beyond its bottom left. */
function northArrowAndScale(w: DxfWriter, floor: Floor): void {
  const box = boundingBox(floor.outline);
  const cx = box.maxX + 2;
  const cy = box.minY - 0.5;
  w.polyline('ANNOTATION', [
    [cx, cy - 0.8],
    [cx + 0.3, cy + 0.25],
    [cx, cy],
    [cx - 0.3, cy + 0.25],
  ]);
  w.text('ANNOTATION', [cx, cy + 0.75], 0.35, 'N', true);
  const x = box.minX;
  const y = box.maxY + 2;
  for (let i = 0; i < 5; i++)
    w.polyline('ANNOTATION', [
      [x + i, y],
      [x + i + 1, y],
      [x + i + 1, y + 0.1],
      [x + i, y + 0.1],
    ]);
  w.text('ANNOTATION', [x + 5.6, y + 0.1], 0.2, '5 m', true);
}

export function floorDxf(floor: Floor, language: Language): Buffer {
  const w = new DxfWriter();
  w.pair(0, 'SECTION');
  w.pair(2, 'HEADER');
  w.pair(9, '$ACADVER');
  w.pair(1, 'AC1009');
  w.pair(9, '$DWGCODEPAGE');
  w.pair(3, 'ANSI_1252');
  w.pair(9, '$INSUNITS');
  w.int(70, 6);
  w.pair(0, 'ENDSEC');

  w.pair(0, 'SECTION');
  w.pair(2, 'TABLES');
  w.pair(0, 'TABLE');
  w.pair(2, 'LTYPE');
  w.int(70, 1);
  w.pair(0, 'LTYPE');
  w.pair(2, 'CONTINUOUS');
  w.int(70, 0);
  w.pair(3, 'Solid line');
  w.int(72, 65);
  w.int(73, 0);
  w.pair(40, 0);
  w.pair(0, 'ENDTAB');
  w.pair(0, 'TABLE');
  w.pair(2, 'LAYER');
  w.int(70, DXF_LAYERS.length);
  for (const layer of DXF_LAYERS) {
    w.pair(0, 'LAYER');
    w.pair(2, layer.name);
    w.int(70, 0);
    w.int(62, layer.color);
    w.pair(6, 'CONTINUOUS');
  }
  w.pair(0, 'ENDTAB');
  w.pair(0, 'ENDSEC');

  w.pair(0, 'SECTION');
  w.pair(2, 'ENTITIES');
  for (const wall of floor.walls) w.polyline('WALLS', wallRectangle(wall));
  const walls = new Map(floor.walls.map((x) => [x.id, x]));
  for (const d of placedDoors(floor)) {
    if (d.swing === 'none') continue;
    if (d.swing === 'sliding') {
      const { normal } = wallFrame(d.wall);
      const o = d.wall.thickness / 6;
      const at = (t: number, side: number): Point => [
        d.hinge[0] + (d.jamb[0] - d.hinge[0]) * t + normal[0] * o * side,
        d.hinge[1] + (d.jamb[1] - d.hinge[1]) * t + normal[1] * o * side,
      ];
      w.line('DOORS', at(0, 1), at(0.55, 1));
      w.line('DOORS', at(0.45, -1), at(1, -1));
      continue;
    }
    const leaf = leafTip(d);
    w.line('DOORS', d.hinge, leaf);
    const a1 = angle(d.hinge, d.jamb);
    const a2 = angle(d.hinge, leaf);
    const ccw = Math.abs(((a2 - a1 + 360) % 360) - 90) < 1;
    w.arc('DOORS', d.hinge, d.door.width, ccw ? a1 : a2, ccw ? a2 : a1);
  }
  for (const win of floor.windows) {
    const wall = walls.get(win.wall_id)!;
    const a = win.offset - win.width / 2;
    const b = win.offset + win.width / 2;
    w.polyline('WINDOWS', wallRectangle(wall, a, b));
    const glass = wallRectangle({ ...wall, thickness: wall.thickness * 0.3 }, a, b);
    w.line('WINDOWS', glass[0]!, glass[1]!);
    w.line('WINDOWS', glass[3]!, glass[2]!);
  }
  for (const s of floor.stairs) w.polyline('STAIRS', s.polygon);
  for (const f of floor.fixtures ?? []) fixtureEntities(w, f);
  const obstacles = labelObstacles(floor);
  for (const room of floor.rooms) {
    w.polyline('ROOMS', room.polygon);
    const box = boundingBox(room.polygon);
    const label = placeRoomLabel(
      {
        room,
        name: roomLabel(room, language),
        area: formatArea(polygonArea(room.polygon), 'metric', 1),
        size: `${formatLength(box.maxX - box.minX, 'metric')} × ${formatLength(box.maxY - box.minY, 'metric')}`,
        sizes: LABEL_HEIGHTS,
        pad: 0.04,
      },
      obstacles,
    );
    for (const line of label?.lines ?? []) w.text('ROOM_LABELS', [line.x, line.y], line.size, line.text, true);
  }
  dimensions(w, floor);
  northArrowAndScale(w, floor);
  w.pair(0, 'ENDSEC');
  w.pair(0, 'EOF');
  return Buffer.from(w.toString(), 'latin1');
}
