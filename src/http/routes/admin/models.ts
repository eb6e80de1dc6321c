// `POST /admin/v1/orders/{id}/model`: the operator replaces the generated floor-plan model with
// their own (JSON). The shape is checked by the published schema, the geometry by the render layer's rules;
// both answer 400 in the validation shape, naming the failing place.
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { FloorPlanModelSchema, MODEL_SCHEMA_PATH } from '../../../render/model-schema.js';
import { standardErrors } from '../../schemas/common.js';

export const FloorPlanModelBody = FloorPlanModelSchema;

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
        description: `Replaces the generated model. The body follows the floor-plan model JSON Schema published at ${MODEL_SCHEMA_PATH} (version 1 or 2); each fault is answered with its path. Rooms must be simple polygons inside the outline that do not overlap; doors and windows must fit on a wall of their floor; stairs must lead to an existing level. Files already delivered are re-rendered at the next delivery (a fix, redelivery or upgrade).`,
        params: Type.Object({ order_id: Type.String() }),
        body: FloorPlanModelBody,
        response: { 200: UploadedModel, ...standardErrors },
      },
    },
    async (request) => services.deliverables.uploadModel(request.params.order_id, request.body),
  );
};
