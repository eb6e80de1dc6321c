// Property data: the machine-readable rooms, areas and floors of the model, each room's fixtures
// and each floor's doors with the two spaces they join (so a client can walk the home's layout),
// with its JSON Schema (published at PROPERTY_DATA_SCHEMA_PATH).
import { round } from './geometry.js';
import { floorName, roomLabel } from './labels.js';
import { DOOR_SWINGS, FIXTURE_TYPES, ROOM_TYPES, floorsInOrder } from './model.js';
import { EXTERIOR, placedDoors } from './openings.js';
import { summarize, type RenderInput } from './summary.js';
import { squareFeet } from './units.js';

export const PROPERTY_DATA_SCHEMA_ID = 'https://casa-integrate.dev/schemas/property-data/v2';
export const PROPERTY_DATA_SCHEMA_PATH = '/schemas/property-data.json';

const area = { type: 'number', minimum: 0 } as const;
const point = { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } as const;

/** JSON Schema (draft 2020-12) of the property data file. */
export const PROPERTY_DATA_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: PROPERTY_DATA_SCHEMA_ID,
  type: 'object',
  additionalProperties: false,
  required: ['$schema', 'order_id', 'model_id', 'address', 'units', 'totals', 'floors'],
  properties: {
    $schema: { const: PROPERTY_DATA_SCHEMA_ID },
    order_id: { type: 'string' },
    model_id: { type: 'string' },
    address: { type: 'string' },
    units: {
      type: 'object',
      additionalProperties: false,
      required: ['length', 'area'],
      properties: { length: { const: 'm' }, area: { const: 'm2, sqft' } },
    },
    totals: {
      type: 'object',
      additionalProperties: false,
      required: ['area_m2', 'area_sqft', 'gla_m2', 'gla_sqft', 'outdoor_m2', 'outdoor_sqft', 'floors', 'rooms', 'bedrooms', 'bathrooms'],
      properties: {
        area_m2: area,
        area_sqft: area,
        gla_m2: area,
        gla_sqft: area,
        outdoor_m2: area,
        outdoor_sqft: area,
        floors: { type: 'integer', minimum: 1 },
        rooms: { type: 'integer', minimum: 0 },
        bedrooms: { type: 'integer', minimum: 0 },
        bathrooms: { type: 'integer', minimum: 0 },
      },
    },
    floors: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['level', 'name', 'below_grade', 'area_m2', 'area_sqft', 'rooms', 'doors'],
        properties: {
          level: { type: 'integer' },
          name: { type: 'string' },
          below_grade: { type: 'boolean' },
          area_m2: { ...area, description: 'indoor rooms only' },
          area_sqft: area,
          rooms: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'type', 'label', 'outdoor', 'area_m2', 'area_sqft', 'width_m', 'depth_m', 'polygon', 'fixtures'],
              properties: {
                id: { type: 'string' },
                type: { enum: [...ROOM_TYPES] },
                label: { type: 'string' },
                outdoor: { type: 'boolean', description: 'a balcony, terrace or porch: not counted in any area' },
                area_m2: area,
                area_sqft: area,
                width_m: area,
                depth_m: area,
                polygon: { type: 'array', minItems: 3, items: point },
                fixtures: {
                  type: 'array',
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['id', 'type', 'position', 'rotation', 'width_m', 'depth_m'],
                    properties: {
                      id: { type: 'string' },
                      type: { enum: [...FIXTURE_TYPES] },
                      position: point,
                      rotation: { type: 'number' },
                      width_m: area,
                      depth_m: area,
                    },
                  },
                },
              },
            },
          },
          doors: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'joins', 'swing', 'width_m', 'position'],
              properties: {
                id: { type: 'string' },
                joins: {
                  type: 'array',
                  minItems: 2,
                  maxItems: 2,
                  items: { type: 'string' },
                  description: `the two spaces the door joins: room ids, or "${EXTERIOR}"`,
                },
                swing: { enum: [...DOOR_SWINGS] },
                width_m: area,
                position: { ...point, description: "the opening's centre" },
              },
            },
          },
        },
      },
    },
  },
} as const;

export function propertyData(input: RenderInput) {
  const s = summarize(input.model);
  const lang = input.opts.language;
  const floors = new Map(floorsInOrder(input.model).map((f) => [f.level, f]));
  return {
    $schema: PROPERTY_DATA_SCHEMA_ID,
    order_id: input.property.orderId,
    model_id: input.property.modelId,
    address: input.property.address,
    units: { length: 'm', area: 'm2, sqft' },
    totals: {
      area_m2: round(s.totalM2),
      area_sqft: round(squareFeet(s.totalM2)),
      gla_m2: round(s.glaM2),
      gla_sqft: round(squareFeet(s.glaM2)),
      outdoor_m2: round(s.outdoorM2),
      outdoor_sqft: round(squareFeet(s.outdoorM2)),
      floors: s.floors.length,
      rooms: s.rooms,
      bedrooms: s.bedrooms,
      bathrooms: s.bathrooms,
    },
    floors: s.floors.map((f) => {
      const floor = floors.get(f.level)!;
      const fixtures = floor.fixtures ?? [];
      return {
        level: f.level,
        name: floorName(f.level, lang),
        below_grade: f.belowGrade,
        area_m2: round(f.areaM2),
        area_sqft: round(squareFeet(f.areaM2)),
        rooms: f.rooms.map((r) => ({
          id: r.id,
          type: r.type,
          label: roomLabel(r, lang),
          outdoor: r.outdoor,
          area_m2: round(r.areaM2),
          area_sqft: round(squareFeet(r.areaM2)),
          width_m: round(r.widthM, 3),
          depth_m: round(r.depthM, 3),
          polygon: floor.rooms.find((x) => x.id === r.id)!.polygon,
          fixtures: fixtures
            .filter((x) => x.room_id === r.id)
            .map((x) => ({
              id: x.id,
              type: x.type,
              position: x.position,
              rotation: x.rotation,
              width_m: x.width,
              depth_m: x.depth,
            })),
        })),
        doors: placedDoors(floor).map((d) => ({
          id: d.door.id,
          joins: d.joins,
          swing: d.swing,
          width_m: d.door.width,
          position: [round((d.hinge[0] + d.jamb[0]) / 2, 3), round((d.hinge[1] + d.jamb[1]) / 2, 3)] as [number, number],
        })),
      };
    }),
  };
}

export function propertyDataJson(input: RenderInput): Buffer {
  return Buffer.from(`${JSON.stringify(propertyData(input), null, 2)}\n`);
}
