// The composition root: infrastructure → services → plugins and routes. Each route plugin is given
// the services and settings it uses, named in its options type; none receives the database or the
// deps behind the services.
import { Socket } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { Storage } from './db/database.js';
import type { Clock, Ids } from './domain/clock.js';
import { registerErrorHandling } from './http/error-handler.js';
import { validatorCompiler } from './http/validation.js';
import { serializerCompiler } from './http/serialization.js';
import { registerBodyDepthLimit } from './http/body-depth.js';
import { lazyChildLogger, loggerOptions } from './http/logging.js';
import { registerDocs } from './http/plugins/docs.js';
import { healthRoutes } from './http/routes/health.js';
import { schemaRoutes } from './http/routes/schemas.js';
import { integrateRoutes } from './http/routes/integrate/index.js';
import { adminRoutes } from './http/routes/admin/index.js';
import { webRoutes } from './http/routes/web/index.js';
import { filesRoutes } from './http/routes/web/files.js';
import { go2scanUploadRoutes } from './http/routes/web/go2scan-upload.js';
import { registerConsole } from './http/routes/console/index.js';
import { registerMetrics } from './http/plugins/metrics.js';
import { registerGuessingGuard } from './http/plugins/guessing-guard.js';
import { createMetrics } from './services/metrics/metrics-service.js';
import { createRequestStats } from './services/console/request-stats.js';
import type { ServiceDeps } from './services/deps.js';
import { type FileStorage } from './storage/file-storage.js';
import { createConsoleServices, createServices, serviceDepsOn, type Services } from './services/index.js';

export interface AppDeps {
  config: Config;
  storage: Storage;
  clock: Clock;
  ids: Ids;
  /** SHA-256 (hex) of the operator key. */
  adminKeyHash: string;
  logger?: FastifyBaseLogger | false;
  /** Where stored files live; defaults to the configured store (CASA_STORAGE). */
  files?: FileStorage;
}

/** The app, with its services and the infrastructure under them for in-process callers (main, tests). */
export type App = FastifyInstance & { services: Services; serviceDeps: ServiceDeps };

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, storage, clock, adminKeyHash } = deps;
  const app = createServer(deps);

  // Infrastructure → services. Fastify's logger is a pino logger; its type only says less.
  const serviceDeps = serviceDepsOn(storage, config, app.log as never, { clock, ids: deps.ids, files: deps.files });
  const services = createServices(serviceDeps);
  // Request figures, recorded by the metrics hook, read by /metrics and the console's system page.
  const requestStats = createRequestStats();
  const consoleServices = createConsoleServices(serviceDeps, services, { adminKeyHash, requestFigures: requestStats });
  const metrics = createMetrics({ db: storage.db, clock });
  app.decorate('services', services);
  app.decorate('serviceDeps', serviceDeps);
  app.addHook('onClose', async () => {
    // What the request log still holds is written before the database closes.
    await services.requestLog.close();
    await services.emails.close();
  });

  // Plugins and routes, each given the services and settings it uses. Metrics first, so its
  // request hook sees every route.
  registerMetrics(app, { metrics, adminKeyHash, requestStats });
  await registerConsole(app, { services, ...consoleServices, publicUrl: config.publicUrl });
  registerGuessingGuard(app);
  await registerDocs(app, config.publicUrl);
  await app.register(healthRoutes, { health: services.health });
  await app.register(schemaRoutes);
  await app.register(integrateRoutes, { prefix: '/api/integrate/v3', services, rateLimit: config, clock });
  await app.register(adminRoutes, { prefix: '/admin/v1', services, adminKeyHash, allowReset: config.allowReset });
  await app.register(go2scanUploadRoutes, { services, scanMaxBytes: config.scanMaxBytes });
  await app.register(webRoutes, { services });
  await app.register(filesRoutes, { services });
  return app as unknown as App;
}

/** The Fastify instance with the settings and hooks every route shares. */
function createServer(deps: AppDeps) {
  const { trustProxy } = deps.config;
  const app = Fastify({
    // Fastify takes either logger options or a logger instance, never both.
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: deps.logger === false ? false : loggerOptions(deps.config.logLevel) }),
    bodyLimit: 1024 * 1024,
    // Which proxies' X-Forwarded-* are believed (CASA_TRUST_PROXY); a hop count is what Fastify's
    // own number option does (its types omit it): trust the nearest `hops` addresses.
    trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
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
  app.setSerializerCompiler(serializerCompiler);
  // Bodies are JSON only (multipart and forms are added by the routes that take them): text is a 415.
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app);
  registerBodyDepthLimit(app);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // No answer is ever meant to be read as another type than the one it declares.
    reply.header('x-content-type-options', 'nosniff');
    // Only over HTTPS: over plain HTTP the header is meaningless, and on a host later served over
    // TLS it would pin the name before the operator chose to.
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // Injected requests (tests, in-process callers) come from no poll: they always sample anew.
    if (request.raw.socket instanceof Socket) deps.storage.requestArrived();
    else deps.storage.resample();
    done();
  });
  return app;
}
