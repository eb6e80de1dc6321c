// SVG floor plans: one drawing per floor, with or without measurements, in a template's style.
// Coordinates are written in pixels with two decimals, so the same model always gives the same text.
import { boundingBox, polygonArea, wallFrame, wallLength, wallRectangle } from './geometry.js';
import { floorName, roomLabel, term } from './labels.js';
import { isOutdoor, type Floor, type FloorPlanModel, type Opening, type Point, type Room, type Wall } from './model.js';
import { PALETTES, type DrawOptions, type Palette } from './style.js';
import { formatArea, formatLength } from './units.js';
import { leafTip, placedDoors } from './openings.js';
import { fixtureSymbol } from './fixture-symbols.js';
import { labelObstacles, placeRoomLabel, type Obstacle } from './room-label-layout.js';
import { dimensionChains } from './dimension-chains.js';
import { textWidth } from './text-width.js';

export const FONT_FAMILY = 'DejaVu Sans';
/** Size of every floor-plan drawing (and so of its PNG and JPG). */
export const PLAN_WIDTH = 1600;
export const PLAN_HEIGHT = 1200;
const TITLE_BAND = 90;
const MARGIN = 50;
/** Room left around the outline for the measurement lines, in metres. */
const DIMENSION_SPACE = 1.45;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const n = (v: number) => {
  const s = v.toFixed(2);
  return s === '-0.00' ? '0.00' : s;
};

/** Where the plan goes on the page: metres → pixels. */
export interface Frame {
  scale: number;
  offsetX: number;
  offsetY: number;
}

/**
 * One scale for every floor of a model (floors of one house keep their relative size), centred in
 * the box (x, y, width, height) in pixels.
 */
export function planFrame(model: FloorPlanModel, floor: Floor, box: { x: number; y: number; width: number; height: number }): Frame {
  const all = boundingBox(model.floors.flatMap((f) => f.outline));
  const spanX = all.maxX - all.minX + 2 * DIMENSION_SPACE;
  const spanY = all.maxY - all.minY + 2 * DIMENSION_SPACE;
  const scale = Math.min(box.width / spanX, box.height / spanY);
  const own = boundingBox(floor.outline);
  const cx = (own.minX + own.maxX) / 2;
  const cy = (own.minY + own.maxY) / 2;
  return { scale, offsetX: box.x + box.width / 2 - cx * scale, offsetY: box.y + box.height / 2 - cy * scale };
}

function project(frame: Frame, p: Point): Point {
  return [frame.offsetX + p[0] * frame.scale, frame.offsetY + p[1] * frame.scale];
}

function points(frame: Frame, poly: readonly Point[]): string {
  return poly
    .map((p) => project(frame, p))
    .map(([x, y]) => `${n(x)},${n(y)}`)
    .join(' ');
}

/** The intervals along a wall left solid between its openings, with the ends stretched to close corners. */
function solidIntervals(wall: Wall, openings: Opening[]): [number, number][] {
  const len = wallLength(wall);
  const cuts = openings
    .filter((o) => o.wall_id === wall.id)
    .map((o): [number, number] => [o.offset - o.width / 2, o.offset + o.width / 2])
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  let from = -wall.thickness / 2;
  for (const [a, b] of cuts) {
    if (a > from + 1e-6) out.push([from, a]);
    from = Math.max(from, b);
  }
  if (len + wall.thickness / 2 > from + 1e-6) out.push([from, len + wall.thickness / 2]);
  return out;
}

/** Name sizes tried for a room label, in pixels, largest first (other lines are 0.8 of it). */
const LABEL_SIZES = [20, 18, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7];

function roomGroup(room: Room, frame: Frame, palette: Palette, opts: DrawOptions, dimensions: boolean, obstacles: Obstacle[]): string {
  const fill = palette.roomFills[room.type] ?? palette.roomFill;
  const box = boundingBox(room.polygon);
  const label = placeRoomLabel(
    {
      room,
      name: roomLabel(room, opts.language),
      area: formatArea(polygonArea(room.polygon), opts.units, 1),
      size: dimensions ? `${formatLength(box.maxX - box.minX, opts.units)} × ${formatLength(box.maxY - box.minY, opts.units)}` : null,
      sizes: LABEL_SIZES.map((s) => s / frame.scale),
      pad: 3 / frame.scale,
    },
    obstacles,
  );
  const texts = (label?.lines ?? [])
    .map((line) => {
      const [x, y] = project(frame, [line.x, line.y]);
      const cls = line.kind === 'name' ? 'room-name' : line.kind === 'area' ? 'room-area' : 'room-dimensions';
      const color = line.kind === 'name' ? palette.label : palette.area;
      // The label was fitted in bold: a template with normal-weight names draws them narrower still.
      const weight = line.kind === 'name' ? ` font-weight="${palette.labelWeight}"` : '';
      return `<text class="${cls}" x="${n(x)}" y="${n(y)}" font-size="${n(line.size * frame.scale)}"${weight} fill="${color}" text-anchor="middle">${escapeXml(line.text)}</text>`;
    })
    .join('');
  return (
    `<g class="room" id="room-${escapeXml(room.id)}" data-room-type="${room.type}">` +
    `<polygon points="${points(frame, room.polygon)}" fill="${fill}" stroke="${palette.roomStroke}" stroke-width="1"/>${texts}</g>`
  );
}

