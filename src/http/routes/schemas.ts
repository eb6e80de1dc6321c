// The JSON Schemas of what the server takes and gives beyond the API itself, public so a drafting
// team or an integrator can check a file without a key: the floor-plan model an operator uploads
// and the property data file production delivers.
import type { FastifyPluginAsync } from 'fastify';
import { MODEL_SCHEMA_PATH, publishedModelSchema } from '../../render/model-schema.js';
import { PROPERTY_DATA_SCHEMA, PROPERTY_DATA_SCHEMA_PATH } from '../../render/property-data.js';

export const schemaRoutes: FastifyPluginAsync = async (app) => {
  const documents: [string, string][] = [
    [MODEL_SCHEMA_PATH, `${JSON.stringify(publishedModelSchema(), null, 2)}\n`],
    [PROPERTY_DATA_SCHEMA_PATH, `${JSON.stringify(PROPERTY_DATA_SCHEMA, null, 2)}\n`],
  ];
  for (const [url, text] of documents) {
    app.get(url, { schema: { hide: true } }, async (_request, reply) =>
      reply.type('application/schema+json; charset=utf-8').header('cache-control', 'public, max-age=3600').send(text),
    );
  }
};
