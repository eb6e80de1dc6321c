// Operator API for a company's sandbox controls (issue 19): the whole settings document.
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { FAULT_METHODS, FAULT_STATUSES, type SandboxSettings } from '../../../domain/sandbox-settings.js';
import { Message, Nullable, StringEnum, standardErrors } from '../../schemas/common.js';
import { validatorCompiler } from '../../validation.js';
import { RequestValidationError } from '../../../errors.js';

const Rate = Type.Number({ minimum: 0, maximum: 1, description: 'From 0 (never) to 1 (always)' });

const FaultRule = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$', description: 'Sent back in `x-casa-injected` and kept in the request log' }),
    match: Type.Object(
      {
        method: Type.Optional(StringEnum(FAULT_METHODS)),
        path: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 300,
            description: 'The path after /api/integrate/v3; `{name}` matches one segment, e.g. `/orders/{id}`',
          }),
        ),
        operation_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'An operationId of the OpenAPI document' })),
      },
      { additionalProperties: false, description: 'Every field given must match; `{}` matches every request' },
    ),
    rate: Rate,
    action: Type.Object(
      {
        status: Type.Optional(Type.Unsafe<(typeof FAULT_STATUSES)[number]>({ type: 'integer', enum: [...FAULT_STATUSES] })),
        retry_after_s: Type.Optional(
          Type.Integer({ minimum: 1, maximum: 3600, description: 'Retry-After of a 429 or 503 (429: 1 by default)' }),
        ),
        latency_ms: Type.Optional(
          Type.Union([
            Type.Number({ minimum: 0, maximum: 60_000 }),
            Type.Array(Type.Number({ minimum: 0, maximum: 60_000 }), { minItems: 2, maxItems: 2 }),
          ]),
        ),
        hang_s: Type.Optional(
          Type.Number({ minimum: 0, maximum: 600, description: 'Hold the connection this long, then close it unanswered' }),
        ),
      },
      { additionalProperties: false, description: 'Exactly one of status, latency_ms or hang_s' },
    ),
  },
  { additionalProperties: false },
);

const WebhookChaos = Type.Object(
  {
    duplicate_rate: Type.Optional(Rate),
    reorder_rate: Type.Optional(Rate),
    delay_rate: Type.Optional(Rate),
    delay_s: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400 })),
    fail_first_rate: Type.Optional(Rate),
    duplicate_after_s: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400 })),
    reorder_hold_s: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400 })),
  },
  { additionalProperties: false },
);

export const SandboxSettingsBody = Type.Object(
  {
    seed: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 4294967295, description: 'Makes a run repeatable' }))),
    faults: Type.Optional(Type.Array(FaultRule, { maxItems: 50 })),
    webhooks: Type.Optional(WebhookChaos),
    production_delay_s: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 30 * 86_400 }))),
    webhook_schedule_s: Type.Optional(Nullable(Type.Array(Type.Number({ minimum: 0, maximum: 86_400 }), { minItems: 1, maxItems: 20 }))),
  },
  { additionalProperties: false },
);

const validateBody = validatorCompiler({
  schema: SandboxSettingsBody,
  httpPart: 'body',
  method: 'PUT',
  url: '/admin/v1/companies/:company_id/sandbox',
}) as (data: unknown) => { error?: Error };

/**
 * A document from elsewhere (the CLI, the console) checked against PUT …/sandbox's body schema:
 * the problems named by field, or null. The service's own rules (sandbox.put) come after it.
 */
export function sandboxDocumentProblems(document: unknown): RequestValidationError | null {
  const { error } = validateBody(document);
  if (!error) return null;
  return error instanceof RequestValidationError
    ? error
    : new RequestValidationError('body_params', [{ loc: ['__root__'], msg: error.message, type: 'value_error' }]);
}

const SandboxSettingsView = Type.Object({
  seed: Nullable(Type.Integer()),
  faults: Type.Array(FaultRule),
  webhooks: Type.Object({
    duplicate_rate: Type.Number(),
    reorder_rate: Type.Number(),
    delay_rate: Type.Number(),
    delay_s: Type.Number(),
    fail_first_rate: Type.Number(),
    duplicate_after_s: Type.Number(),
    reorder_hold_s: Type.Number(),
  }),
  production_delay_s: Nullable(Type.Number({ description: 'Overrides CASA_PRODUCTION_DELAY_S for this company' })),
  webhook_schedule_s: Nullable(Type.Array(Type.Number(), { description: 'Overrides CASA_WEBHOOK_SCHEDULE for this company' })),
});

const CompanyParams = Type.Object({ company_id: Type.String() });

export const adminSandboxRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'sandbox'> }> = async (app, { services }) => {
  app.get(
    '/companies/:company_id/sandbox',
    {
      schema: {
        tags: ['Sandbox'],
        operationId: 'getSandbox',
        summary: "A company's sandbox settings (the defaults, which change nothing, when none are set)",
        params: CompanyParams,
        response: { 200: SandboxSettingsView, ...standardErrors },
      },
    },
    async (request) => services.sandbox.get(request.params.company_id),
  );

  app.put(
    '/companies/:company_id/sandbox',
    {
      schema: {
        tags: ['Sandbox'],
        operationId: 'putSandbox',
        summary: "Replace a company's sandbox settings",
        description:
          'The whole document: fields left out take their defaults. Writing it starts the seeded random streams again, ' +
          'so the same document written twice gives the same run.',
        params: CompanyParams,
        body: SandboxSettingsBody,
        response: { 200: SandboxSettingsView, ...standardErrors },
      },
    },
    async (request) => services.sandbox.put(request.params.company_id, request.body as Partial<SandboxSettings>),
  );

  app.delete(
    '/companies/:company_id/sandbox',
    {
      schema: {
        tags: ['Sandbox'],
        operationId: 'deleteSandbox',
        summary: "Clear a company's sandbox settings: nothing injected, the server's timing",
        params: CompanyParams,
        response: { 200: Message, ...standardErrors },
      },
    },
    async (request) => {
      await services.sandbox.clear(request.params.company_id);
      return { message: 'Sandbox settings were cleared.' };
    },
  );

  app.post(
    '/companies/:company_id/sandbox/deliver-now',
    {
      schema: {
        tags: ['Sandbox'],
        operationId: 'deliverSandboxNow',
        summary: "Deliver everything of a company's that waits: production and webhook retries become due now",
        description:
          'Orders waiting for production (not held) and webhook deliveries waiting for their next attempt become due at once; ' +
          'the workers deliver them at their next round. Answers how many of each were moved.',
        params: CompanyParams,
        response: { 200: Type.Object({ orders: Type.Integer(), webhook_deliveries: Type.Integer() }), ...standardErrors },
      },
    },
    async (request) => services.sandbox.deliverDueNow(request.params.company_id),
  );
};