function wallsGroup(floor: Floor, frame: Frame, palette: Palette): string {
  const openings = [...floor.doors, ...floor.windows];
  const parts = floor.walls.flatMap((wall) =>
    solidIntervals(wall, openings).map(([a, b]) => `<polygon points="${points(frame, wallRectangle(wall, a, b))}"/>`),
  );
  return `<g class="walls" fill="${palette.wall}">${parts.join('')}</g>`;
}

function doorsGroup(floor: Floor, frame: Frame, palette: Palette): string {
  const parts = placedDoors(floor).map((d) => {
    const id = `door-${escapeXml(d.door.id)}`;
    if (d.swing === 'none') return `<g class="door opening" id="${id}"></g>`;
    const [hx, hy] = project(frame, d.hinge);
    const [jx, jy] = project(frame, d.jamb);
    if (d.swing === 'sliding') {
      // Two leaves side by side in the wall, each over half the opening and a little past it.
      const { normal } = wallFrame(d.wall);
      const o = d.wall.thickness / 6;
      const along = (t: number, side: number): Point => [
        d.hinge[0] + (d.jamb[0] - d.hinge[0]) * t + normal[0] * o * side,
        d.hinge[1] + (d.jamb[1] - d.hinge[1]) * t + normal[1] * o * side,
      ];
      const leaf = (a: Point, b: Point) => {
        const [ax, ay] = project(frame, a);
        const [bx, by] = project(frame, b);
        return `<line x1="${n(ax)}" y1="${n(ay)}" x2="${n(bx)}" y2="${n(by)}" stroke-width="3"/>`;
      };
      return `<g class="door sliding" id="${id}">${leaf(along(0, 1), along(0.55, 1))}${leaf(along(0.45, -1), along(1, -1))}</g>`;
    }
    const tip = leafTip(d);
    const [lx, ly] = project(frame, tip);
    const r = d.door.width * frame.scale;
    const sweep = d.toward[0] * (d.jamb[1] - d.hinge[1]) - d.toward[1] * (d.jamb[0] - d.hinge[0]) > 0 ? 1 : 0;
    return (
      `<g class="door" id="${id}">` +
      `<line x1="${n(hx)}" y1="${n(hy)}" x2="${n(lx)}" y2="${n(ly)}" stroke-width="2"/>` +
      `<path d="M ${n(lx)} ${n(ly)} A ${n(r)} ${n(r)} 0 0 ${sweep} ${n(jx)} ${n(jy)}" fill="none" stroke-width="1" stroke-dasharray="4 3"/></g>`
    );
  });
  return `<g class="doors" stroke="${palette.door}">${parts.join('')}</g>`;
}

function windowsGroup(floor: Floor, frame: Frame, palette: Palette): string {
  const walls = new Map(floor.walls.map((w) => [w.id, w]));
  const parts = floor.windows.map((win) => {
    const wall = walls.get(win.wall_id)!;
    const a = win.offset - win.width / 2;
    const b = win.offset + win.width / 2;
    const frameRect = wallRectangle(wall, a, b);
    const glass = wallRectangle({ ...wall, thickness: wall.thickness * 0.3 }, a, b);
    return (
      `<g class="window" id="window-${escapeXml(win.id)}">` +
      `<polygon points="${points(frame, frameRect)}" fill="${palette.background}" stroke="${palette.window}" stroke-width="1.5"/>` +
      `<polygon points="${points(frame, glass)}" fill="${palette.window}"/></g>`
    );
  });
  return `<g class="windows">${parts.join('')}</g>`;
}

