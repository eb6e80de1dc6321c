// Guessing protection for the routes where a secret is tried: the token pages (invitation, password
// reset, GoToScan) and POST /users/change-password. Every failed try (a 4xx answer) counts against
// the client address for that route; after MAX_FAILURES within WINDOW_MS the route answers 429
// until the oldest failure leaves the window. Counts live in each process (with CASA_PROCESSES=N a
// client gets at most N × MAX_FAILURES tries a window); the per-key rate limit applies on top.
import type { FastifyInstance } from 'fastify';
import { TooManyRequestsError } from '../../errors.js';
import { createFailureCounter } from '../../domain/failure-counter.js';

export const GUARDED_ROUTES = new Set([
  '/invite/:token',
  '/reset-password/:token',
  '/go2scan/:token',
  '/go2scan/:token/upload',
  '/api/integrate/v3/users/change-password',
]);
export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60_000;
const MAX_TRACKED = 10_000;

export function registerGuessingGuard(app: FastifyInstance, nowMs: () => number = Date.now): void {
  const failures = createFailureCounter({ windowMs: WINDOW_MS, maxFailures: MAX_FAILURES, maxTracked: MAX_TRACKED });
  // request.ip is the socket's address unless CASA_TRUST_PROXY names the proxy in front.
  const keyOf = (ip: string, route: string) => `${route} ${ip}`;

  // Callback-style hooks: they run on every request, and most return at once.
  app.addHook('onRequest', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (!route || !GUARDED_ROUTES.has(route)) return done();
    const now = nowMs();
    const list = failures.recent(keyOf(request.ip, route), now);
    if (list.length < MAX_FAILURES) return done();
    const retryAfterS = Math.max(1, Math.ceil((list[0]! + WINDOW_MS - now) / 1000));
    reply.header('retry-after', String(retryAfterS)); // also on the HTML pages, whose error pages set no headers
    done(new TooManyRequestsError(retryAfterS));
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (route && GUARDED_ROUTES.has(route) && reply.statusCode >= 400 && reply.statusCode < 500 && reply.statusCode !== 429) {
      failures.record(keyOf(request.ip, route), nowMs());
    }
    done();
  });
}
