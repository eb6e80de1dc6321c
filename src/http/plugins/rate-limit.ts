// Per api-key token bucket (CONTRACT §1): `rateLimitPerSecond` tokens a second, up to
// `rateLimitBurst` saved up. Runs through @fastify/rate-limit with a token-bucket store: in
// process memory, or in Redis (one atomic Lua script) when REDIS_URL is set, so that every API
// process shares one bucket per key.
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.js';
import type { Clock } from '../../domain/clock.js';
import { TooManyRequestsError } from '../../errors.js';

export interface BucketLimits {
  perSecond: number;
  burst: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Tokens left after this request. */
  tokens: number;
}

/** Where buckets live. `nowMs` comes from the app's clock, so tests control refills. */
export interface BucketStore {
  take(key: string, nowMs: number, limits: BucketLimits): Promise<TakeResult>;
  close(): Promise<void>;
}

const MAX_LOCAL_BUCKETS = 100_000;

export function memoryBucketStore(): BucketStore {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    async take(key, nowMs, { perSecond, burst }) {
      const prev = buckets.get(key);
      let tokens = burst;
      if (prev) {
        tokens = Math.min(burst, prev.tokens + (Math.max(0, nowMs - prev.at) * perSecond) / 1000);
        buckets.delete(key); // re-inserted below: the Map keeps least recently used first
      } else if (buckets.size >= MAX_LOCAL_BUCKETS) {
        buckets.delete(buckets.keys().next().value!); // a forgotten bucket is a full one
      }
      const allowed = tokens >= 1;
      if (allowed) tokens -= 1;
      buckets.set(key, { tokens, at: prev ? Math.max(prev.at, nowMs) : nowMs });
      return { allowed, tokens };
    },
    async close() {
      buckets.clear();
    },
  };
}

// KEYS[1] bucket; ARGV: tokens per ms, burst, now (ms). A hash {t: tokens, ts: last refill}.
const TAKE_SCRIPT = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
elseif now > ts then
  tokens = math.min(burst, tokens + (now - ts) * rate)
  ts = now
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
-- %.17g: Lua's tostring keeps only 14 digits, too few for epoch milliseconds with a fraction.
redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'ts', string.format('%.17g', ts))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
return {allowed, string.format('%.17g', tokens)}
`;

type RedisWithTake = Redis & { casaTakeToken(key: string, rate: string, burst: string, now: string): Promise<[number, string]> };

export async function redisBucketStore(url: string, prefix = 'casa:rl:'): Promise<BucketStore> {
  // Loaded only when Redis is configured, not by every process.
  const { Redis } = await import('ioredis');
  // One retry, then the request fails open (see skipOnError below) instead of waiting on reconnects.
  const redis = new Redis(url, { maxRetriesPerRequest: 1 }) as RedisWithTake;
  redis.on('error', () => {}); // reported per request through the store's rejection
  redis.defineCommand('casaTakeToken', { numberOfKeys: 1, lua: TAKE_SCRIPT });
  return {
    async take(key, nowMs, { perSecond, burst }) {
      const [allowed, tokens] = await redis.casaTakeToken(`${prefix}${key}`, String(perSecond / 1000), String(burst), String(nowMs));
      return { allowed: allowed === 1, tokens: Number(tokens) };
    },
    async close() {
      redis.disconnect();
    },
  };
}

/**
 * Adapts a bucket store to @fastify/rate-limit's store interface, which counts requests against
 * `max` (here the burst): an allowed request reports the tokens left as `max - current` and the
 * time until the bucket is full as `ttl`; a refused one reports `max + 1` and the time until the
 * next token, which becomes `Retry-After`.
 */
function pluginStore(store: BucketStore, clock: Clock, limits: BucketLimits, log: FastifyBaseLogger) {
  return class TokenBucketStore {
    incr(key: string, cb: (err: Error | null, res?: { current: number; ttl: number }) => void): void {
      store.take(key, clock.nowUs() / 1000, limits).then(
        ({ allowed, tokens }) => {
          const msPerToken = 1000 / limits.perSecond;
          if (!allowed) cb(null, { current: limits.burst + 1, ttl: Math.max(1, (1 - tokens) * msPerToken) });
          else cb(null, { current: limits.burst - Math.floor(tokens), ttl: (limits.burst - tokens) * msPerToken });
        },
        (err: Error) => {
          log.warn({ err: err.message }, 'rate-limit store unavailable; request let through');
          cb(err);
        },
      );
    }
    child(): TokenBucketStore {
      return this;
    }
  };
}

export interface RateLimitOptions {
  config: Pick<Config, 'rateLimitPerSecond' | 'rateLimitBurst' | 'redisUrl'>;
  clock: Clock;
  /** Redis key prefix; tests give each run its own. */
  redisPrefix?: string;
}

/** Register inside the api-key scope, after the key check: buckets are keyed by the key's id. */
export const apiKeyRateLimit = fp<RateLimitOptions>(
  async (app, { config, clock, redisPrefix }) => {
    const limits = { perSecond: config.rateLimitPerSecond, burst: config.rateLimitBurst };
    const store = config.redisUrl ? await redisBucketStore(config.redisUrl, redisPrefix) : memoryBucketStore();
    app.addHook('onClose', async () => store.close());
    await app.register(rateLimit, {
      global: true,
      hook: 'onRequest',
      max: limits.burst,
      timeWindow: Math.ceil((limits.burst / limits.perSecond) * 1000),
      store: pluginStore(store, clock, limits, app.log),
      keyGenerator: (request) => request.auth.keyId,
      // A Redis outage must not take the API down with it: the request passes, and the log says so.
      skipOnError: true,
      errorResponseBuilder: (_request, context) => new TooManyRequestsError(context.ttl / 1000),
    });
  },
  { name: 'api-key-rate-limit', dependencies: ['api-key-auth'] },
);
