// Sandbox API faults (issue 19): a company's fault rules, checked on each of its requests after the
// key check and the rate limit. A rule may add latency, answer in place of the request (429 with
// Retry-After, 500, 502, 503, 504, carrying `x-casa-injected: <rule id>`), or hold the connection
// and then close it. An injected answer comes before body parsing, idempotency and the handler:
// nothing behind it runs, so nothing changes.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InjectedFaultError } from '../../errors.js';
import type { FaultDecision } from '../../domain/sandbox-settings.js';
import type { SandboxService } from '../../services/sandbox/sandbox-service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The sandbox rules applied to this request (latency, an answer or a hang), for the request log. */
    injectedRule: string | null;
  }
}

export const sandboxFaults = fp<{ sandbox: Pick<SandboxService, 'faultsFor'> }>(
  async (app, { sandbox }) => {
    const base = app.prefix;
    // Held connections end with the server: closing never waits out a hang.
    interface Held {
      timer: NodeJS.Timeout;
      request: FastifyRequest;
      reply: FastifyReply;
    }
    const held = new Set<Held>();
    // A held connection is closed unanswered; the request log (when on) still keeps the request.
    function close(h: Held): void {
      held.delete(h);
      app.logUnanswered?.(h.request, h.reply);
      h.request.raw.destroy();
    }
    app.decorateRequest('injectedRule', null);
    app.addHook('preClose', (done) => {
      for (const h of held) {
        clearTimeout(h.timer);
        close(h);
      }
      done();
    });

    function apply(request: FastifyRequest, reply: FastifyReply, decision: FaultDecision, done: (err?: Error) => void): void {
      if (decision.answer) {
        const { ruleId, status, retryAfterS } = decision.answer;
        request.log.info({ sandboxRule: ruleId, status }, 'sandbox fault answered in place of the request');
        return done(new InjectedFaultError(ruleId, status, retryAfterS));
      }
      if (decision.hang) {
        const { ruleId, seconds } = decision.hang;
        request.log.info({ sandboxRule: ruleId, seconds }, 'sandbox fault holding the connection');
        reply.hijack();
        const entry = {
          request,
          reply,
          timer: setTimeout(() => close(entry), seconds * 1000),
        };
        held.add(entry);
        return;
      }
      done();
    }

    app.addHook('onRequest', (request, reply, done) => {
      const { sandbox: document, sandboxAt, companyId } = request.auth;
      if (document === null) return done();
      const url = request.url;
      const q = url.indexOf('?');
      const target = {
        method: request.method,
        path: url.slice(base.length, q === -1 ? undefined : q) || '/',
        operationId: (request.routeOptions.schema as { operationId?: string } | undefined)?.operationId,
      };
      const decision = sandbox.faultsFor(companyId, document, sandboxAt ?? 0, target);
      if (!decision) return done();
      const rules = [
        ...decision.latencyRules,
        ...(decision.answer ? [decision.answer.ruleId] : decision.hang ? [decision.hang.ruleId] : []),
      ];
      request.injectedRule = rules.join(',');
      if (decision.latencyRules.length) reply.header('x-casa-injected', decision.latencyRules.join(','));
      if (decision.latencyMs > 0) setTimeout(() => apply(request, reply, decision, done), decision.latencyMs);
      else apply(request, reply, decision, done);
    });
  },
  { name: 'sandbox-faults', dependencies: ['api-key-auth'] },
);
