// The floor-plan model every deliverable is rendered from: floors of rooms (polygons), walls with
// thickness, doors and windows placed on walls, stairs and (version 2) fixtures. Lengths are
// metres; points are [x, y] in a floor's own plane (y grows "down" the page, as in SVG).
//
// Version 2 adds fixtures, the way each door opens, window sill and head heights and outdoor
// spaces. Every version 2 field is optional, so a version 1 model is a version 2 model with the
// defaults, and the renderers read both the same way.
export type Point = [number, number];

export const INDOOR_ROOM_TYPES = [
  'living_room',
  'kitchen',
  'dining_room',
  'bedroom',
  'bathroom',
  'toilet',
  'hallway',
  'entrance',
  'closet',
  'office',
  'utility',
  'laundry',
  'storage',
  'sauna',
  'recreation_room',
  'garage',
  'other',
] as const;
/** Spaces drawn on the plan but not counted in any floor's area (version 2). */
export const OUTDOOR_ROOM_TYPES = ['balcony', 'terrace', 'porch'] as const;
export const ROOM_TYPES = [...INDOOR_ROOM_TYPES, ...OUTDOOR_ROOM_TYPES] as const;
export type RoomType = (typeof ROOM_TYPES)[number];

export function isOutdoor(type: RoomType): boolean {
  return (OUTDOOR_ROOM_TYPES as readonly string[]).includes(type);
}

export interface Room {
  id: string;
  type: RoomType;
  /** Optional free-text name shown instead of the translated type. */
  name?: string;
  polygon: Point[];
}

export interface Wall {
  id: string;
  start: Point;
  end: Point;
  thickness: number;
  exterior: boolean;
}

/** A door or window on a wall: its centre lies `offset` metres from the wall's start. */
export interface Opening {
  id: string;
  wall_id: string;
  offset: number;
  width: number;
}

/** How a door opens: a hinged leaf into or out of its room, a sliding leaf, or no leaf at all. */
export const DOOR_SWINGS = ['in', 'out', 'sliding', 'none'] as const;
export type DoorSwing = (typeof DOOR_SWINGS)[number];

export interface Door extends Opening {
  /**
   * The space the door belongs to, one of the two it joins: `in` swings into it, `out` away from
   * it. Unset: the room inside for a door on an exterior wall, otherwise the room on the side of
   * the wall's normal (-dy, dx), where (dx, dy) runs from the wall's start to its end.
   */
  room_id?: string;
  /** Unset: `in`. */
  swing?: DoorSwing;
  /** The end of the opening nearer the wall's `start` or `end` carries the hinges. Unset: `start`. */
  hinge?: 'start' | 'end';
}

export interface Window extends Opening {
  /** Height of the sill above the floor. Unset: 0.9 m. */
  sill_height?: number;
  /** Height of the head above the floor. Unset: 2.1 m (or the ceiling, if lower). */
  head_height?: number;
}

export const DOOR_DEFAULTS = { swing: 'in', hinge: 'start' } as const;
export const WINDOW_DEFAULTS = { sill_height: 0.9, head_height: 2.1 } as const;

export const FIXTURE_TYPES = [
  'toilet',
  'sink',
  'bathtub',
  'shower',
  'kitchen_counter',
  'kitchen_sink',
  'stove',
  'fridge',
  'dishwasher',
  'washer',
  'dryer',
  'fireplace',
  'wardrobe',
] as const;
export type FixtureType = (typeof FIXTURE_TYPES)[number];

/**
 * A fixture: a `width` × `depth` rectangle centred on `position`. At rotation 0 its width runs
 * along x and its back (the side against a wall) faces -y; `rotation` turns it clockwise on the
 * page, in degrees.
 */
export interface Fixture {
  id: string;
  type: FixtureType;
  room_id: string;
  position: Point;
  rotation: number;
  width: number;
  depth: number;
}

export interface Stairs {
  id: string;
  polygon: Point[];
  /** The level these stairs lead to. */
  to_level: number;
}

export interface Floor {
  /** 0 is the entrance level; negative levels are below grade. */
  level: number;
  below_grade: boolean;
  /** Ceiling height, for the 3D model. */
  height: number;
  /** The exterior outline; indoor rooms lie inside it, outdoor spaces may lie outside. */
  outline: Point[];
  rooms: Room[];
  walls: Wall[];
  doors: Door[];
  windows: Window[];
  stairs: Stairs[];
  /** Version 2. */
  fixtures?: Fixture[];
}

export interface FloorPlanModel {
  version: 1 | 2;
  floors: Floor[];
}

/** A level as files, the tour and the viewer name it: `floor-1`, `floor-2`, … above grade; `basement-1`, … below. */
export function floorSlug(level: number): string {
  return level < 0 ? `basement-${-level}` : `floor-${level + 1}`;
}

/** Floors from the lowest level up, as every renderer lists them. */
export function floorsInOrder(model: FloorPlanModel): Floor[] {
  return [...model.floors].sort((a, b) => a.level - b.level);
}
