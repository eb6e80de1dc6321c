// Webhook delivery leases on the test clock: a dispatcher that dies (stops renewing) lets its
// deliveries go after one short lease, and its late result is not logged; a live dispatcher's
// slow attempt keeps its delivery however long it takes, because the lease is renewed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.js';
import { recordEvent, startReceiver, subscribe, testDispatcher } from '../helpers/webhooks.js';
import { LEASE_MS } from '../../src/services/lease-keeper.js';
import { webhookDeliveryServiceFactory } from '../../src/services/webhooks/webhook-delivery-service.js';
import { createWebhookDispatcher } from '../../src/workers/webhook-dispatcher.js';

describe('webhook delivery leases', () => {
  it('a delivery claimed by a dispatcher that died is sent again after one lease, not before, and the dead one’s late result is not logged', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    await subscribe(ctx, company, [receiver.url], ['moved_to_pending']);
    await recordEvent(ctx, { companyId: company.id });
    const deliveries = ctx.app.services.webhookDeliveries;
    const [claimed, ...more] = await deliveries.claim(10, 'dead');
    assert.ok(claimed && more.length === 0);
    deliveries.abandon([claimed.delivery.seq]); // the dead process renews nothing

    const live = testDispatcher(ctx, t, { owner: 'live' });
    ctx.clock.advanceSeconds(LEASE_MS / 1000 - 1);
    assert.equal(await live.dispatchOnce(), 0, 'the lease still holds');
    ctx.clock.advanceSeconds(2);
    assert.equal(await live.dispatchOnce(), 1, 'taken up once the lease has run out');
    assert.equal(receiver.received.length, 1);

    const at = ctx.clock.nowUs();
    await deliveries.record([
      {
        seq: claimed.delivery.seq,
        owner: 'dead',
        attempt: {
          delivery_id: claimed.delivery.id,
          company_id: company.id,
          attempted_at: at,
          url: receiver.url,
          request_headers: {},
          status_code: 500,
          error: null,
          latency_ms: 1,
          response_excerpt: null,
        },
        update: {
          status: 'retrying',
          attempt_count: 1,
          next_attempt_at: at,
          last_status_code: 500,
          last_error: null,
          updated_at: at,
          completed_at: null,
        },
      },
    ]);
    const res = await ctx.inject({ method: 'GET', url: `/admin/v1/webhook-deliveries/${claimed.delivery.id}`, headers: ctx.adminHeaders });
    assert.equal(res.statusCode, 200, res.body);
    const d = res.json();
    assert.equal(d.status, 'delivered');
    assert.equal(d.attempt_count, 1);
    assert.deepEqual(
      d.attempts.map((a: { status_code: number }) => a.status_code),
      [200],
      'only the lease holder’s attempt is logged',
    );
  });

  it('a slow attempt keeps its delivery: the lease is renewed while it is in flight', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    await subscribe(ctx, company, [receiver.url], ['moved_to_pending']);
    await recordEvent(ctx, { companyId: company.id });

    const other = testDispatcher(ctx, t, { owner: 'other' });
    let othersTook = 0;
    const slowSender = {
      async send() {
        // Three half-leases pass on the clock while the receiver thinks; renewals run meanwhile.
        for (let i = 0; i < 3; i++) {
          ctx.clock.advanceSeconds(LEASE_MS / 1000 / 2);
          await new Promise((r) => setTimeout(r, 100));
          othersTook += await other.dispatchOnce();
        }
        return { statusCode: 200, error: null, latencyMs: 1, excerpt: 'ok', retryAfterS: null };
      },
      close: async () => {},
    };
    const services = ctx.app.services;
    const deliveries = webhookDeliveryServiceFactory(ctx.app.serviceDeps, { ms: LEASE_MS, renewEveryMs: 10 });
    const slow = createWebhookDispatcher(
      { ...ctx.app.serviceDeps, webhooks: services.webhooks, deliveries },
      { owner: 'slow', sender: slowSender },
    );
    t.after(() => slow.close());
    assert.equal(await slow.dispatchOnce(), 1);
    assert.equal(othersTook, 0, 'no other dispatcher took the delivery');
    assert.equal(receiver.received.length, 0, 'nor sent it');
    const list = await ctx.inject({ method: 'GET', url: '/admin/v1/webhook-deliveries', headers: ctx.adminHeaders });
    const [d] = list.json().items;
    assert.equal(d.status, 'delivered');
    assert.equal(d.attempts.length, 1);
  });
});
