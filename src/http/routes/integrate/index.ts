// Every customer route, behind the api-key check.
import type { FastifyPluginAsync } from 'fastify';
import type { Clock } from '../../../domain/clock.js';
import type { Services } from '../../../services/index.js';
import { apiKeyAuth } from '../../plugins/api-key-auth.js';
import { apiKeyRateLimit, type RateLimitOptions } from '../../plugins/rate-limit.js';
import { idempotencyKeys } from '../../plugins/idempotency.js';
import { sandboxFaults } from '../../plugins/sandbox-faults.js';
import { requestLogHooks } from '../../plugins/request-log.js';
import { officesRoutes } from './offices.js';
import { ordersRoutes } from './orders.js';
import { draftsRoutes } from './drafts.js';
import { go2scanRoutes } from './go2scan.js';
import { changeRequestsRoutes } from './change-requests.js';
import { companiesRoutes } from './companies.js';
import { usersRoutes } from './users.js';

export interface IntegrateRoutesOptions {
  services: Pick<
    Services,
    | 'apiKeys'
    | 'sandbox'
    | 'requestLog'
    | 'idempotency'
    | 'company'
    | 'mergeRequests'
    | 'offices'
    | 'orders'
    | 'go2scan'
    | 'changeRequests'
    | 'users'
  >;
  rateLimit: RateLimitOptions['config'];
  /** The rate-limit buckets' and idempotency keys' time. */
  clock: Clock;
}

export const integrateRoutes: FastifyPluginAsync<IntegrateRoutesOptions> = async (app, { services, rateLimit, clock }) => {
  await app.register(apiKeyAuth, { apiKeys: services.apiKeys });
  await app.register(requestLogHooks, { requestLog: services.requestLog, clock });
  await app.register(apiKeyRateLimit, { config: rateLimit, clock });
  await app.register(sandboxFaults, { sandbox: services.sandbox });
  await app.register(idempotencyKeys, { idempotency: services.idempotency, clock });
  await app.register(companiesRoutes, { services });
  await app.register(officesRoutes, { services });
  await app.register(ordersRoutes, { services });
  await app.register(draftsRoutes, { services });
  await app.register(go2scanRoutes, { services });
  await app.register(changeRequestsRoutes, { services });
  await app.register(usersRoutes, { services });
};
