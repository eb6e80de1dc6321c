// Webhook chaos per company, with a real HTTP receiver: duplicates (one webhook-id, two signed
// copies), reordering within an order, delays, a first attempt failed on purpose, all shown in the
// delivery log, and a seed that gives the same choices twice.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startSandboxServer, type SandboxServer } from './sandbox-helpers.js';
import type { TestCompany } from '../helpers/app.js';
import {
  ALL_TRIGGERS,
  recordEvent,
  startReceiver,
  subscribe,
  testDispatcher,
  verifyWebhook,
  webhookSecret,
  type Receiver,
} from '../helpers/webhooks.js';
import type { WebhookDispatcher } from '../../src/workers/webhook-dispatcher.js';

interface Setup {
  server: SandboxServer;
  company: TestCompany;
  receiver: Receiver;
  dispatcher: WebhookDispatcher;
}

async function setup(t: import('node:test').TestContext, webhooks: Record<string, number>, seed: number | null = null): Promise<Setup> {
  const server = await startSandboxServer(t);
  const receiver = await startReceiver(t);
  const company = await server.createCompany();
  await subscribe(server, company, [receiver.url], ALL_TRIGGERS);
  await server.setSandbox(company, { seed, webhooks, webhook_schedule_s: [0, 1, 2] });
  return { server, company, receiver, dispatcher: testDispatcher(server, t) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function deliveries(s: Setup): Promise<any[]> {
  const res = await s.server.admin('GET', `/webhook-deliveries?company_id=${s.company.id}&limit=100`);
  assert.equal(res.status, 200);
  return res.body.items.reverse(); // oldest first
}

const webhookIds = (r: Receiver) => r.received.map((x) => String(x.headers['webhook-id']));

describe('webhook chaos', () => {
  it('rate 0 never touches a delivery', async (t) => {
    const s = await setup(t, { duplicate_rate: 0, reorder_rate: 0, delay_rate: 0, fail_first_rate: 0 }, 1);
    const events = [];
    for (let i = 0; i < 5; i++) events.push(await recordEvent(s.server, { companyId: s.company.id }));
    await s.dispatcher.drain();
    assert.deepEqual(
      webhookIds(s.receiver),
      events.map((e) => e.id),
    );
    for (const d of await deliveries(s)) {
      assert.equal(d.status, 'delivered');
      assert.equal(d.chaos, null);
      assert.deepEqual(
        d.attempts.map((a: { chaos: string | null }) => a.chaos),
        [null],
      );
    }
  });

  it('duplicate_rate 1: the same webhook-id and body arrive twice, duplicate_after_s apart, each signed validly', async (t) => {
    const s = await setup(t, { duplicate_rate: 1, duplicate_after_s: 5 });
    const secret = await webhookSecret(s.server, s.company.id);
    const event = await recordEvent(s.server, { companyId: s.company.id });
    await s.dispatcher.drain();
    assert.equal(s.receiver.received.length, 1);
    s.server.clock.advanceSeconds(5);
    await s.dispatcher.drain();
    assert.deepEqual(webhookIds(s.receiver), [event.id, event.id]);
    const [first, second] = s.receiver.received;
    assert.equal(second!.body, first!.body);
    const nowMs = s.server.clock.nowUs() / 1000;
    for (const copy of s.receiver.received) verifyWebhook(secret, copy, nowMs);
    assert.equal(Number(second!.headers['webhook-timestamp']) - Number(first!.headers['webhook-timestamp']), 5);

    const [d] = await deliveries(s);
    assert.equal(d.status, 'delivered');
    assert.equal(d.webhook_id, event.id);
    assert.deepEqual(d.chaos, { duplicate_after_s: 5, duplicate_pending: false, duplicate_sent: true });
    assert.deepEqual(
      d.attempts.map((a: { chaos: string | null; status_code: number }) => [a.chaos, a.status_code]),
      [
        [null, 200],
        ['duplicate', 200],
      ],
    );
  });

  it('a duplicate still waiting holds back no later event of its order', async (t) => {
    const s = await setup(t, { duplicate_rate: 1, duplicate_after_s: 60 });
    const orderId = crypto.randomUUID();
    const first = await recordEvent(s.server, { companyId: s.company.id, orderId });
    await s.dispatcher.drain();
    const later = await recordEvent(s.server, { companyId: s.company.id, orderId, trigger: 'moved_to_ready' });
    await s.dispatcher.drain();
    assert.deepEqual(webhookIds(s.receiver), [first.id, later.id]);
  });

  it('reorder_rate 1: a later event of the order arrives first, then the held one; rate 0 keeps the order', async (t) => {
    for (const rate of [0, 1]) {
      const s = await setup(t, { reorder_rate: rate, reorder_hold_s: 30 });
      const orderId = crypto.randomUUID();
      const pending = await recordEvent(s.server, { companyId: s.company.id, orderId });
      const ready = await recordEvent(s.server, {
        companyId: s.company.id,
        orderId,
        trigger: 'moved_to_ready',
        currentStatus: 'Ready',
        previousStatus: 'Pending',
      });
      await s.dispatcher.drain();
      assert.deepEqual(webhookIds(s.receiver), rate === 1 ? [ready.id, pending.id] : [pending.id, ready.id], `reorder_rate ${rate}`);
      const [held, overtaking] = await deliveries(s);
      if (rate === 1) {
        assert.deepEqual(held.chaos, { reorder: true });
        assert.equal(overtaking.chaos, null, 'the overtaking event is not held itself');
        assert.equal(held.attempts[0].chaos, 'reordered');
      }
    }
  });

  it('a reordered event with no later one goes when its hold ends', async (t) => {
    const s = await setup(t, { reorder_rate: 1, reorder_hold_s: 30 });
    const event = await recordEvent(s.server, { companyId: s.company.id });
    await s.dispatcher.drain();
    assert.equal(s.receiver.received.length, 0);
    s.server.clock.advanceSeconds(30);
    await s.dispatcher.drain();
    assert.deepEqual(webhookIds(s.receiver), [event.id]);
  });

  it('delay_rate 1: the first attempt waits delay_s', async (t) => {
    const s = await setup(t, { delay_rate: 1, delay_s: 30 });
    const event = await recordEvent(s.server, { companyId: s.company.id });
    await s.dispatcher.drain();
    assert.equal(s.receiver.received.length, 0);
    s.server.clock.advanceSeconds(29);
    await s.dispatcher.drain();
    assert.equal(s.receiver.received.length, 0);
    s.server.clock.advanceSeconds(1);
    await s.dispatcher.drain();
    assert.deepEqual(webhookIds(s.receiver), [event.id]);
    const [d] = await deliveries(s);
    assert.deepEqual(d.chaos, { delay_s: 30 });
    assert.equal(d.attempts[0].chaos, 'delayed');
  });

  it('fail_first_rate 1: the first attempt is recorded as failed, unsent, and the retry follows the schedule', async (t) => {
    const s = await setup(t, { fail_first_rate: 1 });
    const secret = await webhookSecret(s.server, s.company.id);
    const event = await recordEvent(s.server, { companyId: s.company.id });
    await s.dispatcher.drain();
    assert.equal(s.receiver.received.length, 0);
    let [d] = await deliveries(s);
    assert.equal(d.status, 'retrying');
    assert.equal(d.attempts[0].chaos, 'fail_first');
    assert.equal(d.attempts[0].status_code, null);
    assert.match(d.attempts[0].error, /fail_first/);
    assert.equal(Math.round(d.next_attempt_at - d.attempts[0].attempted_at), 1, 'the company schedule: 0, 1, 2 s');
    s.server.clock.advanceSeconds(1);
    await s.dispatcher.drain();
    assert.deepEqual(webhookIds(s.receiver), [event.id]);
    verifyWebhook(secret, s.receiver.received[0]!, s.server.clock.nowUs() / 1000);
    [d] = await deliveries(s);
    assert.equal(d.status, 'delivered');
    assert.deepEqual(d.chaos, { fail_first: true, fail_first_done: true });
    assert.deepEqual(
      d.attempts.map((a: { chaos: string | null; status_code: number | null }) => [a.chaos, a.status_code]),
      [
        ['fail_first', null],
        [null, 200],
      ],
    );

    // A replay is a fresh run, but the first attempt has failed once already.
    const replay = await s.server.admin('POST', `/webhook-deliveries/${d.id}/replay`);
    assert.equal(replay.status, 200);
    await s.dispatcher.drain();
    assert.equal(s.receiver.received.length, 2);
  });

  it('a seeded 0.5 gives the same choices again once the same document is written again', async (t) => {
    const webhooks = { duplicate_rate: 0.5, delay_rate: 0.5, fail_first_rate: 0.5, delay_s: 30 };
    const s = await setup(t, webhooks, 42);
    const run = async () => {
      const before = (await deliveries(s)).length;
      for (let i = 0; i < 12; i++) await recordEvent(s.server, { companyId: s.company.id });
      return (await deliveries(s)).slice(before).map((d) => JSON.stringify(Object.keys(d.chaos ?? {}).sort()));
    };
    const first = await run();
    await s.server.setSandbox(s.company, { seed: 42, webhooks, webhook_schedule_s: [0, 1, 2] });
    const second = await run();
    assert.deepEqual(second, first);
    assert.ok(new Set(first).size > 2, `the choices vary: ${first.join(' ')}`);
  });
});
