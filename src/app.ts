// The composition root: builds the Fastify app from the infrastructure it is given.
import { Socket } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { Storage } from './db/database.js';
import type { Clock, Ids } from './domain/clock.js';
import { registerErrorHandling } from './http/error-handler.js';
import { validatorCompiler } from './http/validation.js';
import { lazyChildLogger, loggerOptions } from './http/logging.js';
import { registerDocs } from './http/plugins/docs.js';
import { healthRoutes } from './http/routes/health.js';
import { integrateRoutes } from './http/routes/integrate/index.js';
import { adminRoutes } from './http/routes/admin/index.js';
import { webRoutes } from './http/routes/web/index.js';
import { filesRoutes } from './http/routes/web/files.js';
import { go2scanUploadRoutes } from './http/routes/web/go2scan-upload.js';
import { registerConsole } from './http/routes/console/index.js';
import { registerMetrics } from './http/plugins/metrics.js';
import { registerGuessingGuard } from './http/plugins/guessing-guard.js';
import { createRequestStats } from './services/console/request-stats.js';
import { type FileStorage } from './storage/file-storage.js';
import { createServicesOn, type Services } from './services/index.js';

export interface AppDeps {
  config: Config;
  storage: Storage;
  clock: Clock;
  ids: Ids;
  /** SHA-256 (hex) of the operator key. */
  adminKeyHash: string;
  logger?: FastifyBaseLogger | false;
  /** Where stored files live; defaults to `<CASA_DATA_DIR>/files` on local disk. */
  files?: FileStorage;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance & { services: Services }> {
  const app = Fastify({
    // Fastify takes either logger options or a logger instance, never both.
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: deps.logger === false ? false : loggerOptions(deps.config.logLevel) }),
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : deps.ids.uuid();
    },
    connectionTimeout: 60_000,
    keepAliveTimeout: 72_000,
    requestTimeout: 120_000,
    routerOptions: { ignoreTrailingSlash: true },
    ajv: { customOptions: {} },
    childLoggerFactory: lazyChildLogger,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // Bodies are JSON only (multipart and forms are added by the routes that take them): text is a 415.
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // Injected requests (tests, in-process callers) come from no poll: they always sample anew.
    if (request.raw.socket instanceof Socket) deps.storage.requestArrived();
    else deps.storage.resample();
    done();
  });

  const services = createServicesOn(deps.storage, deps.config, app.log as never, { clock: deps.clock, ids: deps.ids, files: deps.files });
  app.addHook('onClose', async () => services.emails.close());
  app.decorate('services', services);
  // First, so its request figures (for /metrics and the console) see every route.
  const requestStats = createRequestStats();
  registerMetrics(app, { deps: { db: deps.storage.db, clock: deps.clock }, adminKeyHash: deps.adminKeyHash, requestStats });
  await registerConsole(app, { services, adminKeyHash: deps.adminKeyHash, requestFigures: requestStats });
  registerGuessingGuard(app);

  await registerDocs(app, deps.config.publicUrl);
  await app.register(healthRoutes, { storage: deps.storage });
  await app.register(integrateRoutes, { prefix: '/api/integrate/v3', services });
  await app.register(adminRoutes, { prefix: '/admin/v1', services, adminKeyHash: deps.adminKeyHash });
  await app.register(go2scanUploadRoutes, { services });
  await app.register(webRoutes, { services });
  await app.register(filesRoutes, { services });
  return app as unknown as FastifyInstance & { services: Services };
}
