import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { EpochSeconds, HttpUrl, Nullable, PaginatedOf, PaginationQuery, StringEnum, standardErrors } from '../../schemas/common.js';

const PRODUCT_TYPES = ['products_2d', 'products_3d', 'tour'] as const;

export const ChangeRequest = Type.Object({
  id: Type.String({ format: 'uuid' }),
  order_id: Type.String({ format: 'uuid' }),
  status: StringEnum(['Open', 'Done'] as const),
  message: Type.String(),
  product_type: StringEnum(PRODUCT_TYPES),
  attachment_urls: Type.Array(Type.String()),
  created_by: Type.String(),
  created_at: EpochSeconds,
  resolved_at: Nullable(EpochSeconds),
});

const CreateBody = Type.Object({
  message: Type.String({ minLength: 1, maxLength: 5000 }),
  product_type: Type.Optional(StringEnum(PRODUCT_TYPES)),
  attachment_urls: Type.Optional(Type.Array(HttpUrl, { maxItems: 10 })),
});

export const changeRequestsRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'changeRequests'> }> = async (
  app,
  { services },
) => {
  const { changeRequests } = services;

  app.post(
    '/orders/:order_id/change-requests',
    {
      schema: {
        operationId: 'createChangeRequest',
        tags: ['Change Request'],
        summary: 'Add new change request for an order',
        description:
          'Only on Ready orders (409 otherwise). The order moves to Fixing; when the fix is delivered the request is Done and the order Ready.',
        params: Type.Object({ order_id: Type.String() }),
        body: CreateBody,
        response: { 200: ChangeRequest, ...standardErrors },
      },
    },
    async (request) =>
      changeRequests.create(
        { companyId: request.auth.companyId, userEmail: request.auth.userEmail },
        request.params.order_id,
        request.body,
      ),
  );

  app.get(
    '/orders/:order_id/change-requests',
    {
      schema: {
        operationId: 'listChangeRequests',
        tags: ['Change Request'],
        summary: 'List all change requests of order',
        params: Type.Object({ order_id: Type.String() }),
        querystring: Type.Object(PaginationQuery),
        response: { 200: PaginatedOf(ChangeRequest), ...standardErrors },
      },
    },
    async (request) =>
      changeRequests.list(request.auth.companyId, request.params.order_id, {
        limit: request.query.limit ?? 20,
        offset: request.query.offset ?? 0,
      }),
  );

  app.get(
    '/orders/:order_id/change-requests/:change_request_id',
    {
      schema: {
        operationId: 'getChangeRequest',
        tags: ['Change Request'],
        summary: 'Get change request by ID',
        params: Type.Object({ order_id: Type.String(), change_request_id: Type.String() }),
        response: { 200: ChangeRequest, ...standardErrors },
      },
    },
    async (request) => changeRequests.get(request.auth.companyId, request.params.order_id, request.params.change_request_id),
  );
};
