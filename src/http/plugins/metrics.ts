// GET /metrics (Prometheus text format), guarded by the operator key: the `admin-key` header or
// `Authorization: Bearer <admin key>` (what Prometheus' `authorization` scrape setting sends).
// The onResponse hook records every request of the app by route pattern, for /metrics and for the
// console's request figures.
import type { FastifyInstance } from 'fastify';
import { adminKeyMatches } from './admin-auth.js';
import { UnauthorizedError } from '../../errors.js';
import type { Metrics } from '../../services/metrics/metrics-service.js';
import type { RequestStats } from '../../services/console/request-stats.js';

function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers['admin-key'];
  if (typeof header === 'string') return header;
  const auth = headers.authorization;
  const bearer = typeof auth === 'string' ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return bearer?.[1];
}

/** Adds the request hook and the /metrics route to `app`; call before the other routes are registered. */
export function registerMetrics(
  app: FastifyInstance,
  opts: { metrics: Metrics; adminKeyHash: string; requestStats: Pick<RequestStats, 'record'> },
): void {
  const { metrics } = opts;
  // Callback-style hooks here and in the other per-request hooks: no promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    const ms = reply.elapsedTime;
    metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, ms / 1000);
    opts.requestStats.record(ms);
    done();
  });
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!adminKeyMatches(opts.adminKeyHash, presentedKey(request.headers)))
      throw new UnauthorizedError('Invalid or missing admin-key header.');
    const text = await metrics.exposition();
    return reply.type(metrics.contentType).send(text);
  });
}
