// The rules a floor-plan model must meet beyond its JSON shape (which the upload route's schema
// checks): simple polygons, rooms inside the outline and apart from each other, openings that fit
// on their wall, stairs leading to a floor that exists, ids unique. Each problem names its place.
import { isSimplePolygon, pointInsideOrOn, polygonArea, polygonsOverlap, wallLength } from './geometry.js';
import type { FloorPlanModel, Opening, Point } from './model.js';

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
      if (outlineOk && !room.polygon.every((p) => pointInsideOrOn(p, floor.outline, 1e-3))) {
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
      const roomsArea = floor.rooms.reduce((s, room) => s + polygonArea(room.polygon), 0);
      if (roomsArea > polygonArea(floor.outline) + 0.01) add(at('rooms'), 'the rooms cover more area than the outline');
    }

    const walls = new Map<string, number>();
    floor.walls.forEach((wall, w) => {
      unique(wall.id, at('walls', w, 'id'));
      walls.set(wall.id, wallLength(wall));
      if (wallLength(wall) < 0.05) add(at('walls', w), 'a wall must be at least 0.05 m long');
    });

    const checkOpening = (o: Opening, kind: 'doors' | 'windows', i: number) => {
      unique(o.id, at(kind, i, 'id'));
      const length = walls.get(o.wall_id);
      if (length === undefined) {
        add(at(kind, i, 'wall_id'), `no wall with id "${o.wall_id}" on this floor`);
        return;
      }
      if (o.offset - o.width / 2 < -1e-6 || o.offset + o.width / 2 > length + 1e-6) {
        add(at(kind, i, 'offset'), `the opening (${o.width} m wide at ${o.offset} m) does not fit on its ${length.toFixed(2)} m wall`);
      }
    };
    floor.doors.forEach((d, i) => checkOpening(d, 'doors', i));
    floor.windows.forEach((w, i) => checkOpening(w, 'windows', i));

    floor.stairs.forEach((s, i) => {
      unique(s.id, at('stairs', i, 'id'));
      if (!isSimplePolygon(s.polygon)) add(at('stairs', i, 'polygon'), 'the stairs must be a simple polygon with a positive area');
      else if (outlineOk && !s.polygon.every((p) => pointInsideOrOn(p, floor.outline, 1e-3))) {
        add(at('stairs', i, 'polygon'), 'the stairs must lie inside the floor outline');
      }
      if (s.to_level === floor.level) add(at('stairs', i, 'to_level'), 'stairs must lead to another level');
    });
  });

  model.floors.forEach((floor, f) =>
    floor.stairs.forEach((s, i) => {
      if (!levels.has(s.to_level)) add(['floors', f, 'stairs', i, 'to_level'], `no floor has level ${s.to_level}`);
    }),
  );
  return problems;
}
