import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.js';
import { ALL_TRIGGERS, recordEvent, startReceiver, subscribe, testDispatcher, verifyWebhook, webhookSecret } from '../helpers/webhooks.js';

describe('webhook subscriptions', () => {
  it('never resends or drops queued events when the subscription changes', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const oldUrl = await startReceiver(t);
    const newUrl = await startReceiver(t);
    await subscribe(ctx, company, [oldUrl.url], ['moved_to_pending']);
    const dispatcher = testDispatcher(ctx, t);
    const sent = await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain();
    const queued = await recordEvent(ctx, { companyId: company.id });

    await subscribe(ctx, company, [newUrl.url], ['moved_to_ready']);
    const unsubscribed = await recordEvent(ctx, { companyId: company.id });
    const ready = await recordEvent(ctx, {
      companyId: company.id,
      trigger: 'moved_to_ready',
      currentStatus: 'Ready',
      previousStatus: 'Pending',
    });
    await dispatcher.drain();

    assert.deepEqual(
      oldUrl.received.map((r) => r.headers['webhook-id']),
      [sent.id, queued.id],
    );
    assert.deepEqual(
      newUrl.received.map((r) => r.headers['webhook-id']),
      [ready.id],
    );
    assert.ok(![...oldUrl.received, ...newUrl.received].some((r) => r.headers['webhook-id'] === unsubscribed.id));
  });

  it('DELETE /companies/webhook cancels what is queued and sends nothing more', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const other = await ctx.createCompany();
    const receiver = await startReceiver(t);
    receiver.respond = (_req, i) => ({ status: i === 0 ? 200 : 500 });
    await subscribe(ctx, company, [receiver.url], ALL_TRIGGERS);
    await subscribe(ctx, other, [receiver.url], ALL_TRIGGERS);
    const dispatcher = testDispatcher(ctx, t);
    await recordEvent(ctx, { companyId: company.id });
    await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain(); // one delivered, one retrying
    await recordEvent(ctx, { companyId: company.id }); // pending
    const otherEvent = await recordEvent(ctx, { companyId: other.id });

    const res = await ctx.inject({ method: 'DELETE', url: '/api/integrate/v3/companies/webhook', headers: company.headers });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { webhook_urls: [], webhook_triggers: [] });
    const list = (
      await ctx.inject({ method: 'GET', url: `/admin/v1/webhook-deliveries?company_id=${company.id}`, headers: ctx.adminHeaders })
    ).json().items;
    assert.deepEqual(list.map((d: { status: string }) => d.status).sort(), ['cancelled', 'cancelled', 'delivered']);

    receiver.respond = () => ({ status: 200 });
    const before = receiver.received.length;
    ctx.clock.advanceSeconds(3600);
    await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain();
    // Only the other company's event still goes out.
    assert.deepEqual(
      receiver.received.slice(before).map((r) => r.headers['webhook-id']),
      [otherEvent.id],
    );
  });

  it('sends each event once per distinct URL', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    await subscribe(ctx, company, [receiver.url, receiver.url], ['moved_to_pending']);
    const dispatcher = testDispatcher(ctx, t);
    await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain();
    assert.equal(receiver.received.length, 1);
  });
});

describe('webhooks across a company merge', () => {
  it('sends the deliveries moved to the target company, signed with the target’s secret', async (t) => {
    const ctx = await buildTestApp(t);
    const from = await ctx.createCompany();
    const target = await ctx.createCompany();
    const receiver = await startReceiver(t);
    await subscribe(ctx, from, [receiver.url], ['moved_to_pending']);
    const event = await recordEvent(ctx, { companyId: from.id });

    const request = await ctx.inject({
      method: 'POST',
      url: '/api/integrate/v3/companies/merge-request',
      headers: from.headers,
      payload: { email: target.managerEmail },
    });
    assert.equal(request.statusCode, 200, request.body);
    const approved = await ctx.inject({
      method: 'POST',
      url: `/admin/v1/merge-requests/${request.json().id}/approve`,
      headers: ctx.adminHeaders,
    });
    assert.equal(approved.statusCode, 200, approved.body);

    await testDispatcher(ctx, t).drain();
    assert.deepEqual(
      receiver.received.map((r) => r.headers['webhook-id']),
      [event.id],
    );
    verifyWebhook(await webhookSecret(ctx, target.id), receiver.received[0]!, ctx.clock.nowUs() / 1000);
  });
});
