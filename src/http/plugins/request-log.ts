// The request log's view of each customer request (issue 19): registered after the key check, so
// every request of a known company is kept, whatever answers it: the handler, a validation error,
// the rate limit, an injected sandbox fault, or nothing at all (a held connection closed). The
// hooks only note what they see; the service writes it later in batches.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestLogService } from '../../services/request-log/request-log-service.js';
import type { Clock } from '../../domain/clock.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The answer's body as sent, kept for the request log. */
    loggedPayload: unknown;
  }
  interface FastifyInstance {
    /** Logs a request whose connection is closed without an answer (a sandbox hang). */
    logUnanswered?: (request: FastifyRequest, reply: FastifyReply) => void;
  }
}

const TEXT_TYPE = /json|text/;

function answerText(payload: unknown, reply: FastifyReply): string | null {
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) {
    const type = String(reply.getHeader('content-type') ?? '');
    return TEXT_TYPE.test(type) ? payload.toString('utf8') : `[${payload.length} bytes of ${type || 'binary'} not kept]`;
  }
  if (payload !== null && payload !== undefined) return '[streamed body not kept]';
  return null;
}

export const requestLogHooks = fp<{ requestLog: Pick<RequestLogService, 'record' | 'enabled'>; clock: Clock }>(
  async (app, { requestLog, clock }) => {
    if (!requestLog.enabled) return;
    const base = app.prefix;
    app.decorateRequest('loggedPayload', null);

    function record(request: FastifyRequest, reply: FastifyReply, status: number | null): void {
      const auth = request.auth;
      if (!auth) return; // no company: a missing or unknown key
      const durationMs = reply.elapsedTime;
      const idem = request.headers['idempotency-key'];
      requestLog.record({
        companyId: auth.companyId,
        atUs: clock.nowUs() - Math.round(durationMs * 1000),
        method: request.method,
        url: request.url.slice(base.length),
        operationId: (request.routeOptions.schema as { operationId?: string } | undefined)?.operationId ?? null,
        status,
        durationMs,
        requestId: request.id,
        idempotencyKey: typeof idem === 'string' ? idem : null,
        injectedRule: request.injectedRule || null,
        requestBody: request.body,
        responseBody: status === null ? null : answerText(request.loggedPayload, reply),
      });
    }

    app.decorate('logUnanswered', (request: FastifyRequest, reply: FastifyReply) => record(request, reply, null));
    app.addHook('onSend', (request, _reply, payload, done) => {
      request.loggedPayload = payload;
      done(null, payload);
    });
    app.addHook('onResponse', (request, reply, done) => {
      record(request, reply, reply.statusCode);
      done();
    });
  },
  { name: 'request-log', dependencies: ['api-key-auth'] },
);