function stairsGroup(floor: Floor, frame: Frame, palette: Palette): string {
  const parts = floor.stairs.map((s) => {
    const box = boundingBox(s.polygon);
    const alongX = box.maxX - box.minX >= box.maxY - box.minY;
    const length = alongX ? box.maxX - box.minX : box.maxY - box.minY;
    const steps = Math.max(2, Math.round(length / 0.25));
    const treads: string[] = [];
    for (let i = 1; i < steps; i++) {
      const t = (i / steps) * length;
      const a: Point = alongX ? [box.minX + t, box.minY] : [box.minX, box.minY + t];
      const b: Point = alongX ? [box.minX + t, box.maxY] : [box.maxX, box.minY + t];
      const [ax, ay] = project(frame, a);
      const [bx, by] = project(frame, b);
      treads.push(`<line x1="${n(ax)}" y1="${n(ay)}" x2="${n(bx)}" y2="${n(by)}"/>`);
    }
    const mid = (box.minY + box.maxY) / 2;
    const midX = (box.minX + box.maxX) / 2;
    const from = project(frame, alongX ? [box.minX + 0.15, mid] : [midX, box.minY + 0.15]);
    const to = project(frame, alongX ? [box.maxX - 0.15, mid] : [midX, box.maxY - 0.15]);
    return (
      `<g class="stairs" id="stairs-${escapeXml(s.id)}" data-to-level="${s.to_level}">` +
      `<polygon points="${points(frame, s.polygon)}" fill="none"/>${treads.join('')}` +
      `<line x1="${n(from[0])}" y1="${n(from[1])}" x2="${n(to[0])}" y2="${n(to[1])}" stroke-width="1.5"/></g>`
    );
  });
  return `<g class="stairs-all" stroke="${palette.stairs}" stroke-width="1">${parts.join('')}</g>`;
}

/** One dimension: a line from a to b (metres) with end ticks and its length written beside it, outside the plan. */
function dimension(frame: Frame, a: Point, b: Point, metres: number, palette: Palette, opts: DrawOptions, cls: string): string {
  const [ax, ay] = project(frame, a);
  const [bx, by] = project(frame, b);
  const vertical = Math.abs(ax - bx) < 1e-6;
  const tick = 6;
  // Ticks slanted 45°, as drafters draw them.
  const slash = (x: number, y: number) => `<line x1="${n(x - tick)}" y1="${n(y + tick)}" x2="${n(x + tick)}" y2="${n(y - tick)}"/>`;
  const label = formatLength(metres, opts.units);
  const room = Math.hypot(bx - ax, by - ay);
  const size = [13, 11, 9].find((s) => textWidth(label, s) + 6 <= room);
  const mx = (ax + bx) / 2;
  const my = (ay + by) / 2;
  const text =
    size === undefined
      ? ''
      : vertical
        ? `<text x="${n(mx - 5)}" y="${n(my)}" font-size="${size}" fill="${palette.dimension}" stroke="none" text-anchor="middle" transform="rotate(-90 ${n(mx - 5)} ${n(my)})">${escapeXml(label)}</text>`
        : `<text x="${n(mx)}" y="${n(my - 5)}" font-size="${size}" fill="${palette.dimension}" stroke="none" text-anchor="middle">${escapeXml(label)}</text>`;
  return (
    `<g class="${cls}" data-length-m="${metres.toFixed(3)}">` +
    `<line x1="${n(ax)}" y1="${n(ay)}" x2="${n(bx)}" y2="${n(by)}"/>${slash(ax, ay)}${slash(bx, by)}${text}</g>`
  );
}

/** Exterior dimension chains on every side, the overall length outside each. */
function dimensionsGroup(floor: Floor, frame: Frame, palette: Palette, opts: DrawOptions): string {
  const parts = dimensionChains(floor).map((chain) => {
    const horizontal = chain.side === 'top' || chain.side === 'bottom';
    const at = (c: number, line: number): Point => (horizontal ? [c, line] : [line, c]);
    const s = chain.stations;
    const links = s
      .slice(1)
      .map((to, i) => dimension(frame, at(s[i]!, chain.at), at(to, chain.at), to - s[i]!, palette, opts, 'dimension link'))
      .join('');
    const first = s[0]!;
    const last = s[s.length - 1]!;
    const overall = dimension(
      frame,
      at(first, chain.overallAt),
      at(last, chain.overallAt),
      last - first,
      palette,
      opts,
      'dimension overall',
    );
    return `<g class="dimension-chain" data-side="${chain.side}" data-stations-m="${s.map((v) => v.toFixed(3)).join(' ')}">${links}${overall}</g>`;
  });
  return `<g class="dimensions" stroke="${palette.dimension}" stroke-width="1">${parts.join('')}</g>`;
}

