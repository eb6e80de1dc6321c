// The web pages the API's links open: GoToScan upload, invitation, password reset, tour and 3D
// viewer. Helmet (a strict CSP: scripts, styles and connections to this origin only, no inline
// script), form bodies and the static assets are registered in this scope only, so the JSON API
// keeps its own headers.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { Services } from '../../../services/index.js';
import { ASSETS_DIR, ASSETS_PREFIX, VENDOR_PREFIX, noticePage } from '../../../web/layout.js';
import { errorResponse } from '../../error-handler.js';
import { go2scanPageRoutes } from './go2scan-page.js';
import { passwordPageRoutes } from './password-pages.js';
import { tourPageRoutes } from './tour-pages.js';
import { sendPage } from './pages.js';
import { CONTENT_SECURITY_POLICY } from './csp.js';

const MODEL_VIEWER_DIR = path.dirname(createRequire(import.meta.url).resolve('@google/model-viewer'));

export const webRoutes: FastifyPluginAsync<{ services: Pick<Services, 'webPages' | 'users'> }> = async (app, { services }) => {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // Links carry secrets in their path: never leak them to another site.
    referrerPolicy: { policy: 'no-referrer' },
    // Sent for every answer over HTTPS only, by the server's own request hook.
    strictTransportSecurity: false,
  });
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  await app.register(fastifyStatic, { root: ASSETS_DIR, prefix: ASSETS_PREFIX, index: false, maxAge: '1h' });
  await app.register(fastifyStatic, {
    root: MODEL_VIEWER_DIR,
    prefix: `${VENDOR_PREFIX}model-viewer/`,
    decorateReply: false,
    index: false,
    maxAge: '1d',
    allowedPath: (pathName) => pathName === '/model-viewer.min.js',
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { status } = errorResponse(err);
    if (status === 404) return sendPage(reply, noticePage('Page not found', err.message || 'This page does not exist.'), 404);
    if (status < 500) return sendPage(reply, noticePage('This request could not be handled', err.message), status);
    request.log.error({ err }, 'web page failed');
    return sendPage(reply, noticePage('Something went wrong', 'The page could not be shown. Try again in a moment.'), 500);
  });

  await app.register(go2scanPageRoutes, { pages: services.webPages });
  await app.register(passwordPageRoutes, { users: services.users });
  await app.register(tourPageRoutes, { pages: services.webPages });
};
