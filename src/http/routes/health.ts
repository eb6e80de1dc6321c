// `/healthz`: the process answers. `/readyz`: it can serve requests, which needs the database.
import type { FastifyPluginAsync } from 'fastify';
import type { HealthService } from '../../services/health/health-service.js';

export const healthRoutes: FastifyPluginAsync<{ health: HealthService }> = async (app, { health }) => {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    if (await health.databaseReady()) return { status: 'ready' };
    return reply.code(503).send({ status: 'not ready', message: 'The database is unavailable.' });
  });
};
