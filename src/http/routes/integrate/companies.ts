import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { ADD_ONS, CUSTOMER_TYPES, MAX_WEBHOOK_URLS, PACKAGE_TYPES, WEBHOOK_TRIGGERS } from '../../../domain/catalog.js';
import { EpochSeconds, HttpUrl, Nullable, StringEnum, standardErrors } from '../../schemas/common.js';

export const Company = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  country: Nullable(Type.String()),
  customer_type: StringEnum(CUSTOMER_TYPES),
  created_at: EpochSeconds,
  main_office_id: Type.String({ format: 'uuid' }),
  webhook_urls: Type.Array(Type.String()),
  webhook_triggers: Type.Array(Type.String()),
  settings: Type.Object({ allow_submission_without_draft: Type.Boolean(), allow_post_scan_upgrades: Type.Boolean() }),
});

const WebhookSettings = Type.Object({
  webhook_urls: Type.Array(HttpUrl, {
    maxItems: MAX_WEBHOOK_URLS,
    description:
      'Absolute http(s) URLs, at most 10; duplicates are dropped. A host written as a non-public IP address (loopback, private, link-local, or an IPv6 form embedding one) is refused unless the server allows private addresses',
  }),
  webhook_triggers: Type.Array(StringEnum(WEBHOOK_TRIGGERS), { description: 'Events sent to every URL' }),
});

// KNOWN.md: the body is not marked Required, and the live API answered 2xx to `{"url", "secret"}`
// without setting anything up. So each list is optional; an omitted list keeps its stored value.
const WebhookSettingsPatch = Type.Object({
  webhook_urls: Type.Optional(WebhookSettings.properties.webhook_urls),
  webhook_triggers: Type.Optional(WebhookSettings.properties.webhook_triggers),
});

const CompanyPackage = Type.Object({
  package_type: StringEnum(PACKAGE_TYPES),
  add_ons: Type.Array(StringEnum(ADD_ONS)),
  available_package_types: Type.Array(StringEnum(PACKAGE_TYPES)),
  available_add_ons: Type.Array(StringEnum(ADD_ONS)),
});

const MergeRequestCreated = Type.Object({
  id: Type.String({ format: 'uuid' }),
  status: Type.Literal('pending'),
  target_email: Type.String(),
  created_at: EpochSeconds,
  message: Type.String(),
});

export const companiesRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'company' | 'mergeRequests'> }> = async (
  app,
  { services },
) => {
  app.get(
    '/companies/info',
    {
      schema: {
        operationId: 'getCompanyInfo',
        tags: ['Company'],
        summary: 'Get company information',
        response: { 200: Company, ...standardErrors },
      },
    },
    async (request) => services.company.info(request.auth.companyId),
  );

  app.patch(
    '/companies/webhook',
    {
      schema: {
        operationId: 'updateCompanyWebhook',
        tags: ['Company'],
        summary: 'Update company webhooks',
        description:
          'Replaces the lists given (both, normally). A list left out keeps its stored value. URLs must be absolute http(s) URLs (https only when the server requires it).',
        body: WebhookSettingsPatch,
        response: { 200: WebhookSettings, ...standardErrors },
      },
    },
    async (request) => services.company.setWebhook(request.auth.companyId, request.body),
  );

  app.delete(
    '/companies/webhook',
    {
      schema: {
        operationId: 'deleteCompanyWebhook',
        tags: ['Company'],
        summary: 'Delete company webhook',
        response: { 200: WebhookSettings, ...standardErrors },
      },
    },
    async (request) => services.company.clearWebhook(request.auth.companyId),
  );

  app.get(
    '/companies/package',
    {
      schema: {
        operationId: 'getCompanyPackage',
        tags: ['Company'],
        summary: 'Get company package',
        response: { 200: CompanyPackage, ...standardErrors },
      },
    },
    async (request) => services.company.package(request.auth.companyId),
  );

  app.post(
    '/companies/merge-request',
    {
      schema: {
        operationId: 'createMergeRequest',
        tags: ['Company'],
        summary: 'Send a merge request to another company',
        description: 'Asks to merge this company into the company of `email`, one of its Managers. The operator approves it.',
        body: Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) }),
        response: { 200: MergeRequestCreated, ...standardErrors },
      },
    },
    async (request) => services.mergeRequests.request(request.auth.companyId, request.body.email),
  );
};
