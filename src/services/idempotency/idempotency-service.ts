// Idempotency-Key: the first answer to a POST is kept 24 h per company and key and replayed for a
// repeat of the same request; a different request under the same key, or a repeat while the first
// is still running, is a 409. An answer that holds a secret (a GoToScan link's token) is kept
// sealed: AES-256-GCM under a key derived from the caller's API key, which the database holds only
// as a hash, so the stored row alone gives no usable link; the replay opens it and is byte-identical.
import crypto from 'node:crypto';
import { isUniqueViolation } from '../../db/dialect.js';
import { ConflictError } from '../../errors.js';
import type { ServiceDeps } from '../deps.js';
import { idempotencyRepo } from './idempotency-repo.js';

export const IDEMPOTENCY_TTL_US = 24 * 3600 * 1e6;
/** A claim with no answer after this long belongs to a request that died (crash, lost connection). */
export const ABANDONED_CLAIM_US = 5 * 60 * 1e6;

export interface IdempotentRequest {
  companyId: string;
  key: string;
  /** Fingerprint of method, URL and body: see `requestFingerprint`. */
  fingerprint: string;
  /** The caller's API key when the answer holds a secret: the kept answer is sealed with it. Null otherwise. */
  sealWith: string | null;
}

export type ClaimResult =
  { kind: 'claimed'; createdAt: number } | { kind: 'replay'; statusCode: number; body: string; contentType: string | null };

/** Text written as is between the values of `canonicalJson`'s walk. */
class Literal {
  constructor(readonly text: string) {}
}

/**
 * JSON with object keys sorted, so the same body in another key order is the same request. Walked
 * with a stack of its own rather than by recursion, so no body, however deep, overflows the call stack.
 */
function canonicalJson(root: unknown): string {
  const parts: string[] = [];
  const todo: unknown[] = [root];
  while (todo.length) {
    const value = todo.pop();
    if (value instanceof Literal) parts.push(value.text);
    else if (Array.isArray(value)) {
      parts.push('[');
      todo.push(new Literal(']'));
      for (let i = value.length - 1; i >= 0; i--) {
        todo.push(value[i]);
        if (i > 0) todo.push(new Literal(','));
      }
    } else if (value && typeof value === 'object') {
      const keys = Object.keys(value).sort();
      parts.push('{');
      todo.push(new Literal('}'));
      for (let i = keys.length - 1; i >= 0; i--) {
        todo.push((value as Record<string, unknown>)[keys[i]!], new Literal(`${JSON.stringify(keys[i])}:`));
        if (i > 0) todo.push(new Literal(','));
      }
    } else parts.push(JSON.stringify(value) ?? 'null');
  }
  return parts.join('');
}

const SEAL_IV_BYTES = 12;
const SEAL_TAG_BYTES = 16;

/** The sealing key of one kept answer: the API key stretched per company and Idempotency-Key. */
function sealingKey(req: IdempotentRequest, apiKey: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', apiKey, req.companyId, `casa-integrate idempotent answer\n${req.key}`, 32));
}

/** `body` encrypted and authenticated (bound to the request's fingerprint), as base64 of iv, tag, ciphertext. */
function seal(req: IdempotentRequest, apiKey: string, body: string): string {
  const iv = crypto.randomBytes(SEAL_IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', sealingKey(req, apiKey), iv).setAAD(Buffer.from(req.fingerprint));
  const text = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), text]).toString('base64');
}

/** The body `seal` kept, or null when `apiKey` is not the one that sealed it. */
function unseal(req: IdempotentRequest, apiKey: string, sealed: string): string | null {
  const raw = Buffer.from(sealed, 'base64');
  try {
    const decipher = crypto
      .createDecipheriv('aes-256-gcm', sealingKey(req, apiKey), raw.subarray(0, SEAL_IV_BYTES))
      .setAAD(Buffer.from(req.fingerprint))
      .setAuthTag(raw.subarray(SEAL_IV_BYTES, SEAL_IV_BYTES + SEAL_TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(SEAL_IV_BYTES + SEAL_TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

export function requestFingerprint(method: string, url: string, body: unknown): string {
  return crypto
    .createHash('sha256')
    .update(`${method} ${url}\n${canonicalJson(body)}`)
    .digest('hex');
}

export function idempotencyServiceFactory({ db, clock }: Pick<ServiceDeps, 'db' | 'clock'>) {
  return {
    /** Claims the key for this request, or answers the stored response to replay; 409 otherwise. */
    async claim(req: IdempotentRequest): Promise<ClaimResult> {
      const keys = idempotencyRepo.forCompany(req.companyId);
      for (let attempt = 0; attempt < 3; attempt++) {
        const now = clock.nowUs();
        try {
          await keys.insert(db, {
            idem_key: req.key,
            request_hash: req.fingerprint,
            status_code: null,
            response_body: null,
            content_type: null,
            created_at: now,
            sealed: 0,
          });
          return { kind: 'claimed', createdAt: now };
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
        }
        const row = await keys.find(db, req.key);
        if (!row) continue; // released in between: claim again
        const expired = row.created_at <= now - IDEMPOTENCY_TTL_US;
        const abandoned = row.status_code === null && row.created_at <= now - ABANDONED_CLAIM_US;
        if (expired || abandoned) {
          await keys.deleteIfCreatedAt(db, req.key, row.created_at);
          continue;
        }
        if (row.request_hash !== req.fingerprint) {
          throw new ConflictError('This Idempotency-Key was already used for a different request.');
        }
        if (row.status_code === null) {
          throw new ConflictError('A request with this Idempotency-Key is still in progress; retry later.');
        }
        let body = row.response_body ?? '';
        if (row.sealed) {
          const opened = req.sealWith === null ? null : unseal(req, req.sealWith, body);
          if (opened === null)
            throw new ConflictError(
              'This Idempotency-Key was used with another API key; its answer is replayed only to the key that sent it.',
            );
          body = opened;
        }
        return { kind: 'replay', statusCode: row.status_code, body, contentType: row.content_type };
      }
      throw new ConflictError('A request with this Idempotency-Key is still in progress; retry later.');
    },

    /** Stores the decision (2xx and 4xx) for replay. */
    async complete(
      req: IdempotentRequest,
      createdAt: number,
      response: { statusCode: number; body: string; contentType: string | null },
    ): Promise<void> {
      await idempotencyRepo.forCompany(req.companyId).complete(db, req.key, createdAt, {
        status_code: response.statusCode,
        response_body: req.sealWith === null ? response.body : seal(req, req.sealWith, response.body),
        content_type: response.contentType,
        sealed: req.sealWith === null ? 0 : 1,
      });
    },

    /** Frees the key so a retry runs again (after a 5xx or a request that never answered). */
    async release(req: IdempotentRequest, createdAt: number): Promise<void> {
      await idempotencyRepo.forCompany(req.companyId).deleteIfCreatedAt(db, req.key, createdAt);
    },

    /** Drops answers older than 24 h. */
    async purgeExpired(): Promise<number> {
      return idempotencyRepo.system.deleteOlderThan(db, clock.nowUs() - IDEMPOTENCY_TTL_US);
    },
  };
}

export type IdempotencyService = ReturnType<typeof idempotencyServiceFactory>;
