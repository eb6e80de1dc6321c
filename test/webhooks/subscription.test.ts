import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.js';
import { ALL_TRIGGERS, type Receiver, recordEvent, startReceiver, subscribe, testDispatcher } from '../helpers/webhooks.js';

describe('webhook subscriptions', () => {
  it('PATCH /companies/webhook keeps queued events for the URLs it keeps and cancels those of a URL it drops', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const other = await ctx.createCompany();
    const dropped = await startReceiver(t);
    const kept = await startReceiver(t);
    const added = await startReceiver(t);
    dropped.respond = (_req, i) => ({ status: i === 0 ? 200 : 500 });
    await subscribe(ctx, company, [dropped.url, kept.url], ['moved_to_pending']);
    // Another company's queue for the same URL is none of this PATCH's business.
    await subscribe(ctx, other, [dropped.url], ['moved_to_pending']);
    const dispatcher = testDispatcher(ctx, t);
    const sent = await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain(); // both URLs have it
    const retrying = await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain(); // the dropped URL answered 500: a retry is due later; the kept URL has it
    const queued = await recordEvent(ctx, { companyId: company.id }); // pending for both URLs
    const otherEvent = await recordEvent(ctx, { companyId: other.id });

    await subscribe(ctx, company, [kept.url, added.url], ['moved_to_pending', 'moved_to_ready']);
    const deliveries = (
      await ctx.inject({ method: 'GET', url: `/admin/v1/webhook-deliveries?company_id=${company.id}`, headers: ctx.adminHeaders })
    ).json().items as { url: string; webhook_id: string; status: string }[];
    const statusOf = (url: string, eventId: string) => deliveries.find((d) => d.url === url && d.webhook_id === eventId)?.status;
    assert.equal(statusOf(dropped.url, sent.id), 'delivered');
    assert.equal(statusOf(dropped.url, retrying.id), 'cancelled', 'a retry to the dropped URL stops');
    assert.equal(statusOf(dropped.url, queued.id), 'cancelled', 'a pending delivery to the dropped URL stops');
    assert.equal(statusOf(kept.url, queued.id), 'pending', 'the kept URL keeps its queue');

    dropped.respond = () => ({ status: 200 });
    ctx.clock.advanceSeconds(3600);
    const later = await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain();
    const ids = (r: Receiver) => r.received.map((x) => x.headers['webhook-id']).sort();
    assert.deepEqual(
      ids(dropped),
      [sent.id, retrying.id, otherEvent.id].sort(),
      'the dropped URL gets only the other company’s event after the PATCH',
    );
    assert.deepEqual(ids(kept), [sent.id, retrying.id, queued.id, later.id].sort());
    assert.deepEqual(
      added.received.map((r) => r.headers['webhook-id']),
      [later.id],
      'a new URL gets later events only, nothing queued before it was added',
    );
  });

  it('PATCH /companies/webhook with only the triggers keeps every queued delivery', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    await subscribe(ctx, company, [receiver.url], ['moved_to_pending']);
    const queued = await recordEvent(ctx, { companyId: company.id });
    const res = await ctx.inject({
      method: 'PATCH',
      url: '/api/integrate/v3/companies/webhook',
      headers: company.headers,
      payload: { webhook_triggers: ['moved_to_ready'] },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { webhook_urls: [receiver.url], webhook_triggers: ['moved_to_ready'] });
    const unsubscribed = await recordEvent(ctx, { companyId: company.id });
    await testDispatcher(ctx, t).drain();
    assert.deepEqual(
      receiver.received.map((r) => r.headers['webhook-id']),
      [queued.id],
      'what was queued still goes; the trigger no longer subscribed sends nothing new',
    );
    assert.ok(!receiver.received.some((r) => r.headers['webhook-id'] === unsubscribed.id));
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
