import { sql } from 'kysely';
import type { FastifyPluginAsync } from 'fastify';
import type { Storage } from '../../db/database.js';

export const healthRoutes: FastifyPluginAsync<{ storage: Storage }> = async (app, { storage }) => {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(storage.db);
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'not ready', message: 'The database is unavailable.' });
    }
  });
};
