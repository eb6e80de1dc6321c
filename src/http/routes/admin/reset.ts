import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { standardErrors } from '../../schemas/common.js';

/** Registered only when CASA_ALLOW_RESET=true; otherwise the path answers 404 like any unknown one. */
export const adminResetRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'dataReset'> }> = async (app, { services }) => {
  app.post(
    '/reset',
    {
      schema: {
        tags: ['Operator'],
        summary: 'Delete all data (only when CASA_ALLOW_RESET=true)',
        response: { 200: Type.Object({ message: Type.String(), tables: Type.Array(Type.String()) }), ...standardErrors },
      },
    },
    async () => ({ message: 'All data was deleted.', tables: await services.dataReset.wipeAll() }),
  );
};
