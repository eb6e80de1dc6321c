// The operator API, behind the admin-key check.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services/index.js';
import { adminAuth } from '../../plugins/admin-auth.js';
import { adminCompaniesRoutes } from './companies.js';
import { adminOrdersRoutes } from './orders.js';
import { adminModelsRoutes } from './models.js';
import { adminWebhooksRoutes } from './webhooks.js';
import { adminMergeRequestsRoutes } from './merge-requests.js';
import { adminResetRoutes } from './reset.js';
import { adminEmailsRoutes } from './emails.js';
import { adminSandboxRoutes } from './sandbox.js';
import { adminRequestLogRoutes } from './requests.js';

export interface AdminRoutesOptions {
  services: Pick<
    Services,
    | 'company'
    | 'apiKeys'
    | 'orderOperator'
    | 'deliverables'
    | 'webhooks'
    | 'emails'
    | 'mergeRequests'
    | 'dataReset'
    | 'sandbox'
    | 'requestLog'
  >;
  adminKeyHash: string;
  /** CASA_ALLOW_RESET: whether `POST /admin/v1/reset` exists. */
  allowReset: boolean;
}

export const adminRoutes: FastifyPluginAsync<AdminRoutesOptions> = async (app, { services, adminKeyHash, allowReset }) => {
  await app.register(adminAuth, { adminKeyHash });
  await app.register(adminCompaniesRoutes, { services });
  await app.register(adminOrdersRoutes, { services });
  await app.register(adminModelsRoutes, { services });
  await app.register(adminWebhooksRoutes, { services });
  await app.register(adminEmailsRoutes, { services });
  await app.register(adminMergeRequestsRoutes, { services });
  await app.register(adminSandboxRoutes, { services });
  await app.register(adminRequestLogRoutes, { services });
  if (allowReset) await app.register(adminResetRoutes, { services });
};
