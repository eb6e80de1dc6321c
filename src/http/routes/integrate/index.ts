// Every customer route, behind the api-key check.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services/index.js';
import { apiKeyAuth } from '../../plugins/api-key-auth.js';
import { officesRoutes } from './offices.js';
import { companiesRoutes } from './companies.js';
import { usersRoutes } from './users.js';

export const integrateRoutes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  await app.register(apiKeyAuth, { apiKeys: services.apiKeys });
  await app.register(companiesRoutes, { services });
  await app.register(officesRoutes, { services });
  await app.register(usersRoutes, { services });
};
