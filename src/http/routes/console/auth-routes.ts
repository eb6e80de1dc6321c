// `GET|POST /console/sign-in`, `POST /console/sign-out`, `POST /console/sign-out-everywhere`.
import type { FastifyPluginAsync } from 'fastify';
import { signInPage } from '../../../web/console/pages/sign-in-page.js';
import { csrf, safeNext, sendConsoleHtml, setSessionCookie, cookieValue, SESSION_COOKIE } from './console-session.js';
import { doneMessage, field, type ConsoleContext, type Form } from './context.js';

export const consoleAuthRoutes: FastifyPluginAsync<Pick<ConsoleContext, 'sessions'>> = async (app, { sessions }) => {
  app.get<{ Querystring: { next?: string; done?: string } }>('/sign-in', async (request, reply) =>
    sendConsoleHtml(
      reply,
      signInPage({
        csrfToken: csrf(request, reply),
        next: safeNext(request.query.next),
        passwordEnabled: sessions.passwordEnabled,
        notice: doneMessage(request.query.done) ?? undefined,
      }),
    ),
  );

  app.post<{ Body: Form }>('/sign-in', async (request, reply) => {
    const next = safeNext(field(request.body, 'next'));
    const result = await sessions.signIn(field(request.body, 'secret'), request.ip);
    if (!result.ok) {
      const error =
        result.reason === 'throttled'
          ? 'Too many failed attempts. Wait a few minutes and try again.'
          : 'That is not the admin key or the operator password.';
      return sendConsoleHtml(
        reply,
        signInPage({ csrfToken: csrf(request, reply), next, passwordEnabled: sessions.passwordEnabled, error }),
        result.reason === 'throttled' ? 429 : 401,
      );
    }
    setSessionCookie(request, reply, result.token);
    return reply.redirect(next, 303);
  });

  app.post('/sign-out', async (request, reply) => {
    await sessions.signOut(cookieValue(request, SESSION_COOKIE));
    setSessionCookie(request, reply, null);
    return reply.redirect('/console/sign-in?done=signed_out', 303);
  });

  // CSRF-checked like every console form (the console's preHandler).
  app.post('/sign-out-everywhere', async (request, reply) => {
    const ended = await sessions.signOutEverywhere();
    request.log.info({ ended }, 'console: every session ended');
    setSessionCookie(request, reply, null);
    return reply.redirect('/console/sign-in?done=signed_out_everywhere', 303);
  });
};
