import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { PaginatedOf, PaginationQuery, standardErrors } from '../../schemas/common.js';
import { sendSerializedOnce } from '../../serialize-once.js';
import { ListOrdersQuery, Order, OrderListItem, PostPurchaseBody, RedeliverBody, RedrawBody } from './order-schemas.js';

const caller = (auth: { companyId: string; userEmail: string | null }) => ({ companyId: auth.companyId, userEmail: auth.userEmail });

export const ordersRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'orders'> }> = async (app, { services }) => {
  const { orders } = services;

  app.get(
    '/orders',
    {
      schema: {
        operationId: 'listOrders',
        tags: ['Orders'],
        summary: 'List orders',
        description: 'Newest first. `status` repeats for several values. Items omit `delivery_assets`.',
        querystring: Type.Object({ ...PaginationQuery, ...ListOrdersQuery }),
        response: { 200: PaginatedOf(OrderListItem), ...standardErrors },
      },
    },
    async (request, reply) => {
      const { limit = 20, offset = 0, ...filter } = request.query;
      return sendSerializedOnce(reply, await orders.list(request.auth.companyId, filter, { limit, offset }));
    },
  );

  app.get(
    '/orders/:id',
    {
      schema: {
        operationId: 'getOrder',
        tags: ['Orders'],
        summary: 'Get order by ID',
        params: Type.Object({ id: Type.String() }),
        response: { 200: Order, ...standardErrors },
      },
    },
    async (request) => orders.get(request.auth.companyId, request.params.id),
  );

  app.post(
    '/orders',
    {
      schema: {
        operationId: 'createRedrawOrder',
        tags: ['Orders'],
        summary: 'Create a redraw order',
        description: 'A floor plan drawn from an existing drawing (`source`). The order is created New and moves to Pending at once.',
        body: RedrawBody,
        response: { 200: Order, ...standardErrors },
      },
    },
    async (request) => orders.createRedraw(caller(request.auth), request.body),
  );

  app.post(
    '/orders/:order_id/post-purchase',
    {
      schema: {
        operationId: 'postPurchaseOrder',
        tags: ['Orders'],
        summary: 'Upgrade order',
        description:
          'Buys a higher package and/or add-ons. On a Ready order the new products are delivered later (`delivery_type` `update`).',
        params: Type.Object({ order_id: Type.String() }),
        body: PostPurchaseBody,
        response: { 200: Order, ...standardErrors },
      },
    },
    async (request) => orders.postPurchase(request.auth.companyId, request.params.order_id, request.body),
  );

  app.post(
    '/orders/:order_id/redeliver',
    {
      schema: {
        operationId: 'redeliverOrder',
        tags: ['Orders'],
        summary: 'Re-deliver order with styling options',
        description: 'Only on Ready orders. The 2D products are produced again with the new style and delivered as an `update`.',
        params: Type.Object({ order_id: Type.String() }),
        body: RedeliverBody,
        response: { 200: Order, ...standardErrors },
      },
    },
    async (request) => orders.redeliver(request.auth.companyId, request.params.order_id, request.body),
  );

  app.get(
    '/orders/:order_id/combined-pdf',
    {
      schema: {
        operationId: 'getCombinedPdf',
        tags: ['Orders'],
        summary: 'Get combined PDF document',
        description: 'Every 2D floor plan page, then the reports bought, as one PDF. 409 until the order is delivered.',
        params: Type.Object({ order_id: Type.String() }),
        response: {
          200: { description: 'The PDF document', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } },
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const { order, pdf } = await orders.combinedPdf(request.auth.companyId, request.params.order_id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="order-${order.id}.pdf"`)
        .send(pdf as never);
    },
  );
};
