import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { buildTestApp, dialectName, type TestApp, type TestCompany } from '../helpers/app.js';
import { requestFingerprint } from '../../src/services/idempotency/idempotency-service.js';
import { sha256Hex } from '../../src/domain/clock.js';
import { dumpTables } from '../security/db-helpers.js';

const OFFICES = '/api/integrate/v3/offices';

function postOffice(ctx: TestApp, company: TestCompany, payload: unknown, key?: string) {
  return ctx.inject({
    method: 'POST',
    url: OFFICES,
    headers: { ...company.headers, ...(key ? { 'idempotency-key': key } : {}) },
    payload: payload as object,
  });
}

async function officeNames(ctx: TestApp, company: TestCompany): Promise<string[]> {
  const res = await ctx.inject({ method: 'GET', url: `${OFFICES}?limit=100`, headers: company.headers });
  return res
    .json()
    .items.map((o: { name: string }) => o.name)
    .sort();
}

async function storedKeys(ctx: TestApp): Promise<number> {
  return (await ctx.storage.db.selectFrom('idempotency_keys').select('idem_key').execute()).length;
}

describe('Idempotency-Key on POST', () => {
  it('replays the first answer for a repeat with the same body and writes nothing new', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const first = await postOffice(ctx, company, { name: 'Helsinki' }, 'key-1');
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    ctx.clock.advanceSeconds(3600);
    const again = await postOffice(ctx, company, { name: 'Helsinki' }, 'key-1');
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json(), first.json());
    assert.equal(again.body, first.body, 'the very same bytes');
    assert.match(String(again.headers['content-type']), /^application\/json/);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.ok(again.headers['x-request-id']);
    assert.deepEqual(await officeNames(ctx, company), ['Helsinki', 'Main office']);
    assert.equal(await storedKeys(ctx), 1);
  });

  it('treats the same body in another key order as the same request', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const first = await ctx.inject({
      method: 'POST',
      url: OFFICES,
      headers: { ...company.headers, 'idempotency-key': 'k', 'content-type': 'application/json' },
      payload: '{"name":"Oulu","extra":1}',
    });
    const again = await ctx.inject({
      method: 'POST',
      url: OFFICES,
      headers: { ...company.headers, 'idempotency-key': 'k', 'content-type': 'application/json' },
      payload: '{ "extra": 1, "name": "Oulu" }',
    });
    assert.equal(again.statusCode, 200);
    assert.equal(again.body, first.body);
    assert.deepEqual(await officeNames(ctx, company), ['Main office', 'Oulu']);
  });

  it('answers 409 for the same key with a different body and changes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    await postOffice(ctx, company, { name: 'Helsinki' }, 'key-1');
    const other = await postOffice(ctx, company, { name: 'Tampere' }, 'key-1');
    assert.equal(other.statusCode, 409);
    assert.deepEqual(other.json(), { message: 'This Idempotency-Key was already used for a different request.' });
    const otherEndpoint = await ctx.inject({
      method: 'POST',
      url: '/api/integrate/v3/companies/merge-request',
      headers: { ...company.headers, 'idempotency-key': 'key-1' },
      payload: { email: 'x@example.com' },
    });
    assert.equal(otherEndpoint.statusCode, 409, 'the key is bound to its endpoint too');
    assert.deepEqual(await officeNames(ctx, company), ['Helsinki', 'Main office']);
  });

  it('keeps keys per company', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany();
    const b = await ctx.createCompany();
    const fromA = await postOffice(ctx, a, { name: 'Helsinki' }, 'shared-key');
    const fromB = await postOffice(ctx, b, { name: 'Helsinki' }, 'shared-key');
    assert.equal(fromB.statusCode, 200);
    assert.notEqual(fromB.json().id, fromA.json().id);
    assert.equal(fromB.headers['idempotent-replayed'], undefined);
    assert.deepEqual(await officeNames(ctx, b), ['Helsinki', 'Main office']);
  });

  it('stores 4xx decisions and replays them', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    await postOffice(ctx, company, { name: 'Helsinki' });
    const dup = await postOffice(ctx, company, { name: 'HELSINKI' }, 'dup');
    assert.equal(dup.statusCode, 409);
    const replay = await postOffice(ctx, company, { name: 'HELSINKI' }, 'dup');
    assert.equal(replay.statusCode, 409);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.deepEqual(replay.json(), { message: 'An office with this name already exists.' });
  });

  it('stores nothing for a body the schema refuses, so the corrected retry may reuse the key', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const bad = await postOffice(ctx, company, { name: '' }, 'retry-me');
    assert.equal(bad.statusCode, 400);
    assert.equal(await storedKeys(ctx), 0);
    const fixed = await postOffice(ctx, company, { name: 'Espoo' }, 'retry-me');
    assert.equal(fixed.statusCode, 200);
    assert.deepEqual(await officeNames(ctx, company), ['Espoo', 'Main office']);
  });

  it('frees the key after a 5xx so the retry runs again', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    await sql`alter table offices rename to offices_away`.execute(ctx.storage.db);
    const failed = await postOffice(ctx, company, { name: 'Vantaa' }, 'after-500');
    await sql`alter table offices_away rename to offices`.execute(ctx.storage.db);
    assert.equal(failed.statusCode, 500);
    assert.deepEqual(failed.json(), { message: 'Internal server error.' });
    assert.equal(await storedKeys(ctx), 0);
    const retry = await postOffice(ctx, company, { name: 'Vantaa' }, 'after-500');
    assert.equal(retry.statusCode, 200);
    assert.equal(retry.headers['idempotent-replayed'], undefined);
    assert.deepEqual(await officeNames(ctx, company), ['Main office', 'Vantaa']);
  });

  it('answers 409 for a repeat while the first request is still in flight', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    // The first request has claimed the key and not answered yet.
    const fingerprint = requestFingerprint('POST', OFFICES, { name: 'Lahti' });
    const claim = await ctx.app.services.idempotency.claim({ companyId: company.id, key: 'busy', fingerprint, sealWith: null });
    assert.equal(claim.kind, 'claimed');
    const repeat = await postOffice(ctx, company, { name: 'Lahti' }, 'busy');
    assert.equal(repeat.statusCode, 409);
    assert.deepEqual(repeat.json(), { message: 'A request with this Idempotency-Key is still in progress; retry later.' });
    assert.deepEqual(await officeNames(ctx, company), ['Main office']);

    // A claim nobody finished within five minutes (a crashed process) is taken over.
    ctx.clock.advanceSeconds(301);
    const later = await postOffice(ctx, company, { name: 'Lahti' }, 'busy');
    assert.equal(later.statusCode, 200);
  });

  it('runs concurrent duplicates exactly once', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const results = await Promise.all(Array.from({ length: 6 }, () => postOffice(ctx, company, { name: 'Porvoo' }, 'race')));
    const statuses = results.map((r) => r.statusCode);
    assert.ok(
      statuses.every((s) => s === 200 || s === 409),
      `statuses ${statuses}`,
    );
    const originals = results.filter((r) => r.statusCode === 200 && r.headers['idempotent-replayed'] === undefined);
    assert.equal(originals.length, 1, `exactly one request ran (${dialectName})`);
    for (const r of results.filter((x) => x.statusCode === 409)) assert.match(r.json().message, /still in progress/);
    assert.deepEqual(await officeNames(ctx, company), ['Main office', 'Porvoo']);
  });

  it('forgets answers after 24 hours', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    await postOffice(ctx, company, { name: 'Kotka' }, 'day');
    ctx.clock.advanceSeconds(24 * 3600 + 1);
    const reused = await postOffice(ctx, company, { name: 'Turku' }, 'day');
    assert.equal(reused.statusCode, 200);
    assert.deepEqual(await officeNames(ctx, company), ['Kotka', 'Main office', 'Turku']);
    assert.equal(await ctx.app.services.idempotency.purgeExpired(), 0, 'the expired row was replaced, the fresh one is kept');
    ctx.clock.advanceSeconds(24 * 3600 + 1);
    assert.equal(await ctx.app.services.idempotency.purgeExpired(), 1);
  });

  it('refuses an empty or overlong key, and ignores the header without storing anything when absent', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const long = await postOffice(ctx, company, { name: 'X' }, 'k'.repeat(256));
    assert.equal(long.statusCode, 400);
    assert.deepEqual(long.json(), { message: 'Idempotency-Key must be 1 to 255 characters.' });
    const blank = await ctx.inject({
      method: 'POST',
      url: OFFICES,
      headers: { ...company.headers, 'idempotency-key': ' ' },
      payload: { name: 'X' },
    });
    assert.equal(blank.statusCode, 400);
    assert.deepEqual(await officeNames(ctx, company), ['Main office']);
    assert.equal((await postOffice(ctx, company, { name: 'Pori' })).statusCode, 200);
    assert.equal(await storedKeys(ctx), 0);
  });
});

