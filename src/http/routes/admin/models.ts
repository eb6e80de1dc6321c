// `POST /admin/v1/orders/{id}/model`: the operator replaces the generated floor-plan model with
// their own (JSON). The shape is checked by the schema, the geometry by the render layer's rules;
// both answer 400 in the validation shape, naming the failing place.
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { ROOM_TYPES } from '../../../render/model.js';
import { StringEnum, standardErrors } from '../../schemas/common.js';

const Coordinate = Type.Number({ minimum: -1000, maximum: 1000 });
const Point = Type.Unsafe<[number, number]>(Type.Array(Coordinate, { minItems: 2, maxItems: 2 }));
const Polygon = Type.Array(Point, { minItems: 3, maxItems: 200 });
const Id = Type.String({ minLength: 1, maxLength: 64 });
const Opening = Type.Object({
  id: Id,
  wall_id: Id,
  offset: Type.Number({ minimum: 0, maximum: 1000 }),
  width: Type.Number({ minimum: 0.2, maximum: 20 }),
});

export const FloorPlanModelBody = Type.Object(
  {
    version: Type.Literal(1),
    floors: Type.Array(
      Type.Object({
        level: Type.Integer({ minimum: -5, maximum: 50 }),
        below_grade: Type.Boolean(),
        height: Type.Number({ minimum: 1.5, maximum: 20 }),
        outline: Polygon,
        rooms: Type.Array(
          Type.Object({ id: Id, type: StringEnum(ROOM_TYPES), name: Type.Optional(Type.String({ maxLength: 100 })), polygon: Polygon }),
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
        doors: Type.Array(Opening, { maxItems: 1000 }),
        windows: Type.Array(Opening, { maxItems: 1000 }),
        stairs: Type.Array(Type.Object({ id: Id, polygon: Polygon, to_level: Type.Integer({ minimum: -5, maximum: 50 }) }), {
          maxItems: 50,
        }),
      }),
      { minItems: 1, maxItems: 10 },
    ),
  },
  { description: 'Floor-plan model: lengths in metres, points as [x, y]' },
);

const UploadedModel = Type.Object({
  order_id: Type.String(),
  model_id: Type.String(),
  source: Type.Literal('uploaded'),
  floors: Type.Integer(),
  rooms: Type.Integer(),
  total_area_m2: Type.Number(),
});

export const adminModelsRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'deliverables'> }> = async (app, { services }) => {
  app.post(
    '/orders/:order_id/model',
    {
      schema: {
        tags: ['Operator'],
        summary: "Upload the order's floor-plan model (used by every later production of its files)",
        description:
          'Replaces the generated model. Rooms must be simple polygons inside the outline that do not overlap; doors and windows must fit on a wall of their floor; stairs must lead to an existing level. Files already delivered are re-rendered at the next delivery (a fix, redelivery or upgrade).',
        params: Type.Object({ order_id: Type.String() }),
        body: FloorPlanModelBody,
        response: { 200: UploadedModel, ...standardErrors },
      },
    },
    async (request) => services.deliverables.uploadModel(request.params.order_id, request.body),
  );
};
