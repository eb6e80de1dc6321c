// CSRF protection for the forms, by double submit: a random token in a SameSite=Strict, HttpOnly
// cookie and the same token in a hidden field; a POST whose field does not match its cookie is
// refused. (The link token in the URL is a second secret a forger would need.)
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const CSRF_COOKIE = 'casa_csrf';
export const CSRF_FIELD = 'csrf_token';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

function cookieValue(request: FastifyRequest, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The request's CSRF token, set as a new cookie when it has none yet. */
export function issueCsrfToken(request: FastifyRequest, reply: FastifyReply): string {
  const existing = cookieValue(request, CSRF_COOKIE);
  if (existing && TOKEN_SHAPE.test(existing)) return existing;
  const token = crypto.randomBytes(32).toString('base64url');
  const secure = request.protocol === 'https' ? '; Secure' : '';
  reply.header('set-cookie', `${CSRF_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${secure}`);
  return token;
}

/** Whether the form's token matches the cookie's. */
export function csrfTokenValid(request: FastifyRequest, formToken: unknown): boolean {
  const cookie = cookieValue(request, CSRF_COOKIE);
  if (!cookie || typeof formToken !== 'string' || !TOKEN_SHAPE.test(cookie) || !TOKEN_SHAPE.test(formToken)) return false;
  return crypto.timingSafeEqual(Buffer.from(cookie), Buffer.from(formToken));
}
