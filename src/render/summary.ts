// The numbers every report prints, computed once from the model: areas per room and floor, gross
// living area (floors above grade), counts of rooms, bedrooms and bathrooms.
import { boundingBox, polygonArea } from './geometry.js';
import { floorsInOrder, isOutdoor, type FloorPlanModel, type RoomType } from './model.js';
import type { DrawOptions } from './style.js';

export interface PropertyInfo {
  orderId: string;
  modelId: string;
  /** One-line address shown on reports. */
  address: string;
}

/** Everything a deliverable is rendered from. */
export interface RenderInput {
  model: FloorPlanModel;
  opts: DrawOptions;
  property: PropertyInfo;
}

export interface RoomFacts {
  id: string;
  type: RoomType;
  name?: string;
  areaM2: number;
  widthM: number;
  depthM: number;
  /** A balcony, terrace or porch: listed, not counted in any area. */
  outdoor: boolean;
}

export interface FloorFacts {
  level: number;
  belowGrade: boolean;
  /** Indoor rooms only. */
  areaM2: number;
  outdoorM2: number;
  rooms: RoomFacts[];
}

export interface ModelSummary {
  floors: FloorFacts[];
  totalM2: number;
  glaM2: number;
  belowGradeM2: number;
  outdoorM2: number;
  rooms: number;
  bedrooms: number;
  bathrooms: number;
}

const NOT_COUNTED_AS_ROOMS: RoomType[] = ['hallway', 'entrance', 'closet', 'storage', 'utility'];

export function summarize(model: FloorPlanModel): ModelSummary {
  const floors = floorsInOrder(model).map((f): FloorFacts => {
    const rooms = f.rooms.map((r): RoomFacts => {
      const box = boundingBox(r.polygon);
      return {
        id: r.id,
        type: r.type,
        ...(r.name ? { name: r.name } : {}),
        areaM2: polygonArea(r.polygon),
        widthM: box.maxX - box.minX,
        depthM: box.maxY - box.minY,
        outdoor: isOutdoor(r.type),
      };
    });
    const sum = (list: RoomFacts[]) => list.reduce((s, r) => s + r.areaM2, 0);
    return {
      level: f.level,
      belowGrade: f.below_grade,
      areaM2: sum(rooms.filter((r) => !r.outdoor)),
      outdoorM2: sum(rooms.filter((r) => r.outdoor)),
      rooms,
    };
  });
  const all = floors.flatMap((f) => f.rooms);
  return {
    floors,
    totalM2: floors.reduce((s, f) => s + f.areaM2, 0),
    glaM2: floors.filter((f) => !f.belowGrade).reduce((s, f) => s + f.areaM2, 0),
    belowGradeM2: floors.filter((f) => f.belowGrade).reduce((s, f) => s + f.areaM2, 0),
    outdoorM2: floors.reduce((s, f) => s + f.outdoorM2, 0),
    rooms: all.filter((r) => !r.outdoor && !NOT_COUNTED_AS_ROOMS.includes(r.type)).length,
    bedrooms: all.filter((r) => r.type === 'bedroom').length,
    bathrooms: all.filter((r) => r.type === 'bathroom').length,
  };
}
