// Operator API for a company's request log (issue 19): every customer API request, newest first.
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { FAULT_METHODS } from '../../../domain/sandbox-settings.js';
import { EpochSeconds, Nullable, PaginatedOf, PaginationQuery, StringEnum, standardErrors } from '../../schemas/common.js';

export const LoggedRequest = Type.Object({
  id: Type.String({ format: 'uuid' }),
  at: EpochSeconds,
  method: Type.String(),
  path: Type.String({ description: 'After /api/integrate/v3, without the query' }),
  query: Nullable(Type.String({ description: 'The query string without `?`; credential-like values redacted' })),
  operation_id: Nullable(Type.String({ description: "The operation's OpenAPI operationId" })),
  status: Nullable(Type.Integer({ description: 'Null: the connection was closed unanswered (a sandbox hang_s rule)' })),
  duration_ms: Type.Number(),
  request_id: Type.String({ description: 'The `x-request-id` of the answer' }),
  idempotency_key: Nullable(Type.String()),
  injected_rule: Nullable(Type.String({ description: 'The sandbox fault rules applied, comma-separated' })),
});

const LoggedRequestDetail = Type.Object({
  ...LoggedRequest.properties,
  request_body: Nullable(Type.String({ description: 'The JSON body sent, redacted, at most 16 KiB' })),
  request_truncated: Type.Boolean(),
  response_body: Nullable(Type.String({ description: 'The body answered, redacted, at most 16 KiB' })),
  response_truncated: Type.Boolean(),
});

export const RequestLogQuery = Type.Object({
  ...PaginationQuery,
  status: Type.Optional(Type.String({ pattern: '^([1-5][0-9][0-9]|[1-5]xx)$', description: 'A status (`503`) or a class (`5xx`)' })),
  method: Type.Optional(StringEnum(FAULT_METHODS)),
  path: Type.Optional(
    Type.String({ pattern: '^/', maxLength: 300, description: 'A path after /api/integrate/v3; takes the paths below it too' }),
  ),
  since: Type.Optional(Type.Number({ minimum: 0, description: 'Unix epoch seconds: requests that arrived at or after it' })),
  request_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
});

const CompanyParams = Type.Object({ company_id: Type.String() });

export const adminRequestLogRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'requestLog'> }> = async (app, { services }) => {
  app.get(
    '/companies/:company_id/requests',
    {
      schema: {
        tags: ['Sandbox'],
        operationId: 'listCompanyRequests',
        summary: "A company's request log: every customer API request, newest first",
        description:
          'Kept for CASA_REQUEST_LOG_RETENTION_DAYS (7) and up to CASA_REQUEST_LOG_MAX_ROWS per company; ' +
          'written within about 100 ms of the answer. Bodies are in GET …/requests/{id}.',
        params: CompanyParams,
        querystring: RequestLogQuery,
        response: { 200: PaginatedOf(LoggedRequest), ...standardErrors },
      },
    },
    async (request) => {
      const q = request.query;
      return services.requestLog.list(
        request.params.company_id,
        { limit: q.limit ?? 20, offset: q.offset ?? 0 },
        {
          status: q.status,
          method: q.method,
          path: q.path,
          sinceUs: q.since === undefined ? undefined : Math.round(q.since * 1e6),
          requestId: q.request_id,
        },
      );
    },
  );

  app.get(
    '/companies/:company_id/requests/:request_log_id',
    {
      schema: {
        tags: ['Sandbox'],
        operationId: 'getCompanyRequest',
        summary: 'One logged request with its request and response bodies (redacted)',
        params: Type.Object({ company_id: Type.String(), request_log_id: Type.String() }),
        response: { 200: LoggedRequestDetail, ...standardErrors },
      },
    },
    async (request) => services.requestLog.get(request.params.company_id, request.params.request_log_id),
  );
};
