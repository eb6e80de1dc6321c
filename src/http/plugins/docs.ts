// The OpenAPI 3.1 document, generated from the route schemas, and the offline docs at /docs.
import swagger from '@fastify/swagger';
import scalar from '@scalar/fastify-api-reference';
import type { FastifyInstance } from 'fastify';
import { VERSION } from '../../version.js';

type OpenApiWithTags = { tags?: { name: string }[]; paths?: Record<string, Record<string, { tags?: string[] }>> };

/** Every tag an operation uses is declared at the top, in first-use order after the fixed ones. */
function declareUsedTags<T extends OpenApiWithTags>(doc: T): T {
  const tags = [...(doc.tags ?? [])];
  const declared = new Set(tags.map((t) => t.name));
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(item)) {
      for (const name of op?.tags ?? []) {
        if (!declared.has(name)) {
          declared.add(name);
          tags.push({ name });
        }
      }
    }
  }
  return { ...doc, tags };
}

/** Carried from a route's schema to its operation, then turned into `requestBody.required: false`. */
const OPTIONAL_BODY = 'x-casa-optional-body';

type Operation = { [OPTIONAL_BODY]?: boolean; requestBody?: { required?: boolean } };

/**
 * @fastify/swagger marks every request body required; a body declared with Type.Optional (TypeBox
 * marks it `~optional`) may be left out (http/validation.ts), and the document says so.
 */
function markOptionalBodies<T extends OpenApiWithTags>(doc: T): T {
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(item) as Operation[]) {
      if (!op?.[OPTIONAL_BODY]) continue;
      delete op[OPTIONAL_BODY];
      if (op.requestBody) op.requestBody.required = false;
    }
  }
  return doc;
}

export async function registerDocs(app: FastifyInstance, publicUrl: string): Promise<void> {
  await app.register(swagger, {
    transform: ({ schema, url }) => {
      const body = (schema as { body?: { '~optional'?: unknown } } | undefined)?.body;
      return { schema: body?.['~optional'] === true ? { ...schema, [OPTIONAL_BODY]: true } : schema, url };
    },
    transformObject: (document) =>
      'openapiObject' in document ? markOptionalBodies(declareUsedTags(document.openapiObject as OpenApiWithTags)) : document.swaggerObject,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'casa-integrate: CubiCasa Integrate API v3',
        version: VERSION,
        description:
          'A self-hosted, stateful implementation of the CubiCasa Integrate API v3. Customer endpoints live under ' +
          '`/api/integrate/v3` and take the `api-key` header; the operator API lives under `/admin/v1` and takes `admin-key`.',
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'api-key' },
          adminKey: { type: 'apiKey', in: 'header', name: 'admin-key' },
        },
      },
      tags: [
        { name: 'Company' },
        { name: 'Office' },
        { name: 'Users' },
        { name: 'Orders' },
        { name: 'Change Request' },
        { name: 'Draft Orders' },
        { name: 'GoToScan Orders' },
        { name: 'Operator' },
      ],
    },
  });
  app.get('/api/integrate/v3/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(scalar, {
    routePrefix: '/docs',
    // Offline: no web fonts, no Scalar agent (it calls api.scalar.com through proxy.scalar.com when
    // served from localhost), no telemetry, no developer toolbar.
    configuration: {
      url: '/api/integrate/v3/openapi.json',
      hideClientButton: true,
      withDefaultFonts: false,
      agent: { disabled: true },
      telemetry: false,
      showDeveloperTools: 'never',
    } as Record<string, unknown>,
  });
}
