import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { CUSTOMER_TYPES } from '../../../domain/catalog.js';
import { Message, PaginatedOf, PaginationQuery, StringEnum, standardErrors } from '../../schemas/common.js';
import { Company } from '../integrate/companies.js';
import { User } from '../integrate/user-schemas.js';

export const CreateCompanyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  manager_email: Type.String({ format: 'email', maxLength: 254 }),
  manager_password: Type.Optional(Type.String({ minLength: 8, maxLength: 128 })),
  country: Type.Optional(Type.String({ maxLength: 100 })),
  customer_type: Type.Optional(StringEnum(CUSTOMER_TYPES)),
});

const ApiKey = Type.Object({
  id: Type.String({ format: 'uuid' }),
  prefix: Type.String(),
  user_id: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.Number(),
  revoked_at: Type.Union([Type.Number(), Type.Null()]),
});

export const adminCompaniesRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'company' | 'apiKeys'> }> = async (
  app,
  { services },
) => {
  app.post(
    '/companies',
    {
      schema: {
        tags: ['Operator'],
        summary: 'Create a company with its first Manager and an api key (shown once)',
        body: CreateCompanyBody,
        response: {
          201: Type.Object({ company: Company, manager: User, api_key: Type.String(), api_key_id: Type.String() }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => reply.code(201).send(await services.company.create(request.body)),
  );

  app.get(
    '/companies',
    {
      schema: {
        tags: ['Operator'],
        summary: 'List companies',
        querystring: Type.Object({ ...PaginationQuery, search: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: PaginatedOf(Company), ...standardErrors },
      },
    },
    async (request) => services.company.list({ limit: request.query.limit ?? 20, offset: request.query.offset ?? 0 }, request.query.search),
  );

  app.get(
    '/companies/:company_id/api-keys',
    {
      schema: {
        tags: ['Operator'],
        summary: "List a company's api keys (hashes are never shown)",
        params: Type.Object({ company_id: Type.String() }),
        response: { 200: Type.Object({ items: Type.Array(ApiKey) }), ...standardErrors },
      },
    },
    async (request) => {
      await services.company.info(request.params.company_id);
      return { items: await services.apiKeys.list(request.params.company_id) };
    },
  );

  app.post(
    '/companies/:company_id/api-keys',
    {
      schema: {
        tags: ['Operator'],
        summary: 'Create an api key for a company (shown once)',
        params: Type.Object({ company_id: Type.String() }),
        response: {
          201: Type.Object({ id: Type.String(), api_key: Type.String(), prefix: Type.String(), created_at: Type.Number() }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => reply.code(201).send(await services.company.issueKey(request.params.company_id)),
  );

  app.delete(
    '/api-keys/:key_id',
    {
      schema: {
        tags: ['Operator'],
        summary: 'Revoke an api key',
        params: Type.Object({ key_id: Type.String() }),
        response: { 200: Message, ...standardErrors },
      },
    },
    async (request) => {
      await services.apiKeys.revoke(request.params.key_id);
      return { message: 'API key was revoked.' };
    },
  );
};
