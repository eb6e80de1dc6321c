import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { EpochSeconds, PaginatedOf, PaginationQuery, standardErrors } from '../../schemas/common.js';

export const Office = Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String(), created_at: EpochSeconds });

export const officesRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'offices'> }> = async (app, { services }) => {
  app.get(
    '/offices',
    {
      schema: {
        operationId: 'listOffices',
        tags: ['Office'],
        summary: 'List all offices',
        querystring: Type.Object(PaginationQuery),
        response: { 200: PaginatedOf(Office), ...standardErrors },
      },
    },
    async (request) =>
      services.offices.list(request.auth.companyId, { limit: request.query.limit ?? 20, offset: request.query.offset ?? 0 }),
  );

  app.post(
    '/offices',
    {
      schema: {
        operationId: 'createOffice',
        tags: ['Office'],
        summary: 'Add new office',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Office, ...standardErrors },
      },
    },
    async (request) => services.offices.create(request.auth.companyId, request.body.name),
  );
};
