// Where doors stand and which way they open, read the same way by every renderer, the validation
// and the property data: the two spaces a door joins, the room it belongs to and its leaf.
import { pointAlong, pointStrictlyInside, wallFrame } from './geometry.js';
import { DOOR_DEFAULTS, isOutdoor, type Door, type DoorSwing, type Floor, type Point, type Wall } from './model.js';

export const EXTERIOR = 'exterior';

/** The spaces either side of a point on a wall: [the side of its normal, the other side]. */
export function spacesAcross(floor: Floor, wall: Wall, offset: number): [string, string] {
  const { normal } = wallFrame(wall);
  const c = pointAlong(wall, offset);
  const reach = wall.thickness / 2 + 0.05;
  const at = (s: number): string => {
    const p: Point = [c[0] + normal[0] * s, c[1] + normal[1] * s];
    return floor.rooms.find((r) => pointStrictlyInside(p, r.polygon))?.id ?? EXTERIOR;
  };
  return [at(reach), at(-reach)];
}

export interface PlacedDoor {
  door: Door;
  wall: Wall;
  swing: DoorSwing;
  /** [the space on the side of the wall's normal, the other]. */
  joins: [string, string];
  roomId: string;
  hinge: Point;
  /** The opposite jamb (the leaf's tip closes onto it). */
  jamb: Point;
  /** The unit vector the leaf swings toward (for `in` and `out`). */
  toward: Point;
}

export function placeDoor(floor: Floor, door: Door, wall: Wall): PlacedDoor {
  const swing = door.swing ?? DOOR_DEFAULTS.swing;
  const joins = spacesAcross(floor, wall, door.offset);
  const outdoor = new Set(floor.rooms.filter((r) => isOutdoor(r.type)).map((r) => r.id));
  const inside = (id: string) => id !== EXTERIOR && !outdoor.has(id);
  let roomId = door.room_id;
  if (!roomId) {
    roomId = wall.exterior || joins.some((j) => !inside(j)) ? (joins.find(inside) ?? joins[0]) : joins[0];
  }
  const { normal } = wallFrame(wall);
  const towardRoom = roomId === joins[1] && roomId !== joins[0] ? -1 : 1;
  const sign = swing === 'out' ? -towardRoom : towardRoom;
  const atStart = (door.hinge ?? DOOR_DEFAULTS.hinge) === 'start';
  const a = pointAlong(wall, door.offset - door.width / 2);
  const b = pointAlong(wall, door.offset + door.width / 2);
  return {
    door,
    wall,
    swing,
    joins,
    roomId,
    hinge: atStart ? a : b,
    jamb: atStart ? b : a,
    toward: [normal[0] * sign, normal[1] * sign],
  };
}

/** Every door of a floor placed (doors on a missing wall are left out; the validation names them). */
export function placedDoors(floor: Floor): PlacedDoor[] {
  const walls = new Map(floor.walls.map((w) => [w.id, w]));
  return floor.doors.flatMap((d) => {
    const wall = walls.get(d.wall_id);
    return wall ? [placeDoor(floor, d, wall)] : [];
  });
}

/** The tip of an open hinged leaf (a quarter turn from closed). */
export function leafTip(d: PlacedDoor): Point {
  return [d.hinge[0] + d.toward[0] * d.door.width, d.hinge[1] + d.toward[1] * d.door.width];
}
