import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { EpochSeconds, Nullable, PaginatedOf, PaginationQuery, StringEnum, standardErrors } from '../../schemas/common.js';

const STATUSES = ['pending', 'approved'] as const;

const MergeRequest = Type.Object({
  id: Type.String({ format: 'uuid' }),
  company_id: Type.String({ format: 'uuid' }),
  target_company_id: Type.String({ format: 'uuid' }),
  target_email: Type.String(),
  status: StringEnum(STATUSES),
  created_at: EpochSeconds,
  approved_at: Nullable(EpochSeconds),
});

const ApprovedMergeRequest = Type.Object({
  ...MergeRequest.properties,
  moved: Type.Object({ offices: Type.Integer(), users: Type.Integer(), orders: Type.Integer() }),
});

export const adminMergeRequestsRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'mergeRequests'> }> = async (
  app,
  { services },
) => {
  app.get(
    '/merge-requests',
    {
      schema: {
        tags: ['Operator'],
        summary: 'List merge requests',
        querystring: Type.Object({ ...PaginationQuery, status: Type.Optional(StringEnum(STATUSES)) }),
        response: { 200: PaginatedOf(MergeRequest), ...standardErrors },
      },
    },
    async (request) =>
      services.mergeRequests.list({ limit: request.query.limit ?? 20, offset: request.query.offset ?? 0 }, request.query.status),
  );

  app.post(
    '/merge-requests/:merge_request_id/approve',
    {
      schema: {
        tags: ['Operator'],
        summary: 'Approve a merge request',
        description:
          'Moves every office, user, order and the webhook settings of the requesting company into the target company ' +
          "in one transaction, revokes the requesting company's keys and marks it merged.",
        params: Type.Object({ merge_request_id: Type.String() }),
        response: { 200: ApprovedMergeRequest, ...standardErrors },
      },
    },
    async (request) => services.mergeRequests.approve(request.params.merge_request_id),
  );
};
