// One HTTP attempt of a webhook with undici: bounded connect and response times, no redirects
// followed, the SSRF guard on every new connection, and the first 1 KiB of the answer kept.
import { Agent, request } from 'undici';
import { AddressRefusedError, guardedLookup, literalRefusal } from './address-guard.js';

export const EXCERPT_BYTES = 1024;
const MAX_DRAIN_BYTES = 64 * 1024;

export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  excerpt: string | null;
  /** Seconds asked for by a 429/503 `Retry-After`, or null. */
  retryAfterS: number | null;
}

export interface WebhookSender {
  send(url: string, headers: Record<string, string>, body: string): Promise<AttemptOutcome>;
  close(): Promise<void>;
}

/** `Retry-After` as delta-seconds or an HTTP date, relative to `nowMs`. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return null;
  if (/^\s*\d+\s*$/.test(raw)) return Number(raw);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as { code?: string; message?: string; cause?: unknown };
  if (err instanceof AddressRefusedError) return err.message;
  if (e?.cause instanceof AddressRefusedError) return e.cause.message;
  if ((err as Error)?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  switch (e?.code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `connect timeout after ${timeoutMs} ms`;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `no answer within ${timeoutMs} ms`;
    default:
      return [e?.code, e?.message].filter(Boolean).join(': ') || String(err);
  }
}

export function createWebhookSender(opts: {
  timeoutMs: number;
  allowPrivate: boolean;
  connections?: number;
  nowMs?: () => number;
}): WebhookSender {
  const agent = new Agent({
    connect: { timeout: opts.timeoutMs, lookup: guardedLookup(opts.allowPrivate) } as never,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connections: opts.connections ?? 32,
    keepAliveTimeout: 4_000,
  });
  const nowMs = opts.nowMs ?? Date.now;

  return {
    async send(url, headers, body) {
      const started = performance.now();
      const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return { statusCode: null, error: 'invalid URL', latencyMs: 0, excerpt: null, retryAfterS: null };
      }
      const refused = literalRefusal(parsed.hostname, opts.allowPrivate);
      if (refused) return { statusCode: null, error: refused.message, latencyMs: 0, excerpt: null, retryAfterS: null };
      try {
        // undici's own timers tick at about one second; this deadline (connect + answer) is exact.
        const signal = AbortSignal.timeout(opts.timeoutMs * 2);
        const res = await request(parsed, { method: 'POST', headers, body, dispatcher: agent, signal });
        const kept: Buffer[] = [];
        let keptBytes = 0;
        let total = 0;
        try {
          for await (const chunk of res.body as AsyncIterable<Buffer>) {
            if (keptBytes < EXCERPT_BYTES) {
              const part = chunk.subarray(0, EXCERPT_BYTES - keptBytes);
              kept.push(part);
              keptBytes += part.length;
            }
            total += chunk.length;
            if (total > MAX_DRAIN_BYTES) break; // leaving the loop destroys the stream
          }
        } catch {
          // The status line is the answer; a body cut short only shortens the excerpt.
        }
        const retryAfterS = res.statusCode === 429 || res.statusCode === 503 ? parseRetryAfter(res.headers['retry-after'], nowMs()) : null;
        return {
          statusCode: res.statusCode,
          error: null,
          latencyMs: elapsed(),
          excerpt: Buffer.concat(kept).toString('utf8'),
          retryAfterS,
        };
      } catch (err) {
        return { statusCode: null, error: describe(err, opts.timeoutMs), latencyMs: elapsed(), excerpt: null, retryAfterS: null };
      }
    },

    async close() {
      await agent.close();
    },
  };
}
