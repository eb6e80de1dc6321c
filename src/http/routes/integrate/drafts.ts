import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { Message, standardErrors } from '../../schemas/common.js';
import { DraftBody, Order } from './order-schemas.js';

export const draftsRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'orders'> }> = async (app, { services }) => {
  const { orders } = services;

  app.post(
    '/orders/draft',
    {
      schema: {
        operationId: 'createDraftOrder',
        tags: ['Draft Orders'],
        summary: 'Create a draft order',
        description:
          'A draft assigned to `owner_email` (a user of the company), who scans it in the app. Status Draft; fires `moved_to_draft`.',
        body: DraftBody,
        response: { 200: Order, ...standardErrors },
      },
    },
    async (request) => orders.createDraft({ companyId: request.auth.companyId, userEmail: request.auth.userEmail }, request.body),
  );

  app.patch(
    '/orders/draft/:order_id',
    {
      schema: {
        operationId: 'updateDraftOrder',
        tags: ['Draft Orders'],
        summary: 'Update a draft order',
        description: 'Same body as creation; omitted optional fields keep their value. Only in status Draft (409 otherwise).',
        params: Type.Object({ order_id: Type.String() }),
        body: DraftBody,
        response: { 200: Order, ...standardErrors },
      },
    },
    async (request) =>
      orders.updateDraft({ companyId: request.auth.companyId, userEmail: request.auth.userEmail }, request.params.order_id, request.body),
  );

  app.delete(
    '/orders/draft/:order_id',
    {
      schema: {
        operationId: 'deleteDraftOrder',
        tags: ['Draft Orders'],
        summary: 'Delete a draft order',
        description: 'Only in status Draft (409 otherwise). The order is gone from every read.',
        params: Type.Object({ order_id: Type.String() }),
        response: { 200: Message, ...standardErrors },
      },
    },
    async (request) => orders.deleteDraft(request.auth.companyId, request.params.order_id),
  );
};
