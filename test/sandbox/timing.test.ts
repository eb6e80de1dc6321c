// Per-company timing and scenario addresses, through a real HTTP client and a real webhook
// receiver: a company's own production delay and webhook schedule, "deliver everything due now",
// and `ccfail` addresses that production fails.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandboxServer, type SandboxServer } from './sandbox-helpers.js';
import { redrawBody } from '../orders/order-helpers.js';
import { runProduction } from '../helpers/production.js';
import { ALL_TRIGGERS, startReceiver, subscribe, testDispatcher, verifyWebhook, webhookSecret } from '../helpers/webhooks.js';
import type { TestCompany } from '../helpers/app.js';

async function redraw(server: SandboxServer, company: TestCompany, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await server.api(company, 'POST', '/orders', redrawBody(overrides));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.info.status, 'Pending');
  return res.body.id;
}

async function statusOf(server: SandboxServer, company: TestCompany, id: string): Promise<string> {
  const res = await server.api(company, 'GET', `/orders/${id}`);
  assert.equal(res.status, 200);
  return res.body.info.status;
}

describe('per-company production delay', () => {
  it('a company with production_delay_s 0 is delivered at once while another waits the server delay', async (t) => {
    const server = await startSandboxServer(t, { productionDelayS: 20 });
    const fast = await server.createCompany();
    const slow = await server.createCompany();
    await server.setSandbox(fast, { production_delay_s: 0 });
    const fastOrder = await redraw(server, fast);
    const slowOrder = await redraw(server, slow);
    await runProduction(server);
    assert.equal(await statusOf(server, fast, fastOrder), 'Ready');
    assert.equal(await statusOf(server, slow, slowOrder), 'Pending');
    server.clock.advanceSeconds(21);
    await runProduction(server);
    assert.equal(await statusOf(server, slow, slowOrder), 'Ready');

    // Cleared, the company waits like any other.
    assert.equal((await server.admin('DELETE', `/companies/${fast.id}/sandbox`)).status, 200);
    const later = await redraw(server, fast);
    await runProduction(server);
    assert.equal(await statusOf(server, fast, later), 'Pending');
  });
});

describe('per-company webhook schedule', () => {
  it("retries at the company's schedule, while another company keeps the server's", async (t) => {
    const server = await startSandboxServer(t, { productionDelayS: 20, webhookSchedule: [0, 10, 60] });
    const receiver = await startReceiver(t);
    receiver.respond = () => ({ status: 500 });
    const quick = await server.createCompany();
    const normal = await server.createCompany();
    for (const c of [quick, normal]) await subscribe(server, c, [receiver.url], ['moved_to_pending']);
    await server.setSandbox(quick, { webhook_schedule_s: [0, 1, 2] });
    await redraw(server, quick);
    await redraw(server, normal);
    const dispatcher = testDispatcher(server, t);

    const attemptsOf = async (company: TestCompany) => {
      const res = await server.admin('GET', `/webhook-deliveries?company_id=${company.id}`);
      assert.equal(res.status, 200);
      return res.body.items[0] as { status: string; attempt_count: number; next_attempt_at: number; attempts: { attempted_at: number }[] };
    };
    await dispatcher.drain();
    server.clock.advanceSeconds(1);
    await dispatcher.drain();
    server.clock.advanceSeconds(2);
    await dispatcher.drain();
    const q = await attemptsOf(quick);
    assert.equal(q.status, 'failed');
    assert.equal(q.attempts.length, 3);
    const gaps = q.attempts.slice(1).map((a, i) => Math.round(a.attempted_at - q.attempts[i]!.attempted_at));
    assert.deepEqual(gaps, [1, 2]);

    const n = await attemptsOf(normal);
    assert.equal(n.status, 'retrying');
    assert.equal(n.attempts.length, 1);
    assert.equal(Math.round(n.next_attempt_at - n.attempts[0]!.attempted_at), 10);
  });
});

