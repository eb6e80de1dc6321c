// Injected API faults, driven with a real HTTP client: which requests a rule meets, what the
// injected answer is, that nothing runs behind it, and that a seed makes a run repeatable.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandboxServer, type SandboxServer } from './sandbox-helpers.js';
import { draftBody } from '../orders/order-helpers.js';
import type { TestCompany } from '../helpers/app.js';

async function orderCount(server: SandboxServer, company: TestCompany): Promise<number> {
  const res = await server.api(company, 'GET', '/orders?limit=100');
  assert.equal(res.status, 200);
  return res.body.items.length;
}

describe('PUT|GET|DELETE /admin/v1/companies/{id}/sandbox', () => {
  it('stores the whole document, completes it with the defaults, and clears it', async (t) => {
    const server = await startSandboxServer(t);
    const company = await server.createCompany();
    const empty = await server.admin('GET', `/companies/${company.id}/sandbox`);
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body, {
      seed: null,
      faults: [],
      webhooks: {
        duplicate_rate: 0,
        reorder_rate: 0,
        delay_rate: 0,
        delay_s: 30,
        fail_first_rate: 0,
        duplicate_after_s: 5,
        reorder_hold_s: 30,
      },
      production_delay_s: null,
      webhook_schedule_s: null,
    });

    const doc = {
      seed: 42,
      faults: [
        { id: 'orders-503', match: { method: 'GET', path: '/orders' }, rate: 0.2, action: { status: 503 } },
        { id: 'slow', match: {}, rate: 1, action: { latency_ms: [50, 400] } },
      ],
      webhooks: { duplicate_rate: 0.5, delay_s: 10 },
      production_delay_s: 0,
      webhook_schedule_s: [0, 1, 2],
    };
    const put = await server.admin('PUT', `/companies/${company.id}/sandbox`, doc);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const expected = {
      ...doc,
      webhooks: {
        duplicate_rate: 0.5,
        reorder_rate: 0,
        delay_rate: 0,
        delay_s: 10,
        fail_first_rate: 0,
        duplicate_after_s: 5,
        reorder_hold_s: 30,
      },
    };
    assert.deepEqual(put.body, expected);
    assert.deepEqual((await server.admin('GET', `/companies/${company.id}/sandbox`)).body, expected);

    const cleared = await server.admin('DELETE', `/companies/${company.id}/sandbox`);
    assert.equal(cleared.status, 200);
    assert.deepEqual(cleared.body, { message: 'Sandbox settings were cleared.' });
    assert.deepEqual((await server.admin('GET', `/companies/${company.id}/sandbox`)).body, empty.body);
  });

  it('refuses a bad document in the validation shape and keeps what was stored', async (t) => {
    const server = await startSandboxServer(t);
    const company = await server.createCompany();
    const good = { faults: [{ id: 'a', match: {}, rate: 1, action: { status: 500 } }] };
    await server.setSandbox(company, good);
    const cases: [unknown, { loc: (string | number)[]; type: string }[]][] = [
      [
        { faults: [{ id: 'a', match: {}, rate: 1.5, action: { status: 500 } }] },
        [{ loc: ['faults', 0, 'rate'], type: 'value_error.number.not_le' }],
      ],
      [
        { faults: [{ id: 'a', match: {}, rate: 1, action: { status: 418 } }] },
        [{ loc: ['faults', 0, 'action', 'status'], type: 'type_error.enum' }],
      ],
      [
        { faults: [{ id: 'a', match: { verb: 'GET' }, rate: 1, action: { status: 500 } }] },
        [{ loc: ['faults', 0, 'match'], type: 'value_error' }],
      ],
      [
        { faults: [{ id: 'a', match: {}, rate: 1, action: { status: 500, hang_s: 1 } }] },
        [{ loc: ['faults', 0, 'action'], type: 'value_error' }],
      ],
      [{ faults: [{ id: 'a', match: {}, rate: 1, action: {} }] }, [{ loc: ['faults', 0, 'action'], type: 'value_error' }]],
      [
        { faults: [{ id: 'a', match: {}, rate: 1, action: { latency_ms: [400, 50] } }] },
        [{ loc: ['faults', 0, 'action', 'latency_ms'], type: 'value_error' }],
      ],
      [
        {
          faults: [
            { id: 'x', match: {}, rate: 1, action: { status: 500 } },
            { id: 'x', match: {}, rate: 1, action: { status: 502 } },
          ],
        },
        [{ loc: ['faults', 1, 'id'], type: 'value_error' }],
      ],
      [
        { faults: [{ id: 'a', match: { path: 'orders' }, rate: 1, action: { status: 500 } }] },
        [{ loc: ['faults', 0, 'match', 'path'], type: 'value_error' }],
      ],
      [{ webhooks: { duplicate_rate: -1 } }, [{ loc: ['webhooks', 'duplicate_rate'], type: 'value_error.number.not_ge' }]],
      [{ webhook_schedule_s: [] }, [{ loc: ['webhook_schedule_s'], type: 'value_error.list.min_items' }]],
      [{ seed: 'x' }, [{ loc: ['seed'], type: 'type_error.integer' }]],
      [{ colour: 'red' }, [{ loc: [], type: 'value_error' }]],
    ];
    for (const [body, entries] of cases) {
      const res = await server.admin('PUT', `/companies/${company.id}/sandbox`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      const got = res.body.validation_error.body_params as { loc: unknown[]; msg: string; type: string }[];
      assert.deepEqual(
        got.map((e) => ({ loc: e.loc, type: e.type })),
        entries.map((e) => ({ loc: e.loc.length ? e.loc : ['__root__'], type: e.type })).slice(0, got.length),
        JSON.stringify(body),
      );
      assert.ok(got.length >= 1 && got.every((e) => e.msg.length > 0));
    }
    const kept = await server.admin('GET', `/companies/${company.id}/sandbox`);
    assert.deepEqual(kept.body.faults, good.faults);
  });

  it('answers 404 for a company that does not exist, and 401 without the admin key', async (t) => {
    const server = await startSandboxServer(t);
    const company = await server.createCompany();
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = await server.admin(method, `/companies/${id}/sandbox`, method === 'PUT' ? {} : undefined);
        assert.equal(res.status, 404, `${method} ${id}`);
        assert.deepEqual(res.body, { message: 'Company not found.' });
      }
    }
    for (const headers of [{}, { 'admin-key': 'wrong' }, company.headers, { 'admin-key': company.apiKey }] as Record<string, string>[]) {
      const res = await server.admin('PUT', `/companies/${company.id}/sandbox`, { faults: [] }, headers);
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { message: 'Invalid or missing admin-key header.' });
    }
    // The customer API has no way in: a company's key cannot read or write its sandbox.
    const viaApi = await server.api(company, 'GET', `/companies/${company.id}/sandbox`);
    assert.equal(viaApi.status, 404);
  });
});

