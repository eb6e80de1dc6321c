// Operator API for webhooks: the delivery log with every attempt, replays, and company secrets.
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { DELIVERY_STATUSES } from '../../../services/webhooks/delivery-status.js';
import { EpochSeconds, Nullable, PaginatedOf, PaginationQuery, StringEnum, standardErrors } from '../../schemas/common.js';

const WebhookAttempt = Type.Object({
  attempted_at: EpochSeconds,
  url: Type.String(),
  request_headers: Type.Record(Type.String(), Type.String(), { description: 'Exactly the headers this attempt sent' }),
  status_code: Nullable(Type.Integer()),
  error: Nullable(Type.String({ description: 'Network error, timeout, or refusal by the private-address guard' })),
  latency_ms: Type.Number(),
  response_excerpt: Nullable(Type.String({ description: 'The first 1 KiB of the answer' })),
  chaos: Nullable(
    Type.String({
      description:
        'Sandbox chaos this attempt carried out, comma-separated: fail_first (failed on purpose, not sent), duplicate, delayed, reordered',
    }),
  ),
});

const DeliveryChaos = Type.Object(
  {
    delay_s: Type.Optional(Type.Number({ description: 'The first attempt was pushed back this long' })),
    fail_first: Type.Optional(Type.Boolean({ description: 'The first attempt fails on purpose (unsent); retries follow the schedule' })),
    fail_first_done: Type.Optional(Type.Boolean()),
    duplicate_after_s: Type.Optional(
      Type.Number({ description: 'Once through, the delivery is sent once more (same webhook-id and body) this long after' }),
    ),
    duplicate_pending: Type.Optional(Type.Boolean({ description: 'The duplicate copy waits to be sent' })),
    duplicate_sent: Type.Optional(Type.Boolean()),
    reorder: Type.Optional(Type.Boolean({ description: 'Held back so that a later event of its order arrives first' })),
  },
  { description: "The company's sandbox webhook chaos planned for this delivery when it was queued" },
);

export const WebhookDelivery = Type.Object({
  id: Type.String({ format: 'uuid' }),
  webhook_id: Type.String({ description: 'The Standard Webhooks `webhook-id`: the order event id, the same on every retry' }),
  order_id: Type.String(),
  company_id: Type.String(),
  trigger: Type.String(),
  url: Type.String(),
  status: StringEnum(DELIVERY_STATUSES),
  body: Type.String({ description: 'The exact body sent' }),
  attempt_count: Type.Integer(),
  next_attempt_at: Nullable(EpochSeconds),
  last_status_code: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
  created_at: EpochSeconds,
  completed_at: Nullable(EpochSeconds),
  chaos: Nullable(DeliveryChaos),
  attempts: Type.Array(WebhookAttempt),
});

const WebhookSecret = Type.Object({
  secret: Type.String({ description: 'whsec_… (Standard Webhooks)' }),
  previous_secret: Nullable(Type.String({ description: 'Still signing beside the new secret until previous_secret_expires_at' })),
  previous_secret_expires_at: Nullable(EpochSeconds),
  created_at: EpochSeconds,
  rotated_at: Nullable(EpochSeconds),
});

export const adminWebhooksRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'webhooks'> }> = async (app, { services }) => {
  app.get(
    '/webhook-deliveries',
    {
      schema: {
        tags: ['Operator'],
        summary: 'List webhook deliveries with their attempts, newest first',
        querystring: Type.Object({
          ...PaginationQuery,
          order_id: Type.Optional(Type.String({ maxLength: 100 })),
          company_id: Type.Optional(Type.String({ maxLength: 100 })),
          status: Type.Optional(StringEnum(DELIVERY_STATUSES)),
        }),
        response: { 200: PaginatedOf(WebhookDelivery), ...standardErrors },
      },
    },
    async (request) => {
      const q = request.query;
      return services.webhooks.listDeliveries(
        { limit: q.limit ?? 20, offset: q.offset ?? 0 },
        { orderId: q.order_id, companyId: q.company_id, status: q.status },
      );
    },
  );

  app.get(
    '/webhook-deliveries/:delivery_id',
    {
      schema: {
        tags: ['Operator'],
        summary: 'One webhook delivery with its attempts',
        params: Type.Object({ delivery_id: Type.String() }),
        response: { 200: WebhookDelivery, ...standardErrors },
      },
    },
    async (request) => services.webhooks.getDelivery(request.params.delivery_id),
  );

  app.post(
    '/webhook-deliveries/:delivery_id/replay',
    {
      schema: {
        tags: ['Operator'],
        summary: 'Send a finished delivery again (same body and webhook-id, a fresh retry schedule)',
        params: Type.Object({ delivery_id: Type.String() }),
        response: { 200: WebhookDelivery, ...standardErrors },
      },
    },
    async (request) => services.webhooks.replay(request.params.delivery_id),
  );

  app.get(
    '/companies/:company_id/webhook-secret',
    {
      schema: {
        tags: ['Operator'],
        summary: "A company's webhook signing secret",
        params: Type.Object({ company_id: Type.String() }),
        response: { 200: WebhookSecret, ...standardErrors },
      },
    },
    async (request) => services.webhooks.getSecret(request.params.company_id),
  );

  app.post(
    '/companies/:company_id/webhook-secret',
    {
      schema: {
        tags: ['Operator'],
        summary: "Rotate a company's webhook secret; the previous one keeps signing for 24 hours",
        params: Type.Object({ company_id: Type.String() }),
        response: { 200: WebhookSecret, ...standardErrors },
      },
    },
    async (request) => services.webhooks.rotateSecret(request.params.company_id),
  );
};