describe('POST /admin/v1/companies/{id}/sandbox/deliver-now', () => {
  it("makes the company's waiting production and webhook retries due now, and nobody else's", async (t) => {
    const server = await startSandboxServer(t, { productionDelayS: 600, webhookSchedule: [0, 3600] });
    const receiver = await startReceiver(t);
    const company = await server.createCompany();
    const other = await server.createCompany();
    await subscribe(server, company, [receiver.url], ALL_TRIGGERS);
    let fail = true;
    receiver.respond = () => ({ status: fail ? 503 : 200 });
    const order = await redraw(server, company);
    const otherOrder = await redraw(server, other);
    const dispatcher = testDispatcher(server, t);
    await dispatcher.drain();
    assert.equal(receiver.received.length, 1, 'the first attempt failed; the retry waits an hour');

    fail = false;
    const res = await server.admin('POST', `/companies/${company.id}/sandbox/deliver-now`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { orders: 1, webhook_deliveries: 1 });
    await runProduction(server);
    await dispatcher.drain();
    assert.equal(await statusOf(server, company, order), 'Ready');
    assert.equal(await statusOf(server, other, otherOrder), 'Pending');
    const secret = await webhookSecret(server, company.id);
    const bodies = receiver.received.map((r) => {
      verifyWebhook(secret, r, server.clock.nowUs() / 1000);
      return JSON.parse(r.body) as { current_status: string };
    });
    const statuses = bodies.map((b) => b.current_status);
    assert.deepEqual(statuses.slice(0, 2), ['Pending', 'Pending'], 'the failed attempt, then its retry');
    assert.ok(statuses.length > 2 && statuses.slice(2).every((s) => s === 'Ready'), statuses.join(','));
    assert.deepEqual((await server.admin('POST', `/companies/${company.id}/sandbox/deliver-now`)).body, {
      orders: 0,
      webhook_deliveries: 0,
    });
  });

  it('answers 404 for an unknown company and 401 without the admin key', async (t) => {
    const server = await startSandboxServer(t);
    const company = await server.createCompany();
    const missing = await server.admin('POST', '/companies/00000000-0000-4000-8000-000000000000/sandbox/deliver-now');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { message: 'Company not found.' });
    for (const headers of [{}, company.headers] as Record<string, string>[]) {
      const res = await server.admin('POST', `/companies/${company.id}/sandbox/deliver-now`, undefined, headers);
      assert.equal(res.status, 401);
    }
  });
});

describe('scenario addresses', () => {
  it('ccfail is failed by production when it would have been delivered; cctest is never delivered', async (t) => {
    const server = await startSandboxServer(t, { productionDelayS: 20 });
    const receiver = await startReceiver(t);
    const company = await server.createCompany();
    await subscribe(server, company, [receiver.url], ALL_TRIGGERS);
    const failing = await redraw(server, company, { street: '1 CCFAIL Road' });
    const test = await redraw(server, company, { street: '2 cctest Road' });
    const normal = await redraw(server, company);
    await runProduction(server);
    assert.equal(await statusOf(server, company, failing), 'Pending', 'not before production is due');
    server.clock.advanceSeconds(21);
    await runProduction(server);
    assert.equal(await statusOf(server, company, failing), 'Failed');
    assert.equal(await statusOf(server, company, test), 'Pending');
    assert.equal(await statusOf(server, company, normal), 'Ready');
    const got = await server.api(company, 'GET', `/orders/${failing}`);
    assert.deepEqual(got.body.delivery_assets.listing_floorplans.png_urls, [], 'nothing was produced for it');

    await testDispatcher(server, t).drain();
    const failingEvents = receiver.received.map((r) => JSON.parse(r.body)).filter((b) => b.id === failing);
    assert.deepEqual(
      failingEvents.map((b) => [b.previous_status, b.current_status]),
      [
        ['New', 'Pending'],
        ['Pending', 'Failed'],
      ],
    );

    // The operator's "deliver now" fails it the same way.
    const another = await redraw(server, company, { city: 'Ccfail City' });
    const now = await server.admin('POST', `/orders/${another}/deliver`);
    assert.equal(now.status, 200, JSON.stringify(now.body));
    assert.equal(await statusOf(server, company, another), 'Failed');
  });
});
