// Live figures: the page, and the JSON its script polls.
import type { FastifyPluginAsync } from 'fastify';
import { systemPage } from '../../../web/console/pages/system-page.js';
import { csrf, sendConsoleHtml } from './console-session.js';
import type { ConsoleContext } from './context.js';

export const consoleSystemRoutes: FastifyPluginAsync<Pick<ConsoleContext, 'console' | 'sessions'>> = async (app, { console, sessions }) => {
  app.get('/system', async (request, reply) =>
    sendConsoleHtml(
      reply,
      systemPage({ csrfToken: csrf(request, reply), figures: await console.figures(), liveSessions: await sessions.liveCount() }),
    ),
  );

  app.get('/system/figures', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return console.figures();
  });
};
