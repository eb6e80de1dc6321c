// The floor-plan model every deliverable is rendered from: floors of rooms (polygons), walls with
// thickness, doors and windows placed on walls, and stairs. Lengths are metres; points are [x, y]
// in a floor's own plane (y grows "down" the page, as in SVG).
export type Point = [number, number];

export const ROOM_TYPES = [
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
export type RoomType = (typeof ROOM_TYPES)[number];

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
  /** The exterior outline; rooms lie inside it. */
  outline: Point[];
  rooms: Room[];
  walls: Wall[];
  doors: Opening[];
  windows: Opening[];
  stairs: Stairs[];
}

export interface FloorPlanModel {
  version: 1;
  floors: Floor[];
}

/** Floors from the lowest level up, as every renderer lists them. */
export function floorsInOrder(model: FloorPlanModel): Floor[] {
  return [...model.floors].sort((a, b) => a.level - b.level);
}
