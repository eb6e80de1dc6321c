// The console's guard: every request but the sign-in page and the static assets needs a live
// session cookie; every POST needs the form's CSRF token (double submit, the web pages' helper).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleSessions } from '../../../services/console/console-sessions.js';
import { SESSION_TTL_S } from '../../../services/console/console-sessions.js';
import { csrfTokenValid, issueCsrfToken } from '../../../web/csrf.js';
import { consoleNotice } from '../../../web/console/pages/notice-page.js';

export const SESSION_COOKIE = 'casa_console';
const OPEN_PATHS = new Set(['/console/sign-in']);

export function cookieValue(request: FastifyRequest, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string | null): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  const value = token === null ? `${SESSION_COOKIE}=; Max-Age=0` : `${SESSION_COOKIE}=${token}; Max-Age=${SESSION_TTL_S}`;
  reply.header('set-cookie', `${value}; Path=/console; HttpOnly; SameSite=Strict${secure}`);
}

/**
 * Where a signed-in operator goes after signing in: a console path, never another site. Only
 * printable ASCII passes, because it becomes a Location header, where CR/LF would split the
 * answer and anything else is refused by Node (a 500); a browser sends the rest percent-encoded.
 */
export function safeNext(next: unknown): string {
  return typeof next === 'string' &&
    /^[\x21-\x7e]+$/.test(next) &&
    /^\/console(\/[^/\\]|$|\?)/.test(next) &&
    !next.startsWith('/console/sign-')
    ? next
    : '/console/orders';
}

export function sendConsoleHtml(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

export function consoleGuard(sessions: ConsoleSessions) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!.replace(/\/+$/, '');
    if (OPEN_PATHS.has(path) || path.startsWith('/console/assets/')) return;
    const session = await sessions.check(cookieValue(request, SESSION_COOKIE));
    if (session) return;
    if (request.method === 'GET' && !path.endsWith('/figures') && !path.endsWith('/html')) {
      return reply
        .code(303)
        .header('cache-control', 'no-store')
        .redirect(`/console/sign-in?next=${encodeURIComponent(request.url)}`, 303);
    }
    if (path.endsWith('/figures'))
      return reply.code(401).header('cache-control', 'no-store').send({ message: 'Sign in to the console first.' });
    return sendConsoleHtml(
      reply,
      consoleNotice('Sign in first', 'Your console session has ended or never began. Sign in again.', '/console/sign-in'),
      401,
    );
  };
}

/** A POST whose CSRF field does not match its cookie is refused before any handler runs. */
export async function csrfGuard(request: FastifyRequest, reply: FastifyReply) {
  if (request.method !== 'POST') return;
  const body = (request.body ?? {}) as Record<string, unknown>;
  if (!csrfTokenValid(request, body.csrf_token)) {
    return sendConsoleHtml(
      reply,
      consoleNotice(
        'This form has expired',
        'For your security the form was not accepted and nothing changed. Go back, reload the page and try again.',
        null,
      ),
      403,
    );
  }
}

export function csrf(request: FastifyRequest, reply: FastifyReply): string {
  return issueCsrfToken(request, reply);
}
