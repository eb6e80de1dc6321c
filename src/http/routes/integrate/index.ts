// Every customer route, behind the api-key check.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services/index.js';
import { apiKeyAuth } from '../../plugins/api-key-auth.js';
import { apiKeyRateLimit } from '../../plugins/rate-limit.js';
import { idempotencyKeys } from '../../plugins/idempotency.js';
import { officesRoutes } from './offices.js';
import { ordersRoutes } from './orders.js';
import { draftsRoutes } from './drafts.js';
import { go2scanRoutes } from './go2scan.js';
import { changeRequestsRoutes } from './change-requests.js';
import { companiesRoutes } from './companies.js';
import { usersRoutes } from './users.js';

export const integrateRoutes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  await app.register(apiKeyAuth, { apiKeys: services.apiKeys });
  await app.register(apiKeyRateLimit, { config: services.deps.config, clock: services.deps.clock });
  await app.register(idempotencyKeys, { idempotency: services.idempotency, clock: services.deps.clock });
  await app.register(companiesRoutes, { services });
  await app.register(officesRoutes, { services });
  await app.register(ordersRoutes, { services });
  await app.register(draftsRoutes, { services });
  await app.register(go2scanRoutes, { services });
  await app.register(changeRequestsRoutes, { services });
  await app.register(usersRoutes, { services });
};
