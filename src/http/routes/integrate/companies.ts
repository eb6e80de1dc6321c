import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { CUSTOMER_TYPES } from '../../../domain/catalog.js';
import { EpochSeconds, Nullable, StringEnum, standardErrors } from '../../schemas/common.js';

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

export const companiesRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/companies/info',
    { schema: { tags: ['Company'], summary: 'Get company information', response: { 200: Company, ...standardErrors } } },
    async (request) => services.company.info(request.auth.companyId),
  );
};