describe('injected API faults', () => {
  it('a rate of 1 always answers the rule; other requests and other companies are untouched', async (t) => {
    const server = await startSandboxServer(t);
    const company = await server.createCompany();
    const other = await server.createCompany();
    await server.setSandbox(company, {
      faults: [
        { id: 'orders-503', match: { method: 'GET', path: '/orders' }, rate: 1, action: { status: 503 } },
        { id: 'one-order-504', match: { path: '/orders/{id}' }, rate: 1, action: { status: 504 } },
        { id: 'info-502', match: { operation_id: 'getCompanyInfo' }, rate: 1, action: { status: 502 } },
        { id: 'users-429', match: { method: 'POST', path: '/users' }, rate: 1, action: { status: 429, retry_after_s: 7 } },
        { id: 'offices-500', match: { path: '/offices' }, rate: 1, action: { status: 500 } },
      ],
    });
    const expectations: [string, string, number, string, string][] = [
      ['GET', '/orders', 503, 'orders-503', 'The service is temporarily unavailable; retry shortly.'],
      ['GET', '/orders?limit=5', 503, 'orders-503', 'The service is temporarily unavailable; retry shortly.'],
      ['GET', '/orders/1a2b', 504, 'one-order-504', 'Gateway timeout; retry shortly.'],
      ['GET', '/companies/info', 502, 'info-502', 'Bad gateway; retry shortly.'],
      ['POST', '/users', 429, 'users-429', 'Too many requests; slow down and retry later.'],
      ['GET', '/offices', 500, 'offices-500', 'Internal server error.'],
    ];
    for (const [method, path, status, rule, message] of expectations) {
      for (let i = 0; i < 3; i++) {
        const res = await server.api(company, method, path, method === 'POST' ? { email: 'x@example.com' } : undefined);
        assert.equal(res.status, status, `${method} ${path}`);
        assert.deepEqual(res.body, { message });
        assert.equal(res.headers.get('x-casa-injected'), rule);
        assert.ok(res.headers.get('x-request-id'));
        assert.equal(res.headers.get('retry-after'), status === 429 ? '7' : null);
      }
    }
    // Not matched: another method, another path, another company.
    assert.equal((await server.api(company, 'GET', '/users')).status, 200);
    assert.equal((await server.api(company, 'GET', '/companies/package')).status, 200);
    const otherOrders = await server.api(other, 'GET', '/orders');
    assert.equal(otherOrders.status, 200);
    assert.equal(otherOrders.headers.get('x-casa-injected'), null);
    assert.equal((await server.api(other, 'GET', '/companies/info')).status, 200);
  });

  it('a rate of 0 never injects', async (t) => {
    const server = await startSandboxServer(t);
    const company = await server.createCompany();
    await server.setSandbox(company, { faults: [{ id: 'never', match: {}, rate: 0, action: { status: 500 } }] });
    for (let i = 0; i < 30; i++) {
      const res = await server.api(company, 'GET', '/users');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-casa-injected'), null);
    }
  });

  it('nothing runs behind an injected answer: no order, no claimed idempotency key', async (t) => {
    const server = await startSandboxServer(t);
    const company = await server.createCompany();
    await server.setSandbox(company, {
      faults: [{ id: 'drafts-500', match: { operation_id: 'createDraftOrder' }, rate: 1, action: { status: 500 } }],
    });
    const headers = { 'idempotency-key': 'draft-1' };
    for (let i = 0; i < 3; i++) {
      const res = await server.api(company, 'POST', '/orders/draft', draftBody(company), headers);
      assert.equal(res.status, 500);
      assert.equal(res.headers.get('x-casa-injected'), 'drafts-500');
    }
    // Even a body the schema would refuse gets the injected answer: the request is never read.
    assert.equal((await server.api(company, 'POST', '/orders/draft', { street: 5 })).status, 500);
    assert.equal(await orderCount(server, company), 0);

    assert.equal((await server.admin('DELETE', `/companies/${company.id}/sandbox`)).status, 200);
    const created = await server.api(company, 'POST', '/orders/draft', draftBody(company), headers);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.headers.get('idempotent-replayed'), null, 'the key was free: the first real attempt ran');
    assert.equal(await orderCount(server, company), 1);
  });

  it('a seed gives the same sequence twice; writing the document again starts it over', async (t) => {
    const server = await startSandboxServer(t);
    const company = await server.createCompany();
    const doc = { seed: 7, faults: [{ id: 'half', match: { path: '/users' }, rate: 0.5, action: { status: 503 } }] };
    async function run(): Promise<number[]> {
      await server.setSandbox(company, doc);
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++) statuses.push((await server.api(company, 'GET', '/users')).status);
      return statuses;
    }
    const first = await run();
    const second = await run();
    assert.deepEqual(second, first);
    assert.ok(first.includes(200) && first.includes(503), `both outcomes occur: ${first.join(',')}`);
    const anotherSeed = await (async () => {
      await server.setSandbox(company, { ...doc, seed: 8 });
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++) statuses.push((await server.api(company, 'GET', '/users')).status);
      return statuses;
    })();
    assert.notDeepEqual(anotherSeed, first);
  });

  it('latency delays the request, which then runs and says which rule slowed it', async (t) => {
    const server = await startSandboxServer(t);
    const company = await server.createCompany();
    await server.setSandbox(company, { faults: [{ id: 'slow', match: { method: 'POST' }, rate: 1, action: { latency_ms: 300 } }] });
    const started = performance.now();
    const res = await server.api(company, 'POST', '/orders/draft', draftBody(company));
    const elapsed = performance.now() - started;
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-casa-injected'), 'slow');
    assert.ok(elapsed >= 250, `the answer waited for the injected latency (${elapsed.toFixed(0)} ms)`);
    assert.equal(await orderCount(server, company), 1);
    assert.equal((await server.api(company, 'GET', '/users')).headers.get('x-casa-injected'), null);
  });

  it('a hang holds the connection, then closes it unanswered, and runs nothing', async (t) => {
    const server = await startSandboxServer(t);
    const company = await server.createCompany();
    await server.setSandbox(company, { faults: [{ id: 'hang', match: { method: 'POST' }, rate: 1, action: { hang_s: 0.3 } }] });
    const started = performance.now();
    await assert.rejects(server.api(company, 'POST', '/orders/draft', draftBody(company)), (err: Error) => {
      assert.match(String((err.cause as Error | undefined)?.message ?? err.message), /other side closed|socket|terminated|reset/i);
      return true;
    });
    assert.ok(performance.now() - started >= 250, 'the connection was held first');
    assert.equal(await orderCount(server, company), 0);
  });

  it('a held connection does not keep the server from closing', async (t) => {
    const server = await startSandboxServer(t);
    const company = await server.createCompany();
    await server.setSandbox(company, { faults: [{ id: 'hang', match: {}, rate: 1, action: { hang_s: 600 } }] });
    const pending = server.api(company, 'GET', '/users').catch((err: Error) => err);
    await new Promise((r) => setTimeout(r, 100));
    await server.app.close();
    assert.ok((await pending) instanceof Error);
  });
});
