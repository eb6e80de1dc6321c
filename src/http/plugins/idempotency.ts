// `Idempotency-Key` on customer POSTs: the first answer (2xx or 4xx) is kept and replayed; a 5xx
// frees the key so the retry runs again. Runs after the key check and body validation, so a
// request the schema refuses claims nothing and the corrected retry may reuse the key.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../domain/clock.js';
import { requestFingerprint, type IdempotencyService, type IdempotentRequest } from '../../services/idempotency/idempotency-service.js';
import { BadRequestError } from '../../errors.js';

interface Claim {
  request: IdempotentRequest;
  createdAt: number;
  settled: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyClaim: Claim | null;
  }
  interface FastifyContextConfig {
    /** The route's answer holds a secret (a link token): its kept answer is sealed with the caller's API key. */
    answerHoldsSecret?: boolean;
  }
}

const MAX_KEY_LENGTH = 255;
const PURGE_EVERY_US = 3600 * 1e6;

function isStoredDecision(status: number): boolean {
  return (status >= 200 && status < 300) || (status >= 400 && status < 500);
}

export const idempotencyKeys = fp<{ idempotency: IdempotencyService; clock: Clock }>(
  async (app, { idempotency, clock }) => {
    let lastPurge = 0;
    app.decorateRequest('idempotencyClaim', null);

    /** Claims the key, or replays the kept answer (then true: the reply is sent). */
    async function claimOrReplay(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
      const header = request.headers['idempotency-key']!;
      const key = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
      if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
        throw new BadRequestError(`Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters.`);
      }
      const now = clock.nowUs();
      if (now - lastPurge > PURGE_EVERY_US) {
        lastPurge = now;
        idempotency.purgeExpired().catch((err: Error) => request.log.warn({ err: err.message }, 'purging idempotency keys failed'));
      }
      const apiKey = request.headers['api-key'];
      const idem: IdempotentRequest = {
        companyId: request.auth.companyId,
        key,
        fingerprint: requestFingerprint(request.method, request.url, request.body ?? null),
        sealWith: request.routeOptions.config.answerHoldsSecret ? String(Array.isArray(apiKey) ? apiKey[0] : apiKey) : null,
      };
      const result = await idempotency.claim(idem);
      if (result.kind === 'replay') {
        reply.code(result.statusCode).header('idempotent-replayed', 'true');
        if (result.contentType) reply.header('content-type', result.contentType);
        reply.send(result.body);
        return true;
      }
      request.idempotencyClaim = { request: idem, createdAt: result.createdAt, settled: false };
      return false;
    }

    async function settle(request: FastifyRequest, reply: FastifyReply, claim: Claim, payload: unknown): Promise<void> {
      claim.settled = true;
      const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
      try {
        if (body !== null && isStoredDecision(reply.statusCode)) {
          const contentType = reply.getHeader('content-type');
          await idempotency.complete(claim.request, claim.createdAt, {
            statusCode: reply.statusCode,
            body,
            contentType: contentType === undefined ? null : String(contentType),
          });
        } else {
          await idempotency.release(claim.request, claim.createdAt);
        }
      } catch (err) {
        request.log.error({ err: (err as Error).message }, 'storing the idempotent answer failed');
        await idempotency.release(claim.request, claim.createdAt).catch(() => {});
      }
    }

    // Callback-style hooks: every request passes them and almost all return at once, with no promise.
    app.addHook('preHandler', (request, reply, done) => {
      if (request.method !== 'POST' || request.headers['idempotency-key'] === undefined) return done();
      // Multipart uploads are streamed by their handler: there is no body to compare, so no replay.
      if (String(request.headers['content-type'] ?? '').startsWith('multipart/')) return done();
      claimOrReplay(request, reply).then((replied) => {
        if (!replied) done();
      }, done);
    });

    app.addHook('onSend', (request, reply, payload, done) => {
      const claim = request.idempotencyClaim;
      if (!claim || claim.settled) return done(null, payload);
      settle(request, reply, claim, payload).then(() => done(null, payload));
    });

    // A request that never reached onSend (connection lost, hook error) must not hold its key.
    app.addHook('onResponse', (request, _reply, done) => {
      const claim = request.idempotencyClaim;
      if (!claim || claim.settled) return done();
      claim.settled = true;
      idempotency.release(claim.request, claim.createdAt).then(
        () => done(),
        () => done(),
      );
    });
  },
  { name: 'idempotency-keys', dependencies: ['api-key-auth'] },
);