describe('Idempotency-Key on POST /orders/go2scan (an answer holding a link token)', () => {
  const GO2SCAN = '/api/integrate/v3/orders/go2scan';
  const body = {
    street: '1 Fake Street',
    city: 'Mountain View',
    state: 'CA',
    postalCode: '94043',
    country: 'United States',
    send_invitation: false,
  };
  const go2scan = (ctx: TestApp, headers: Record<string, string>) =>
    ctx.inject({ method: 'POST', url: GO2SCAN, headers: { ...headers, 'idempotency-key': 'scan-1' }, payload: body });

  it('keeps no usable token at rest, and the replay gives the same link, which works', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const first = await go2scan(ctx, company.headers);
    assert.equal(first.statusCode, 200, first.body);
    const link: string = first.json().info.go2scan.link;
    const token = link.slice(link.lastIndexOf('/') + 1);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);

    await ctx.app.services.requestLog.flush();
    const tables = await dumpTables(ctx.storage);
    for (const [table, rows] of Object.entries(tables)) assert.ok(!rows.includes(token), `the token is stored raw in table ${table}`);
    // The one form kept: its SHA-256, which the upload page checks a presented token against.
    assert.ok(tables.orders!.includes(sha256Hex(token)));
    const kept = await ctx.storage.db.selectFrom('idempotency_keys').selectAll().executeTakeFirstOrThrow();
    assert.equal(kept.sealed, 1);
    assert.ok(!kept.response_body!.includes(first.json().id), 'the whole answer is sealed');

    ctx.clock.advanceSeconds(3600);
    const again = await go2scan(ctx, company.headers);
    assert.equal(again.statusCode, 200);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.body, first.body, 'the very same bytes');
    assert.match(String(again.headers['content-type']), /^application\/json/);
    const orders = await ctx.inject({ method: 'GET', url: '/api/integrate/v3/orders', headers: company.headers });
    assert.equal(orders.json().items.length, 1, 'one order');
    const page = await ctx.inject({ method: 'GET', url: new URL(link).pathname });
    assert.equal(page.statusCode, 200, 'the replayed link opens the upload page');
  });

  it('answers 409 to a replay with another API key of the company, which cannot open the kept answer', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const first = await go2scan(ctx, company.headers);
    assert.equal(first.statusCode, 200);
    const other = await ctx.inject({
      method: 'POST',
      url: `/admin/v1/companies/${company.id}/api-keys`,
      headers: ctx.adminHeaders,
      payload: {},
    });
    assert.equal(other.statusCode, 201, other.body);
    const replay = await go2scan(ctx, { 'api-key': other.json().api_key });
    assert.equal(replay.statusCode, 409);
    assert.deepEqual(replay.json(), {
      message: 'This Idempotency-Key was used with another API key; its answer is replayed only to the key that sent it.',
    });
    const orders = await ctx.inject({ method: 'GET', url: '/api/integrate/v3/orders', headers: company.headers });
    assert.equal(orders.json().items.length, 1, 'nothing new');
    assert.equal((await go2scan(ctx, company.headers)).body, first.body, 'the key that sent it still gets it');
  });

  it('keeps answers without a secret as they are (an office)', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const first = await postOffice(ctx, company, { name: 'Helsinki' }, 'plain');
    const kept = await ctx.storage.db.selectFrom('idempotency_keys').selectAll().executeTakeFirstOrThrow();
    assert.equal(kept.sealed, 0);
    assert.equal(kept.response_body, first.body);
  });
});
