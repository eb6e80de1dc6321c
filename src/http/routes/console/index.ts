// The operator console at /console: server-rendered pages over the same services as the operator
// API. Helmet with the web pages' strict CSP (plus frames from this origin, for the mail catcher),
// form bodies and the console's assets are registered in this scope only.
import type { FastifyError, FastifyInstance, FastifyPluginAsync } from 'fastify';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { fileURLToPath } from 'node:url';
import { consoleNotice } from '../../../web/console/pages/notice-page.js';
import { errorResponse } from '../../error-handler.js';
import { CONTENT_SECURITY_POLICY } from '../web/csp.js';
import { consoleAuthRoutes } from './auth-routes.js';
import { consoleCompaniesRoutes } from './companies-routes.js';
import { consoleEmailsRoutes } from './emails-routes.js';
import { consoleOrdersRoutes } from './orders-routes.js';
import { consoleRequestsRoutes } from './requests-routes.js';
import { consoleSandboxRoutes } from './sandbox-routes.js';
import { consoleSystemRoutes } from './system-routes.js';
import { consoleWebhooksRoutes } from './webhooks-routes.js';
import { consoleGuard, csrf, csrfGuard, sendConsoleHtml } from './console-session.js';
import type { ConsoleContext } from './context.js';

const ASSETS_DIR = fileURLToPath(new URL('../../../web/console/assets/', import.meta.url));

export const CONSOLE_CONTENT_SECURITY_POLICY = { ...CONTENT_SECURITY_POLICY, 'frame-src': ["'self'"] };

export const consoleRoutes: FastifyPluginAsync<ConsoleContext> = async (app, { services, console, sessions, publicUrl }) => {
  // The context alone, without the register options: their prefix would apply again below.
  const ctx: ConsoleContext = { services, console, sessions, publicUrl };
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONSOLE_CONTENT_SECURITY_POLICY },
    referrerPolicy: { policy: 'no-referrer' },
    // Sent for every answer over HTTPS only, by the server's own request hook.
    strictTransportSecurity: false,
  });
  // Model uploads come as a form field: allow a large one.
  await app.register(formbody, { bodyLimit: 2 * 1024 * 1024 });
  await app.register(fastifyStatic, { root: ASSETS_DIR, prefix: '/assets/', index: false, maxAge: '1h', decorateReply: false });

  app.addHook('onRequest', consoleGuard(ctx.sessions));
  app.addHook('preHandler', csrfGuard);

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { status } = errorResponse(err);
    if (status >= 500) request.log.error({ err }, 'console page failed');
    const title = status === 404 ? 'Not found' : status < 500 ? 'This request could not be handled' : 'Something went wrong';
    const message = status < 500 ? err.message : 'The page could not be shown. Try again in a moment.';
    return sendConsoleHtml(reply, consoleNotice(title, message, null, csrf(request, reply)), status);
  });

  app.setNotFoundHandler(async (request, reply) =>
    sendConsoleHtml(reply, consoleNotice('Not found', 'This console page does not exist.', '/console/orders', csrf(request, reply)), 404),
  );
  app.get('/', async (_request, reply) => reply.redirect('/console/orders', 303));
  await app.register(consoleAuthRoutes, ctx);
  await app.register(consoleCompaniesRoutes, ctx);
  await app.register(consoleSandboxRoutes, ctx);
  await app.register(consoleRequestsRoutes, ctx);
  await app.register(consoleOrdersRoutes, ctx);
  await app.register(consoleWebhooksRoutes, ctx);
  await app.register(consoleEmailsRoutes, ctx);
  await app.register(consoleSystemRoutes, ctx);
};

/** Registers the console under /console. */
export async function registerConsole(app: FastifyInstance, opts: ConsoleContext): Promise<void> {
  await app.register(consoleRoutes, { prefix: '/console', ...opts });
}
