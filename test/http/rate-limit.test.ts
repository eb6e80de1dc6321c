// Needs Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379): checked first, so a missing one fails at once.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { TEST_REDIS_URL, requireRedis } from '../helpers/services.js';
import { memoryBucketStore, redisBucketStore, type BucketStore } from '../../src/http/plugins/rate-limit.js';

const REDIS_URL = TEST_REDIS_URL;

before(() => requireRedis());
const INFO = '/api/integrate/v3/companies/info';

function get(ctx: TestApp, apiKey: string) {
  return ctx.inject({ method: 'GET', url: INFO, headers: { 'api-key': apiKey } });
}

async function removeKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}

/** The behaviour every deployment shows, run once on each store. */
function behaviour(label: string, overrides: () => Record<string, unknown>) {
  describe(`per api-key token bucket (${label})`, () => {
    it('lets a burst through, then answers 429 with Retry-After until tokens come back', async (t) => {
      const ctx = await buildTestApp(t, { rateLimitPerSecond: 2, rateLimitBurst: 3, ...overrides() });
      const company = await ctx.createCompany();
      for (let i = 0; i < 3; i++) {
        const ok = await get(ctx, company.apiKey);
        assert.equal(ok.statusCode, 200, `request ${i + 1} of the burst`);
        assert.equal(ok.headers['x-ratelimit-limit'], '3');
        assert.equal(ok.headers['x-ratelimit-remaining'], String(2 - i));
      }
      const limited = await get(ctx, company.apiKey);
      assert.equal(limited.statusCode, 429);
      assert.deepEqual(limited.json(), { message: 'Too many requests; slow down and retry later.' });
      assert.equal(limited.headers['retry-after'], '1');
      assert.ok(limited.headers['x-request-id']);

      ctx.clock.advanceSeconds(0.5); // one token at 2/s
      assert.equal((await get(ctx, company.apiKey)).statusCode, 200);
      assert.equal((await get(ctx, company.apiKey)).statusCode, 429);

      ctx.clock.advanceSeconds(3600); // a long pause refills to the burst, not beyond
      for (let i = 0; i < 3; i++) assert.equal((await get(ctx, company.apiKey)).statusCode, 200);
      assert.equal((await get(ctx, company.apiKey)).statusCode, 429);
    });

    it('keeps one bucket per key: another key, even of the same company, is not affected', async (t) => {
      const ctx = await buildTestApp(t, { rateLimitPerSecond: 1, rateLimitBurst: 1, ...overrides() });
      const company = await ctx.createCompany();
      const second = (
        await ctx.inject({ method: 'POST', url: `/admin/v1/companies/${company.id}/api-keys`, headers: ctx.adminHeaders })
      ).json();
      const other = await ctx.createCompany();
      assert.equal((await get(ctx, company.apiKey)).statusCode, 200);
      assert.equal((await get(ctx, company.apiKey)).statusCode, 429);
      assert.equal((await get(ctx, second.api_key)).statusCode, 200);
      assert.equal((await get(ctx, other.apiKey)).statusCode, 200);
      // Operator and health routes are outside the customer limit.
      for (let i = 0; i < 3; i++) {
        assert.equal((await ctx.inject({ method: 'GET', url: '/admin/v1/companies', headers: ctx.adminHeaders })).statusCode, 200);
        assert.equal((await ctx.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      }
    });

    it('says how long to wait when tokens come slowly', async (t) => {
      const ctx = await buildTestApp(t, { rateLimitPerSecond: 0.1, rateLimitBurst: 1, ...overrides() });
      const company = await ctx.createCompany();
      assert.equal((await get(ctx, company.apiKey)).statusCode, 200);
      const limited = await get(ctx, company.apiKey);
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.headers['retry-after'], '10');
      ctx.clock.advanceSeconds(4);
      assert.equal((await get(ctx, company.apiKey)).headers['retry-after'], '6');
      ctx.clock.advanceSeconds(6);
      assert.equal((await get(ctx, company.apiKey)).statusCode, 200);
    });

    it('does not spend tokens on requests without a valid key', async (t) => {
      const ctx = await buildTestApp(t, { rateLimitPerSecond: 1, rateLimitBurst: 1, ...overrides() });
      const company = await ctx.createCompany();
      for (let i = 0; i < 5; i++) assert.equal((await get(ctx, 'casa_wrong')).statusCode, 401);
      assert.equal((await get(ctx, company.apiKey)).statusCode, 200);
    });
  });
}

behaviour('in memory', () => ({ redisUrl: null }));
behaviour('Redis', () => ({ redisUrl: REDIS_URL }));

describe('bucket stores', () => {
  const limits = { perSecond: 10, burst: 2 };

  async function sharedBucket(a: BucketStore, b: BucketStore) {
    const key = crypto.randomUUID();
    assert.deepEqual(await a.take(key, 1000, limits), { allowed: true, tokens: 1 });
    assert.deepEqual(await b.take(key, 1000, limits), { allowed: true, tokens: 0 });
    assert.equal((await a.take(key, 1000, limits)).allowed, false);
    const later = await b.take(key, 1150, limits); // 1.5 tokens back, one spent
    assert.equal(later.allowed, true);
    assert.ok(Math.abs(later.tokens - 0.5) < 1e-9, `tokens ${later.tokens}`);
  }

  it('Redis: two processes share one bucket per key, atomically', async (t) => {
    const prefix = `casa:test:${crypto.randomUUID()}:`;
    const a = await redisBucketStore(REDIS_URL, prefix);
    const b = await redisBucketStore(REDIS_URL, prefix);
    t.after(async () => {
      await a.close();
      await b.close();
      await removeKeys(prefix);
    });
    await sharedBucket(a, b);

    // 50 concurrent takes on a bucket of 20 with no refill: exactly 20 pass.
    const key = crypto.randomUUID();
    const many = { perSecond: 1, burst: 20 };
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).take(key, 5000, many)));
    assert.equal(results.filter((r) => r.allowed).length, 20);

    const redis = new Redis(REDIS_URL);
    t.after(() => redis.disconnect());
    const ttl = await redis.pttl(`${prefix}${key}`);
    assert.ok(ttl > 0, 'idle buckets expire from Redis');
  });

  it('memory: one bucket per key within the process', async () => {
    const store = memoryBucketStore();
    await sharedBucket(store, store);
  });
});
