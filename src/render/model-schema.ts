// The JSON shape of a floor-plan model (versions 1 and 2), as one JSON Schema: the upload routes
// validate against it and the server publishes it at MODEL_SCHEMA_PATH, so a drafting team can
// check its files before sending them. The geometry rules beyond the shape are model-validation.ts.
import { Type, type Static } from 'typebox';
import { DOOR_SWINGS, FIXTURE_TYPES, ROOM_TYPES, type FloorPlanModel } from './model.js';

export const MODEL_SCHEMA_PATH = '/schemas/floor-plan-model.json';
export const MODEL_SCHEMA_ID = 'https://casa-integrate.dev/schemas/floor-plan-model/v2';

const stringEnum = <const T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

const Coordinate = Type.Number({ minimum: -1000, maximum: 1000 });
const Point = Type.Unsafe<[number, number]>(Type.Array(Coordinate, { minItems: 2, maxItems: 2, description: '[x, y] in metres, y down' }));
const Polygon = Type.Array(Point, { minItems: 3, maxItems: 200 });
const Id = Type.String({ minLength: 1, maxLength: 64 });
const openingFields = {
  id: Id,
  wall_id: Id,
  offset: Type.Number({ minimum: 0, maximum: 1000, description: "distance from the wall's start to the opening's centre" }),
  width: Type.Number({ minimum: 0.2, maximum: 20 }),
};
const Door = Type.Object({
  ...openingFields,
  room_id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description:
        "version 2: the space the door belongs to (one of the two it joins); unset, the room inside for an exterior wall, else the room on the side of the wall's normal (-dy, dx)",
    }),
  ),
  swing: Type.Optional(
    stringEnum(DOOR_SWINGS, 'version 2: in (into room_id, the default), out, sliding, or none (an opening without a door)'),
  ),
  hinge: Type.Optional(stringEnum(['start', 'end'] as const, "version 2: the end of the opening nearer the wall's start (default) or end")),
});
const Window = Type.Object({
  ...openingFields,
  sill_height: Type.Optional(Type.Number({ minimum: 0, maximum: 20, description: 'version 2: metres above the floor, default 0.9' })),
  head_height: Type.Optional(Type.Number({ minimum: 0.1, maximum: 20, description: 'version 2: metres above the floor, default 2.1' })),
});
const Fixture = Type.Object({
  id: Id,
  type: stringEnum(FIXTURE_TYPES),
  room_id: Id,
  position: Point,
  rotation: Type.Number({ minimum: -360, maximum: 360, description: 'degrees clockwise; at 0 the back faces -y' }),
  width: Type.Number({ minimum: 0.1, maximum: 20 }),
  depth: Type.Number({ minimum: 0.1, maximum: 20 }),
});

export const FloorPlanModelSchema = Type.Object(
  {
    version: Type.Unsafe<1 | 2>({
      type: 'integer',
      enum: [1, 2],
      description: '2 adds fixtures, door swings, window heights, outdoor spaces',
    }),
    floors: Type.Array(
      Type.Object({
        level: Type.Integer({ minimum: -5, maximum: 50 }),
        below_grade: Type.Boolean(),
        height: Type.Number({ minimum: 1.5, maximum: 20 }),
        outline: Polygon,
        rooms: Type.Array(
          Type.Object({
            id: Id,
            type: stringEnum(ROOM_TYPES, 'balcony, terrace and porch (version 2) are outdoor: drawn, not counted in any area'),
            name: Type.Optional(Type.String({ maxLength: 100 })),
            polygon: Polygon,
          }),
          { minItems: 1, maxItems: 300 },
        ),
        walls: Type.Array(
          Type.Object({
            id: Id,
            start: Point,
            end: Point,
            thickness: Type.Number({ minimum: 0.01, maximum: 2 }),
            exterior: Type.Boolean(),
          }),
          { maxItems: 3000 },
        ),
        doors: Type.Array(Door, { maxItems: 1000 }),
        windows: Type.Array(Window, { maxItems: 1000 }),
        stairs: Type.Array(Type.Object({ id: Id, polygon: Polygon, to_level: Type.Integer({ minimum: -5, maximum: 50 }) }), {
          maxItems: 50,
        }),
        fixtures: Type.Optional(Type.Array(Fixture, { maxItems: 2000, description: 'version 2' })),
      }),
      { minItems: 1, maxItems: 10 },
    ),
  },
  { description: 'Floor-plan model: lengths in metres, points as [x, y]' },
);

// The schema types the body as the model itself; checked here once so the two cannot drift.
type Shape = Static<typeof FloorPlanModelSchema>;
export const shapeIsModel = (shape: Shape): FloorPlanModel => shape;

/** The published document: the same schema with its draft and id, as a standalone JSON Schema. */
export function publishedModelSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: MODEL_SCHEMA_ID,
    title: 'casa-integrate floor-plan model',
    ...JSON.parse(JSON.stringify(FloorPlanModelSchema)),
  };
}
