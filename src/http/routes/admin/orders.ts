// Operator controls over any order, so tests and integrators drive the lifecycle deterministically.
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { EpochSeconds, Nullable, standardErrors } from '../../schemas/common.js';
import { Order } from '../integrate/order-schemas.js';

const AdminOrder = Type.Object({
  order: Order,
  company_id: Type.String(),
  production: Type.Object({
    held: Type.Boolean(),
    due_at: Nullable(EpochSeconds),
    pending_delivery_type: Nullable(Type.String()),
    pending_products: Type.Array(Type.String()),
    delivered_products: Type.Array(Type.String()),
    attempts: Type.Integer(),
  }),
  events: Type.Array(
    Type.Object({
      id: Type.String(),
      trigger: Type.String(),
      current_status: Type.String(),
      previous_status: Nullable(Type.String()),
      model_id: Type.String(),
      product_type: Type.String(),
      delivery_type: Type.String(),
      created_at: EpochSeconds,
    }),
  ),
});

const Params = Type.Object({ order_id: Type.String() });
const response = { 200: AdminOrder, ...standardErrors };

export const adminOrdersRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'orderOperator'> }> = async (app, { services }) => {
  const ops = services.orderOperator;

  app.get(
    '/orders/:order_id',
    { schema: { tags: ['Operator'], summary: 'Any order, with its production state and its events', params: Params, response } },
    async (request) => ops.get(request.params.order_id),
  );

  app.post(
    '/orders/:order_id/scan',
    {
      schema: {
        tags: ['Operator'],
        summary: 'Upload a scan: New/Draft → Pending',
        description: 'Without `total_scanned_area` a plausible area is derived from the order id.',
        params: Params,
        body: Type.Optional(Type.Object({ total_scanned_area: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })) })),
        response,
      },
    },
    async (request) => ops.scan(request.params.order_id, request.body ?? {}),
  );

  app.post(
    '/orders/:order_id/deliver',
    {
      schema: {
        tags: ['Operator'],
        summary: 'Deliver now: Pending/Fixing → Ready (or a waiting update of a Ready order)',
        description: 'Runs production at once, whether due or held. Orders with `cctest` in the address: 409.',
        params: Params,
        response,
      },
    },
    async (request) => ops.deliver(request.params.order_id),
  );

  app.post(
    '/orders/:order_id/fail',
    { schema: { tags: ['Operator'], summary: 'Fail the order: → Failed (`moved_to_failed`)', params: Params, response } },
    async (request) => ops.fail(request.params.order_id),
  );

  app.post(
    '/orders/:order_id/hold',
    {
      schema: {
        tags: ['Operator'],
        summary: 'Hold automatic production of the order',
        description: 'The status does not change and no webhook is sent; production skips the order until `unhold`. `deliver` still works.',
        params: Params,
        response,
      },
    },
    async (request) => ops.hold(request.params.order_id, true),
  );

  app.post(
    '/orders/:order_id/unhold',
    {
      schema: {
        tags: ['Operator'],
        summary: 'Release a hold: production takes the order when it is due',
        params: Params,
        response,
      },
    },
    async (request) => ops.hold(request.params.order_id, false),
  );
};
