// Timeouts and retries, against the real server behind a real proxy that fails on purpose.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  CasaClient,
  CasaNetworkError,
  CasaRateLimitError,
  CasaServerError,
  CasaTimeoutError,
  parseRetryAfter,
  retryDelayMs,
} from '../../packages/client/src/index.js';
import { freePort, startFaultyProxy, startServer } from './harness.js';

/** A sleep that records what the client asked for and returns at once. */
function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

async function setup(t: import('node:test').TestContext) {
  const server = await startServer(t);
  const company = await server.createCompany();
  const proxy = await startFaultyProxy(t, server.origin);
  const { waits, sleep } = recordingSleep();
  const client = new CasaClient({ apiKey: company.apiKey, baseUrl: proxy.baseUrl, sleep, random: () => 0.5 });
  return { server, company, proxy, waits, client };
}

async function officeNames(client: CasaClient): Promise<string[]> {
  const names = [];
  for await (const office of client.paginate(client.listOffices)) names.push(office.name);
  return names;
}

describe('client retries', () => {
  it('repeats a GET after 503 and 500, waiting Retry-After when given and backing off otherwise', async (t) => {
    const { proxy, waits, client, company } = await setup(t);
    proxy.faults.push({ kind: 'status', status: 503, headers: { 'retry-after': '2' } }, { kind: 'status', status: 500 });
    const info = await client.getCompanyInfo();
    assert.equal(info.id, company.id);
    assert.deepEqual(proxy.seen, [
      'GET /api/integrate/v3/companies/info',
      'GET /api/integrate/v3/companies/info',
      'GET /api/integrate/v3/companies/info',
    ]);
    // Retry-After: 2 → 2 s; then the second backoff step, 600 ms ceiling with half jitter at random 0.5.
    assert.deepEqual(waits, [2000, 450]);
  });

  it('gives up after the configured retries with a CasaServerError carrying the last answer', async (t) => {
    const { proxy, waits, client } = await setup(t);
    proxy.faults.push(
      ...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 502, body: JSON.stringify({ message: 'Upstream down.' }) })),
    );
    const err = await client.listOffices().then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof CasaServerError);
    assert.deepEqual([err.status, err.body, err.method], [502, { message: 'Upstream down.' }, 'GET']);
    assert.equal(proxy.seen.length, 3);
    assert.deepEqual(waits, [225, 450]);
  });

  it('does not wait out a Retry-After longer than maxRetryAfterMs: the 429 goes to the caller', async (t) => {
    const { proxy, waits, client } = await setup(t);
    proxy.faults.push({
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '120' },
      body: JSON.stringify({ message: 'Too many requests; slow down and retry later.' }),
    });
    const err = await client.getCompanyPackage().catch((e: unknown) => e);
    assert.ok(err instanceof CasaRateLimitError);
    assert.equal(err.retryAfterS, 120);
    assert.deepEqual([proxy.seen.length, waits], [1, []]);
  });

  it('never repeats a POST without an Idempotency-Key', async (t) => {
    const { proxy, waits, client } = await setup(t);
    proxy.faults.push({ kind: 'forward-then-status', status: 502 });
    const err = await client.createOffice({ name: 'Sent once' }).catch((e: unknown) => e);
    assert.ok(err instanceof CasaServerError);
    assert.deepEqual([proxy.seen, waits], [['POST /api/integrate/v3/offices'], []]);
    // The server did the work; the client did not guess and send it again.
    assert.deepEqual(await officeNames(client), ['Sent once', 'Main office']);
  });

  it('repeats a POST with an Idempotency-Key, and the server replays the first answer instead of working twice', async (t) => {
    const { proxy, waits, client } = await setup(t);
    proxy.faults.push({ kind: 'forward-then-status', status: 502 });
    const key = crypto.randomUUID();
    const office = await client.createOffice({ name: 'Exactly once' }, { idempotencyKey: key });
    assert.equal(office.name, 'Exactly once');
    assert.deepEqual(proxy.seen, ['POST /api/integrate/v3/offices', 'POST /api/integrate/v3/offices']);
    assert.equal(waits.length, 1);
    const names = await officeNames(client);
    assert.deepEqual(names, ['Exactly once', 'Main office']);
    const again = await client.createOffice({ name: 'Exactly once' }, { idempotencyKey: key });
    assert.deepEqual(again, office, 'a later repeat gets the stored answer too');
  });

  it('times out a stalled call: CasaTimeoutError without retries, success on the retry otherwise', async (t) => {
    const { proxy, client, company } = await setup(t);
    proxy.faults.push({ kind: 'delay', ms: 5_000 });
    const err = await client.getCompanyInfo({ timeoutMs: 200, retries: 0 }).catch((e: unknown) => e);
    assert.ok(err instanceof CasaTimeoutError, String(err));
    assert.deepEqual([err.method, err.timeoutMs], ['GET', 200]);

    proxy.faults.push({ kind: 'delay', ms: 5_000 });
    const info = await client.getCompanyInfo({ timeoutMs: 1_000, retries: 1 });
    assert.equal(info.id, company.id);
  });

  it('reports an unreachable server as CasaNetworkError after its retries', async () => {
    const { waits, sleep } = recordingSleep();
    const closed = await freePort();
    const client = new CasaClient({ apiKey: 'casa_x', baseUrl: `http://127.0.0.1:${closed}/api/integrate/v3`, sleep, random: () => 0 });
    const err = await client.listUsers().catch((e: unknown) => e);
    assert.ok(err instanceof CasaNetworkError, String(err));
    assert.match(err.url, new RegExp(`^http://127\\.0\\.0\\.1:${closed}/api/integrate/v3/users`));
    assert.deepEqual(waits, [150, 300]);
  });

  it('stops waiting when the caller aborts', async (t) => {
    const { proxy, company } = await setup(t);
    proxy.faults.push({ kind: 'status', status: 503, headers: { 'retry-after': '30' } });
    const client = new CasaClient({ apiKey: company.apiKey, baseUrl: proxy.baseUrl });
    const controller = new AbortController();
    const pending = client.getCompanyInfo({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, (err: Error) => err.name === 'AbortError');
    assert.equal(proxy.seen.length, 1);
  });
});