function fixturesGroup(floor: Floor, frame: Frame, palette: Palette): string {
  // Counter-mounted fixtures come after the counter, so they are drawn on it.
  const order = (t: string) => (t === 'kitchen_counter' ? 0 : 1);
  const list = [...(floor.fixtures ?? [])].sort((a, b) => order(a.type) - order(b.type));
  const parts = list.map((f) => fixtureSymbol(f, project(frame, f.position), frame.scale, `fixture-${escapeXml(f.id)}`));
  return `<g class="fixtures" fill="${palette.background === 'none' ? 'none' : palette.background}" stroke="${palette.fixture}" stroke-width="1">${parts.join('')}</g>`;
}

/** A scale bar of a round length near 150 px, bottom left, and a north arrow (north is up the page), top right. */
function scaleAndNorth(frame: Frame, palette: Palette, opts: DrawOptions): string {
  const imperial = opts.units === 'imperial';
  const unit = imperial ? 0.3048 : 1;
  const steps = [1, 2, 5, 10, 20, 50];
  const count = steps.find((s) => s * unit * frame.scale >= 120) ?? 50;
  const length = count * unit * frame.scale;
  const x = MARGIN;
  const y = PLAN_HEIGHT - MARGIN / 2 - 6;
  const half = length / 2;
  const label = imperial ? `${count} ft` : `${count} m`;
  const bar =
    `<g class="scale-bar" data-length-m="${n(count * unit)}">` +
    `<rect x="${n(x)}" y="${n(y)}" width="${n(half)}" height="6" fill="${palette.dimension}" stroke="${palette.dimension}"/>` +
    `<rect x="${n(x + half)}" y="${n(y)}" width="${n(half)}" height="6" fill="${palette.background}" stroke="${palette.dimension}"/>` +
    `<text x="${n(x + length + 8)}" y="${n(y + 7)}" font-size="14" fill="${palette.dimension}">${label}</text></g>`;
  const cx = PLAN_WIDTH - MARGIN - 20;
  const cy = TITLE_BAND / 2 - 4;
  const north =
    `<g class="north-arrow">` +
    `<path d="M ${n(cx)} ${n(cy - 26)} L ${n(cx + 10)} ${n(cy + 8)} L ${n(cx)} ${n(cy)} L ${n(cx - 10)} ${n(cy + 8)} Z" fill="${palette.title}"/>` +
    `<text x="${n(cx)}" y="${n(cy + 28)}" font-size="16" font-weight="bold" fill="${palette.title}" text-anchor="middle">N</text></g>`;
  return bar + north;
}

/** The drawing of one floor as SVG elements inside `frame` (no <svg> wrapper). */
export function floorPlanElements(floor: Floor, frame: Frame, opts: DrawOptions, dimensions: boolean): string {
  const palette = PALETTES[opts.template];
  const obstacles = labelObstacles(floor);
  return [
    `<g class="rooms">${floor.rooms.map((r) => roomGroup(r, frame, palette, opts, dimensions, obstacles)).join('')}</g>`,
    stairsGroup(floor, frame, palette),
    fixturesGroup(floor, frame, palette),
    wallsGroup(floor, frame, palette),
    windowsGroup(floor, frame, palette),
    doorsGroup(floor, frame, palette),
    dimensions ? dimensionsGroup(floor, frame, palette, opts) : '',
  ].join('');
}

export function floorArea(floor: Floor): number {
  return floor.rooms.filter((r) => !isOutdoor(r.type)).reduce((s, r) => s + polygonArea(r.polygon), 0);
}

/** The complete SVG document of one floor. */
export function floorSvg(model: FloorPlanModel, floor: Floor, opts: DrawOptions, dimensions: boolean): string {
  const palette = PALETTES[opts.template];
  const frame = planFrame(model, floor, {
    x: MARGIN,
    y: TITLE_BAND,
    width: PLAN_WIDTH - 2 * MARGIN,
    height: PLAN_HEIGHT - TITLE_BAND - MARGIN,
  });
  const title = `${floorName(floor.level, opts.language)} · ${formatArea(floorArea(floor), opts.units, 1)}`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PLAN_WIDTH}" height="${PLAN_HEIGHT}" viewBox="0 0 ${PLAN_WIDTH} ${PLAN_HEIGHT}" font-family="${FONT_FAMILY}" data-level="${floor.level}">` +
    `<title>${escapeXml(`${term('floorPlan', opts.language)}: ${title}`)}</title>` +
    `<rect class="background" x="0" y="0" width="${PLAN_WIDTH}" height="${PLAN_HEIGHT}" fill="${palette.background}"/>` +
    `<text class="floor-title" x="${MARGIN}" y="${TITLE_BAND / 2 + 12}" font-size="32" font-weight="bold" fill="${palette.title}">${escapeXml(title)}</text>` +
    floorPlanElements(floor, frame, opts, dimensions) +
    scaleAndNorth(frame, palette, opts) +
    `</svg>\n`
  );
}
