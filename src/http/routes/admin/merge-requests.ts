import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { EpochSeconds, Nullable, PaginatedOf, PaginationQuery, StringEnum, standardErrors } from '../../schemas/common.js';
import { MERGE_WEBHOOK_CHOICES } from '../../../domain/merge-webhooks.js';

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

const MergeRequestListItem = Type.Object({
  ...MergeRequest.properties,
  requester_webhook_urls: Type.Array(Type.String(), {
    description:
      "The requesting company's webhook URLs now: what approving with `webhooks: add_source` would add. Empty once approved (taken or dropped).",
  }),
});

const WebhookChoice = StringEnum(MERGE_WEBHOOK_CHOICES, {
  description:
    "`keep_target` (the default): the target keeps exactly its own webhook URLs, triggers and secret; the requester's deliveries " +
    "still waiting are cancelled. `add_source`: the requester's URLs and triggers are added to the target's (at most 10 URLs) and its " +
    "waiting deliveries to those URLs are sent, signed with the target's secret.",
});

export const ApproveMergeBody = Type.Object({ webhooks: Type.Optional(WebhookChoice) });

const ApprovedMergeRequest = Type.Object({
  ...MergeRequest.properties,
  moved: Type.Object({ offices: Type.Integer(), users: Type.Integer(), orders: Type.Integer() }),
  webhooks: Type.Object(
    {
      choice: WebhookChoice,
      added_urls: Type.Array(Type.String(), { description: "The requester's URLs the target did not list and now does" }),
      added_triggers: Type.Array(Type.String(), { description: "The requester's triggers the target did not subscribe to and now does" }),
      dropped_urls: Type.Array(Type.String(), {
        description: "The requester's URLs the target does not list: they get none of its events",
      }),
      cancelled_deliveries: Type.Integer({ description: "The requester's waiting deliveries cancelled rather than sent" }),
    },
    { description: 'What the merge did to the webhook settings; the same is emailed to the target’s Managers' },
  ),
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
        response: { 200: PaginatedOf(MergeRequestListItem), ...standardErrors },
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
          'Moves every office, user and order (with its events, change requests and webhook delivery log) of the requesting ' +
          "company into the target company in one transaction, revokes the requesting company's keys and marks it merged. " +
          'The target keeps its own webhook settings unless the body says `{"webhooks": "add_source"}` (see `requester_webhook_urls` ' +
          "in the list); the target's Managers are emailed what was moved and what happened to the webhooks.",
        params: Type.Object({ merge_request_id: Type.String() }),
        body: Type.Optional(ApproveMergeBody),
        response: { 200: ApprovedMergeRequest, ...standardErrors },
      },
    },
    async (request) => services.mergeRequests.approve(request.params.merge_request_id, request.body ?? {}),
  );
};
