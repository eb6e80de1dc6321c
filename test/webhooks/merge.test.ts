// Webhooks across a company merge, with real receivers on loopback: the target keeps exactly its
// own settings unless the operator takes the requester's URLs, the requester's queued deliveries
// follow that choice, and the target's Managers are told which it was.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp, type TestCompany } from '../helpers/app.js';
import { requestMerge } from '../helpers/merges.js';
import { type Receiver, recordEvent, startReceiver, subscribe, testDispatcher, verifyWebhook, webhookSecret } from '../helpers/webhooks.js';

const BASE = '/api/integrate/v3';

async function approve(ctx: TestApp, id: string, payload?: object) {
  const res = await ctx.inject({
    method: 'POST',
    url: `/admin/v1/merge-requests/${id}/approve`,
    headers: ctx.adminHeaders,
    ...(payload ? { payload } : {}),
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

async function requestAndApprove(ctx: TestApp, from: TestCompany, target: TestCompany, payload?: object) {
  return approve(ctx, await requestMerge(ctx, from, target), payload);
}

async function webhookSettings(ctx: TestApp, company: TestCompany) {
  const info = (await ctx.inject({ method: 'GET', url: `${BASE}/companies/info`, headers: company.headers })).json();
  return { webhook_urls: info.webhook_urls, webhook_triggers: info.webhook_triggers };
}

async function approvalEmails(ctx: TestApp) {
  const res = await ctx.inject({ method: 'GET', url: '/admin/v1/emails?kind=merge_approved&limit=100', headers: ctx.adminHeaders });
  return res.json().items as { to: string; subject: string; text: string; html: string; company_id: string }[];
}

async function deliveryStatuses(ctx: TestApp, companyId: string) {
  const res = await ctx.inject({
    method: 'GET',
    url: `/admin/v1/webhook-deliveries?company_id=${companyId}&limit=100`,
    headers: ctx.adminHeaders,
  });
  return res.json().items as { url: string; webhook_id: string; status: string }[];
}

const ids = (r: Receiver) => r.received.map((x) => String(x.headers['webhook-id']));

describe('webhooks across a company merge', () => {
  it('by default the target keeps its own settings: the requester’s URL gets nothing more, and the Managers are told', async (t) => {
    const ctx = await buildTestApp(t);
    const from = await ctx.createCompany('Crafty Co');
    const target = await ctx.createCompany('Dependable Realty');
    const stealer = await startReceiver(t);
    const own = await startReceiver(t);
    stealer.respond = (_req, i) => ({ status: i === 0 ? 500 : 200 });
    await subscribe(ctx, from, [stealer.url], ['moved_to_pending', 'moved_to_failed']);
    await subscribe(ctx, target, [own.url], ['moved_to_pending']);
    const dispatcher = testDispatcher(ctx, t);
    const retrying = await recordEvent(ctx, { companyId: from.id });
    await dispatcher.drain(); // the requester's URL answered 500: a retry waits
    const queued = await recordEvent(ctx, { companyId: from.id }); // still pending

    const body = await requestAndApprove(ctx, from, target);
    assert.deepEqual(body.webhooks, {
      choice: 'keep_target',
      added_urls: [],
      added_triggers: [],
      dropped_urls: [stealer.url],
      cancelled_deliveries: 2,
    });
    assert.deepEqual(await webhookSettings(ctx, target), { webhook_urls: [own.url], webhook_triggers: ['moved_to_pending'] });

    // The requester's queued deliveries moved with its orders, cancelled.
    const moved = (await deliveryStatuses(ctx, target.id)).filter((d) => d.url === stealer.url);
    assert.deepEqual(
      moved.map((d) => [d.webhook_id, d.status]).sort(),
      [
        [queued.id, 'cancelled'],
        [retrying.id, 'cancelled'],
      ].sort(),
    );

    // Later events, of the target's own orders and of the orders that moved in, go to the target's URL only.
    stealer.respond = () => ({ status: 200 });
    ctx.clock.advanceSeconds(3600);
    const ownEvent = await recordEvent(ctx, { companyId: target.id });
    const movedOrderEvent = await recordEvent(ctx, { companyId: target.id, orderId: queued.order_id });
    await dispatcher.drain();
    assert.deepEqual(ids(stealer), [retrying.id], 'only the attempt made before the merge');
    assert.deepEqual(ids(own).sort(), [ownEvent.id, movedOrderEvent.id].sort());
    const secret = await webhookSecret(ctx, target.id);
    for (const r of own.received) verifyWebhook(secret, r, ctx.clock.nowUs() / 1000);

    // The target's Managers (not the requester's Manager, who moved in) learn what happened.
    const emails = await approvalEmails(ctx);
    assert.deepEqual(
      emails.map((e) => e.to),
      [target.managerEmail],
    );
    const [email] = emails;
    assert.equal(email!.subject, 'Crafty Co has merged into your company');
    assert.equal(email!.company_id, target.id);
    assert.match(email!.text, /Webhooks: your webhook settings \(URLs, triggers and signing secret\) are unchanged\./);
    assert.ok(
      email!.text.includes(`Crafty Co's webhook URL was not added and receives nothing from your company: ${stealer.url}.`),
      email!.text,
    );
    assert.match(email!.text, /Crafty Co's webhook events still waiting to be sent were cancelled\./);
    assert.ok(email!.html.includes(`<code>${stealer.url}</code>`));
  });

  it('with webhooks: add_source the target takes the requester’s URLs and triggers, and its queued deliveries go out', async (t) => {
    const ctx = await buildTestApp(t);
    const from = await ctx.createCompany('Crafty Co');
    const target = await ctx.createCompany('Dependable Realty');
    const theirs = await startReceiver(t);
    const own = await startReceiver(t);
    await subscribe(ctx, from, [theirs.url], ['moved_to_pending', 'moved_to_ready']);
    await subscribe(ctx, target, [own.url], ['moved_to_pending']);
    const queued = await recordEvent(ctx, { companyId: from.id });

    const id = await requestMerge(ctx, from, target);
    const pending = (await ctx.inject({ method: 'GET', url: '/admin/v1/merge-requests?status=pending', headers: ctx.adminHeaders })).json();
    assert.deepEqual(pending.items[0].requester_webhook_urls, [theirs.url], 'the operator sees what the choice would add');
    const body = await approve(ctx, id, { webhooks: 'add_source' });
    const approved = (
      await ctx.inject({ method: 'GET', url: '/admin/v1/merge-requests?status=approved', headers: ctx.adminHeaders })
    ).json();
    assert.deepEqual(approved.items[0].requester_webhook_urls, [], 'a merged company lists none');
    assert.deepEqual(body.webhooks, {
      choice: 'add_source',
      added_urls: [theirs.url],
      added_triggers: ['moved_to_ready'],
      dropped_urls: [],
      cancelled_deliveries: 0,
    });
    assert.deepEqual(await webhookSettings(ctx, target), {
      webhook_urls: [own.url, theirs.url],
      webhook_triggers: ['moved_to_pending', 'moved_to_ready'],
    });

    const dispatcher = testDispatcher(ctx, t);
    await dispatcher.drain();
    assert.deepEqual(ids(theirs), [queued.id], 'the queued delivery is sent to the URL it was addressed to');
    verifyWebhook(await webhookSecret(ctx, target.id), theirs.received[0]!, ctx.clock.nowUs() / 1000);
    assert.deepEqual(ids(own), [], 'it is not copied to the target’s other URLs');

    const later = await recordEvent(ctx, { companyId: target.id });
    await dispatcher.drain();
    assert.deepEqual(ids(theirs), [queued.id, later.id]);
    assert.deepEqual(ids(own), [later.id]);

    const [email] = await approvalEmails(ctx);
    assert.ok(
      email!.text.includes(
        `the operator added Crafty Co's webhook URLs to yours, so your company's events are now also sent to: ${theirs.url}.`,
      ),
      email!.text,
    );
    assert.match(email!.text, /Triggers added to your subscription: moved_to_ready\./);
    assert.doesNotMatch(email!.text, /unchanged/);
  });

  it('with webhooks: add_source past 10 URLs, the URLs that do not fit are named and their queued deliveries cancelled', async (t) => {
    const ctx = await buildTestApp(t);
    const from = await ctx.createCompany('Crafty Co');
    const target = await ctx.createCompany('Dependable Realty');
    const receiver = await startReceiver(t);
    const targetUrls = Array.from({ length: 9 }, (_v, i) => `${receiver.url}?target=${i}`);
    const sourceUrls = [1, 2, 3].map((i) => `${receiver.url}?source=${i}`);
    await subscribe(ctx, target, targetUrls, ['moved_to_ready']);
    await subscribe(ctx, from, sourceUrls, ['moved_to_pending']);
    const queued = await recordEvent(ctx, { companyId: from.id });

    const body = await requestAndApprove(ctx, from, target, { webhooks: 'add_source' });
    assert.deepEqual(body.webhooks, {
      choice: 'add_source',
      added_urls: [sourceUrls[0]],
      added_triggers: ['moved_to_pending'],
      dropped_urls: [sourceUrls[1], sourceUrls[2]],
      cancelled_deliveries: 2,
    });
    assert.deepEqual((await webhookSettings(ctx, target)).webhook_urls, [...targetUrls, sourceUrls[0]]);

    await testDispatcher(ctx, t).drain();
    assert.deepEqual(
      receiver.received.map((r) => [r.path, r.headers['webhook-id']]),
      [['/hook?source=1', queued.id]],
    );
    const [email] = await approvalEmails(ctx);
    assert.ok(
      email!.text.includes(
        `Not added, as a company lists at most 10 URLs: ${sourceUrls[1]}, ${sourceUrls[2]}. The events waiting for them were cancelled.`,
      ),
      email!.text,
    );
  });
});
