// `/healthz`: the process answers. `/readyz`: it can serve requests, which needs the database and
// the file store; the answer names the kind of store (local or s3), never where it is.
import type { FastifyPluginAsync } from 'fastify';
import type { HealthService } from '../../services/health/health-service.js';

export const healthRoutes: FastifyPluginAsync<{ health: HealthService }> = async (app, { health }) => {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const [database, storage] = await Promise.all([health.databaseReady(), health.storageReady()]);
    if (!database) return reply.code(503).send({ status: 'not ready', message: 'The database is unavailable.' });
    if (!storage)
      return reply.code(503).send({ status: 'not ready', message: 'The file storage is unavailable.', storage: health.storageKind });
    return { status: 'ready', storage: health.storageKind };
  });
};
