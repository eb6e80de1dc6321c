// The request log: every customer request of a company kept (redacted, bounded), read through the
// operator API with filters and paging, trimmed by retention and a row cap, and off when asked.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startSandboxServer, type SandboxServer } from './sandbox-helpers.js';
import type { TestCompany } from '../helpers/app.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Page = { pagination: Record<string, unknown>; items: any[] };

async function logOf(server: SandboxServer, company: TestCompany, query = ''): Promise<Page> {
  await server.app.services.requestLog.flush();
  const res = await server.admin<Page>('GET', `/companies/${company.id}/requests${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function wholeLogText(server: SandboxServer): Promise<string> {
  await server.app.services.requestLog.flush();
  const rows = await sql`select * from request_log`.execute(server.storage.db);
  return JSON.stringify(rows.rows);
}

describe('GET /admin/v1/companies/{id}/requests', () => {
  it('keeps every customer request, newest first, with what a caller needs to find it again', async (t) => {
    const server = await startSandboxServer(t);
    const company = await server.createCompany();
    const list = await server.api(company, 'GET', '/users?limit=5');
    assert.equal(list.status, 200);
    const created = await server.api(company, 'POST', '/offices', { name: 'Uptown' }, { 'idempotency-key': 'office-1' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const missing = await server.api(company, 'GET', '/orders/00000000-0000-4000-8000-000000000000');
    assert.equal(missing.status, 404);

    const log = await logOf(server, company);
    assert.deepEqual(log.pagination, { has_more: false, limit: 20, next_offset: 20, previous_offset: 0 });
    assert.deepEqual(
      log.items.map((e) => [e.method, e.path, e.query, e.status, e.operation_id]),
      [
        ['GET', '/orders/00000000-0000-4000-8000-000000000000', null, 404, 'getOrder'],
        ['POST', '/offices', null, 200, 'createOffice'],
        ['GET', '/users', 'limit=5', 200, 'listUsers'],
      ],
    );
    const post = log.items[1];
    assert.equal(post.request_id, created.headers.get('x-request-id'));
    assert.equal(post.idempotency_key, 'office-1');
    assert.equal(post.injected_rule, null);
    assert.equal(typeof post.duration_ms, 'number');
    assert.ok(post.duration_ms >= 0);
    assert.equal(typeof post.at, 'number');
    assert.equal('request_body' in post, false, 'bodies come with one request');

    const one = await server.admin('GET', `/companies/${company.id}/requests/${post.id}`);
    assert.equal(one.status, 200);
    assert.deepEqual(JSON.parse(one.body.request_body), { name: 'Uptown' });
    assert.deepEqual(JSON.parse(one.body.response_body), created.body);
    assert.equal(one.body.request_truncated, false);
    assert.equal(one.body.response_truncated, false);
  });

  it('filters by status (exact or class), method, path (and below), since and request id, and pages', async (t) => {
    const server = await startSandboxServer(t);
    const company = await server.createCompany();
    await server.api(company, 'GET', '/users');
    server.clock.advanceSeconds(60);
    const since = server.clock.nowUs() / 1e6;
    // An entry's time is when its request arrived: the clock (frozen in tests) less its duration.
    server.clock.advanceSeconds(10);
    await server.api(company, 'GET', '/orders');
    await server.api(company, 'GET', '/orders/not-an-order');
    const posted = await server.api(company, 'POST', '/offices', {});
    assert.equal(posted.status, 400);

    const paths = (page: Page) => page.items.map((e) => `${e.method} ${e.path} ${e.status}`);
    assert.deepEqual(paths(await logOf(server, company, '?status=400')), ['POST /offices 400']);
    assert.deepEqual(paths(await logOf(server, company, '?status=4xx')), ['POST /offices 400', 'GET /orders/not-an-order 404']);
    assert.deepEqual(paths(await logOf(server, company, '?method=POST')), ['POST /offices 400']);
    assert.deepEqual(paths(await logOf(server, company, '?path=/orders')), ['GET /orders/not-an-order 404', 'GET /orders 200']);
    assert.deepEqual(paths(await logOf(server, company, `?since=${since}`)), [
      'POST /offices 400',
      'GET /orders/not-an-order 404',
      'GET /orders 200',
    ]);
    const byId = await logOf(server, company, `?request_id=${posted.headers.get('x-request-id')}`);
    assert.deepEqual(paths(byId), ['POST /offices 400']);

    const first = await logOf(server, company, '?limit=3');
    assert.deepEqual(first.pagination, { has_more: true, limit: 3, next_offset: 3, previous_offset: 0 });
    const second = await logOf(server, company, '?limit=3&offset=3');
    assert.deepEqual(paths(second), ['GET /users 200']);
    assert.equal(second.pagination.has_more, false);
  });

  it('keeps the sandbox rule that answered, and a held connection closed unanswered', async (t) => {
    const server = await startSandboxServer(t);
    const company = await server.createCompany();
    await server.setSandbox(company, {
      faults: [
        { id: 'orders-503', match: { method: 'GET', path: '/orders' }, rate: 1, action: { status: 503 } },
        { id: 'hold', match: { path: '/offices' }, rate: 1, action: { hang_s: 0.05 } },
      ],
    });
    const injected = await server.api(company, 'GET', '/orders');
    assert.equal(injected.status, 503);
    await assert.rejects(server.api(company, 'GET', '/offices'));
    const log = await logOf(server, company);
    assert.deepEqual(
      log.items.map((e) => [e.path, e.status, e.injected_rule]),
      [
        ['/offices', null, 'hold'],
        ['/orders', 503, 'orders-503'],
      ],
    );
  });

  it('holds no password, api key, link token or credential-like query value, and cuts bodies at 16 KiB', async (t) => {
    const server = await startSandboxServer(t);
    const company = await server.createCompany();
    const password = 'very-secret-password-42';
    const user = await server.api(company, 'POST', '/users', { email: 'new.user@example.com', password, role: 'User' });
    assert.equal(user.status, 200, JSON.stringify(user.body));
    const go2scan = await server.api(company, 'POST', '/orders/go2scan', {
      street: '1 Fake Street',
      city: 'Mountain View',
      state: 'CA',
      postalCode: '94043',
      country: 'United States',
      customer: { name: 'Test Client', email: 'home.owner@example.com' },
      send_invitation: false,
    });
    assert.equal(go2scan.status, 200, JSON.stringify(go2scan.body));
    const token = String(go2scan.body.info.go2scan.link).split('/').pop()!;
    await server.api(company, 'GET', `/users?api_key=${company.apiKey}&limit=1`);
    const big = await server.api(company, 'POST', '/offices', { name: 'x'.repeat(40_000), note: company.apiKey });
    assert.equal(big.status, 400);

    const text = await wholeLogText(server);
    for (const secret of [password, company.apiKey, token]) assert.equal(text.includes(secret), false, `the log holds ${secret}`);
    assert.match(text, /\[redacted\]/);

    const log = await logOf(server, company);
    const bigEntry = await server.admin('GET', `/companies/${company.id}/requests/${log.items[0].id}`);
    assert.equal(bigEntry.body.request_truncated, true);
    assert.ok(Buffer.byteLength(bigEntry.body.request_body) <= 16 * 1024);
    assert.equal(log.items[1].query, 'api_key=[redacted]&limit=1');
  });

  it('answers 401 without the admin key, 404 for an unknown company or another company’s request, 400 for a bad filter', async (t) => {
    const server = await startSandboxServer(t);
    const a = await server.createCompany();
    const b = await server.createCompany();
    await server.api(a, 'GET', '/users');
    const entry = (await logOf(server, a)).items[0];

    assert.equal((await server.admin('GET', `/companies/${a.id}/requests`, undefined, {})).status, 401);
    assert.equal((await server.admin('GET', `/companies/${a.id}/requests`, undefined, { 'admin-key': 'casa_wrong' })).status, 401);
    assert.equal((await server.admin('GET', `/companies/${b.id}/requests/${entry.id}`)).status, 404);
    assert.equal((await server.admin('GET', '/companies/00000000-0000-4000-8000-000000000000/requests')).status, 404);
    const bad = await server.admin('GET', `/companies/${a.id}/requests?status=600`);
    assert.equal(bad.status, 400);
    assert.ok(bad.body.validation_error.query_params[0].loc.includes('status'));
    assert.deepEqual((await logOf(server, b)).items, [], "b's log holds none of a's requests");
  });

  it('keeps no request without a valid key (there is no company to keep it for)', async (t) => {
    const server = await startSandboxServer(t);
    const company = await server.createCompany();
    const res = await server.api({ ...company, headers: { 'api-key': 'casa_not_a_key' } }, 'GET', '/users');
    assert.equal(res.status, 401);
    assert.equal(await wholeLogText(server), '[]');
  });
});

describe('request log retention, row cap and CASA_REQUEST_LOG', () => {
  it('the worker drops entries past the retention days, then each company’s oldest past the cap', async (t) => {
    const server = await startSandboxServer(t, { requestLogRetentionDays: 7, requestLogMaxRows: 3 });
    const company = await server.createCompany();
    await server.api(company, 'GET', '/users?old=1');
    server.clock.advanceSeconds(6 * 86_400);
    for (let i = 0; i < 4; i++) await server.api(company, 'GET', `/users?n=${i}`);
    await server.app.services.requestLog.flush();
    server.clock.advanceSeconds(86_400 + 1);
    assert.deepEqual(await server.app.services.requestLog.prune(), { expired: 1, over_cap: 1 });
    assert.deepEqual(
      (await logOf(server, company)).items.map((e) => e.query),
      ['n=3', 'n=2', 'n=1'],
    );
  });

  it('keeps nothing with CASA_REQUEST_LOG=false', async (t) => {
    const server = await startSandboxServer(t, { requestLog: false });
    const company = await server.createCompany();
    assert.equal((await server.api(company, 'GET', '/users')).status, 200);
    assert.deepEqual((await logOf(server, company)).items, []);
  });
});