describe('client and the server rate limit', () => {
  it('waits the Retry-After of a real 429 and then succeeds', async (t) => {
    const server = await startServer(t, { rateLimitPerSecond: 1, rateLimitBurst: 2 });
    const company = await server.createCompany();
    const waits: number[] = [];
    // The server's clock is a test clock: the client's wait moves it, as real time would.
    const sleep = async (ms: number) => {
      waits.push(ms);
      server.clock.advanceSeconds(ms / 1000);
    };
    const client = new CasaClient({ apiKey: company.apiKey, baseUrl: server.baseUrl, sleep });
    await client.getCompanyInfo();
    await client.getCompanyInfo();
    assert.equal((await client.getCompanyInfo()).id, company.id);
    assert.deepEqual(waits, [1000]);

    const impatient = new CasaClient({ apiKey: company.apiKey, baseUrl: server.baseUrl, retries: 0 });
    const err = await impatient.listOffices().catch((e: unknown) => e);
    assert.ok(err instanceof CasaRateLimitError);
    assert.deepEqual([err.status, err.body, err.retryAfterS], [429, { message: 'Too many requests; slow down and retry later.' }, 1]);
  });
});

describe('retry schedule', () => {
  const options = { retries: 5, minDelayMs: 300, maxDelayMs: 2_000, maxRetryAfterMs: 60_000 };
  it('doubles with half jitter up to the cap, and takes Retry-After as given up to its limit', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((n) => retryDelayMs(n, null, options, () => 0)),
      [150, 300, 600, 1000, 1000],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((n) => retryDelayMs(n, null, options, () => 0.999999)),
      [300, 600, 1200, 2000, 2000],
    );
    assert.equal(
      retryDelayMs(0, 3, options, () => 0),
      3000,
    );
    assert.equal(
      retryDelayMs(0, 61, options, () => 0),
      null,
    );
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    assert.equal(parseRetryAfter('7', now), 7);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 12:00:30 GMT', now), 30);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter(null, now), null);
  });
});
