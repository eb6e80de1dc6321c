// The rules a floor-plan model must meet beyond its JSON shape (which the upload route's schema
// checks): simple polygons, rooms inside the outline and apart from each other, openings that fit
// on their wall, stairs leading to a floor that exists, ids unique. Each problem names its place.
import { isSimplePolygon, pointInsideOrOn, polygonArea, polygonsOverlap, rotatedRect, wallLength } from './geometry.js';
import { WINDOW_DEFAULTS, isOutdoor, type FloorPlanModel, type Opening, type Point, type Wall } from './model.js';
import { placeDoor } from './openings.js';

export interface ModelProblem {
  loc: (string | number)[];
  msg: string;
  type: string;
}

const TYPE = 'value_error.floor_plan';

export function modelProblems(model: FloorPlanModel): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const add = (loc: (string | number)[], msg: string) => problems.push({ loc, msg, type: TYPE });
  const levels = new Set<number>();

  model.floors.forEach((floor, f) => {
    const at = (...rest: (string | number)[]) => ['floors', f, ...rest];
    if (levels.has(floor.level)) add(at('level'), `level ${floor.level} appears on more than one floor`);
    levels.add(floor.level);
    if (floor.below_grade && floor.level >= 0) add(at('below_grade'), 'only floors with a negative level can be below grade');

    const outlineOk = isSimplePolygon(floor.outline);
    if (!outlineOk) add(at('outline'), 'the outline must be a simple polygon (no crossing edges, no repeated points)');

    const ids = new Set<string>();
    const unique = (id: string, loc: (string | number)[]) => {
      if (ids.has(id)) add(loc, `id "${id}" is used more than once on this floor`);
      ids.add(id);
    };

    const okRooms: { index: number; polygon: Point[] }[] = [];
    floor.rooms.forEach((room, r) => {
      unique(room.id, at('rooms', r, 'id'));
      if (!isSimplePolygon(room.polygon)) {
        add(at('rooms', r, 'polygon'), 'the room must be a simple polygon with a positive area');
        return;
      }
      if (!isOutdoor(room.type) && outlineOk && !room.polygon.every((p) => pointInsideOrOn(p, floor.outline, 1e-3))) {
        add(at('rooms', r, 'polygon'), 'the room must lie inside the floor outline');
      }
      for (const other of okRooms) {
        if (polygonsOverlap(room.polygon, other.polygon)) {
          add(at('rooms', r, 'polygon'), `the room overlaps room ${other.index} ("${floor.rooms[other.index]!.id}")`);
        }
      }
      okRooms.push({ index: r, polygon: room.polygon });
    });
    if (outlineOk && okRooms.length === floor.rooms.length) {
      const roomsArea = floor.rooms.filter((r) => !isOutdoor(r.type)).reduce((s, room) => s + polygonArea(room.polygon), 0);
      if (roomsArea > polygonArea(floor.outline) + 0.01) add(at('rooms'), 'the rooms cover more area than the outline');
    }

    const walls = new Map<string, Wall>();
    floor.walls.forEach((wall, w) => {
      unique(wall.id, at('walls', w, 'id'));
      walls.set(wall.id, wall);
      if (wallLength(wall) < 0.05) add(at('walls', w), 'a wall must be at least 0.05 m long');
    });

    const checkOpening = (o: Opening, kind: 'doors' | 'windows', i: number) => {
      unique(o.id, at(kind, i, 'id'));
      const wall = walls.get(o.wall_id);
      if (wall === undefined) {
        add(at(kind, i, 'wall_id'), `no wall with id "${o.wall_id}" on this floor`);
        return null;
      }
      const length = wallLength(wall);
      if (o.offset - o.width / 2 < -1e-6 || o.offset + o.width / 2 > length + 1e-6) {
        add(at(kind, i, 'offset'), `the opening (${o.width} m wide at ${o.offset} m) does not fit on its ${length.toFixed(2)} m wall`);
      }
      return wall;
    };
    const roomIds = new Set(floor.rooms.map((r) => r.id));
    floor.doors.forEach((d, i) => {
      const wall = checkOpening(d, 'doors', i);
      if (wall && d.room_id !== undefined) {
        const { joins } = placeDoor(floor, d, wall);
        if (!joins.includes(d.room_id)) {
          add(at('doors', i, 'room_id'), `the door joins "${joins[0]}" and "${joins[1]}"; room_id must be one of them`);
        }
      }
    });
    floor.windows.forEach((w, i) => {
      checkOpening(w, 'windows', i);
      const sill = w.sill_height ?? WINDOW_DEFAULTS.sill_height;
      const head = w.head_height ?? Math.min(WINDOW_DEFAULTS.head_height, floor.height);
      if (head > floor.height + 1e-6) add(at('windows', i, 'head_height'), `the window's head is above the ${floor.height} m ceiling`);
      if (sill >= head) add(at('windows', i, sill === w.sill_height ? 'sill_height' : 'head_height'), 'the sill must be below the head');
    });

    (floor.fixtures ?? []).forEach((fx, i) => {
      unique(fx.id, at('fixtures', i, 'id'));
      const room = floor.rooms.find((r) => r.id === fx.room_id);
      if (!roomIds.has(fx.room_id) || !room) {
        add(at('fixtures', i, 'room_id'), `no room with id "${fx.room_id}" on this floor`);
        return;
      }
      if (
        isSimplePolygon(room.polygon) &&
        !rotatedRect(fx.position, fx.width, fx.depth, fx.rotation).every((p) => pointInsideOrOn(p, room.polygon, 0.02))
      ) {
        add(at('fixtures', i, 'position'), `the ${fx.type} does not lie inside its room "${room.id}"`);
      }
    });

    floor.stairs.forEach((s, i) => {
      unique(s.id, at('stairs', i, 'id'));
      if (!isSimplePolygon(s.polygon)) add(at('stairs', i, 'polygon'), 'the stairs must be a simple polygon with a positive area');
      else if (outlineOk && !s.polygon.every((p) => pointInsideOrOn(p, floor.outline, 1e-3))) {
        add(at('stairs', i, 'polygon'), 'the stairs must lie inside the floor outline');
      }
      if (s.to_level === floor.level) add(at('stairs', i, 'to_level'), 'stairs must lead to another level');
    });
  });

  if (model.version === 1) {
    const v2 = (loc: (string | number)[], what: string) => add(loc, `${what} needs "version": 2`);
    model.floors.forEach((floor, f) => {
      if (floor.fixtures !== undefined) v2(['floors', f, 'fixtures'], 'fixtures');
      floor.rooms.forEach((r, i) => isOutdoor(r.type) && v2(['floors', f, 'rooms', i, 'type'], `an outdoor space (${r.type})`));
      floor.doors.forEach((d, i) => {
        for (const key of ['room_id', 'swing', 'hinge'] as const) if (d[key] !== undefined) v2(['floors', f, 'doors', i, key], key);
      });
      floor.windows.forEach((w, i) => {
        for (const key of ['sill_height', 'head_height'] as const) if (w[key] !== undefined) v2(['floors', f, 'windows', i, key], key);
      });
    });
  }

  model.floors.forEach((floor, f) =>
    floor.stairs.forEach((s, i) => {
      if (!levels.has(s.to_level)) add(['floors', f, 'stairs', i, 'to_level'], `no floor has level ${s.to_level}`);
    }),
  );
  return problems;
}
