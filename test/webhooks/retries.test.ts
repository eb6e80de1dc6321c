import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { buildTestApp } from '../helpers/app.js';
import { recordEvent, startReceiver, subscribe, testDispatcher } from '../helpers/webhooks.js';

async function deliveries(ctx: Awaited<ReturnType<typeof buildTestApp>>, query = '') {
  const res = await ctx.inject({ method: 'GET', url: `/admin/v1/webhook-deliveries${query}`, headers: ctx.adminHeaders });
  assert.equal(res.statusCode, 200);
  return res.json().items as {
    id: string;
    status: string;
    attempt_count: number;
    attempts: { status_code: number | null; error: string | null; attempted_at: number }[];
  }[];
}

describe('webhook retries', () => {
  it('gives a failing receiver exactly 3 attempts at 0 s, 10 s and 60 s, then none', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    receiver.respond = () => ({ status: 500, body: 'boom' });
    await subscribe(ctx, company, [receiver.url], ['moved_to_pending']);
    const dispatcher = testDispatcher(ctx, t);
    const event = await recordEvent(ctx, { companyId: company.id });

    assert.equal(await dispatcher.drain(), 1);
    ctx.clock.advanceSeconds(9.9);
    assert.equal(await dispatcher.drain(), 0);
    ctx.clock.advanceSeconds(0.1);
    assert.equal(await dispatcher.drain(), 1);
    ctx.clock.advanceSeconds(59.9);
    assert.equal(await dispatcher.drain(), 0);
    ctx.clock.advanceSeconds(0.1);
    assert.equal(await dispatcher.drain(), 1);
    ctx.clock.advanceSeconds(3600);
    assert.equal(await dispatcher.drain(), 0);

    assert.equal(receiver.received.length, 3);
    assert.deepEqual(new Set(receiver.received.map((r) => r.headers['webhook-id'])), new Set([event.id]));
    const [delivery] = await deliveries(ctx);
    assert.equal(delivery!.status, 'failed');
    assert.equal(delivery!.attempt_count, 3);
    assert.deepEqual(
      delivery!.attempts.map((a) => a.status_code),
      [500, 500, 500],
    );
    const times = delivery!.attempts.map((a) => a.attempted_at);
    assert.deepEqual([Math.round(times[1]! - times[0]!), Math.round(times[2]! - times[1]!)], [10, 60]);
  });

  it('follows CASA_WEBHOOK_SCHEDULE', async (t) => {
    const ctx = await buildTestApp(t, { webhookSchedule: [0, 1] });
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    receiver.respond = () => ({ status: 502 });
    await subscribe(ctx, company, [receiver.url], ['moved_to_pending']);
    const dispatcher = testDispatcher(ctx, t);
    await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain();
    ctx.clock.advanceSeconds(1);
    await dispatcher.drain();
    ctx.clock.advanceSeconds(100);
    await dispatcher.drain();
    assert.equal(receiver.received.length, 2);
    assert.equal((await deliveries(ctx))[0]!.status, 'failed');
  });

  it('stops at once on 410 Gone, for that event only', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    receiver.respond = (_req, i) => ({ status: i === 0 ? 410 : 200 });
    await subscribe(ctx, company, [receiver.url], ['moved_to_pending', 'moved_to_ready']);
    const dispatcher = testDispatcher(ctx, t);
    const orderId = crypto.randomUUID();
    const first = await recordEvent(ctx, { companyId: company.id, orderId });
    const second = await recordEvent(ctx, {
      companyId: company.id,
      orderId,
      trigger: 'moved_to_ready',
      currentStatus: 'Ready',
      previousStatus: 'Pending',
    });
    await dispatcher.drain();
    ctx.clock.advanceSeconds(3600);
    await dispatcher.drain();
    assert.deepEqual(
      receiver.received.map((r) => r.headers['webhook-id']),
      [first.id, second.id],
    );
    const list = await deliveries(ctx);
    assert.deepEqual(
      list.map((d) => [d.status, d.attempt_count]),
      [
        ['delivered', 1],
        ['gone', 1],
      ],
    );
  });

  it('times out a slow receiver and retries it', async (t) => {
    const ctx = await buildTestApp(t, { webhookTimeoutS: 0.3 });
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    receiver.respond = (_req, i) => ({ status: 200, delayMs: i === 0 ? 2_000 : 0 });
    await subscribe(ctx, company, [receiver.url], ['moved_to_pending']);
    const dispatcher = testDispatcher(ctx, t);
    await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain();
    let [delivery] = await deliveries(ctx);
    assert.equal(delivery!.status, 'retrying');
    assert.equal(delivery!.attempts[0]!.status_code, null);
    assert.equal(delivery!.attempts[0]!.error, 'no answer within 300 ms');
    ctx.clock.advanceSeconds(10);
    await dispatcher.drain();
    [delivery] = await deliveries(ctx);
    assert.equal(delivery!.status, 'delivered');
    assert.deepEqual(
      delivery!.attempts.map((a) => a.status_code),
      [null, 200],
    );
    assert.equal(receiver.received.length, 2);
  });

  it('honours Retry-After on 429 and 503', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    receiver.respond = (_req, i) =>
      i === 0
        ? { status: 429, headers: { 'retry-after': '120' } }
        : i === 1
          ? { status: 503, headers: { 'retry-after': '5' } }
          : { status: 200 };
    await subscribe(ctx, company, [receiver.url], ['moved_to_pending']);
    const dispatcher = testDispatcher(ctx, t);
    await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain();
    ctx.clock.advanceSeconds(119);
    assert.equal(await dispatcher.drain(), 0, 'the schedule says 10 s, the receiver asked for 120 s');
    ctx.clock.advanceSeconds(1);
    assert.equal(await dispatcher.drain(), 1);
    ctx.clock.advanceSeconds(59);
    assert.equal(await dispatcher.drain(), 0, 'a shorter Retry-After never shortens the schedule');
    ctx.clock.advanceSeconds(1);
    assert.equal(await dispatcher.drain(), 1);
    assert.equal((await deliveries(ctx))[0]!.status, 'delivered');
  });

  it('keeps the order of events per order and URL while one is retried, and sends the rest when the receiver comes back', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const down = await startReceiver(t);
    const up = await startReceiver(t);
    let broken = true;
    down.respond = () => ({ status: broken ? 503 : 200 });
    await subscribe(ctx, company, [down.url, up.url], ['moved_to_pending', 'moved_to_ready', 'moved_to_fixing']);
    const dispatcher = testDispatcher(ctx, t);
    const orderId = crypto.randomUUID();
    const e1 = await recordEvent(ctx, { companyId: company.id, orderId });
    const e2 = await recordEvent(ctx, {
      companyId: company.id,
      orderId,
      trigger: 'moved_to_ready',
      currentStatus: 'Ready',
      previousStatus: 'Pending',
    });
    const e3 = await recordEvent(ctx, {
      companyId: company.id,
      orderId,
      trigger: 'moved_to_fixing',
      currentStatus: 'Fixing',
      previousStatus: 'Ready',
    });
    const other = await recordEvent(ctx, { companyId: company.id });

    await dispatcher.drain();
    // The healthy URL has everything; the broken one has the first event of each order only.
    assert.deepEqual(
      up.received.map((r) => r.headers['webhook-id']),
      [e1.id, other.id, e2.id, e3.id],
    );
    assert.deepEqual(
      down.received.map((r) => r.headers['webhook-id']),
      [e1.id, other.id],
    );
    ctx.clock.advanceSeconds(10);
    await dispatcher.drain();
    assert.deepEqual(
      down.received.map((r) => r.headers['webhook-id']),
      [e1.id, other.id, e1.id, other.id],
    );
    broken = false;
    ctx.clock.advanceSeconds(60);
    await dispatcher.drain();
    assert.deepEqual(down.received.map((r) => r.headers['webhook-id']).slice(4), [e1.id, other.id, e2.id, e3.id]);
    assert.equal((await deliveries(ctx, '?status=delivered&limit=100')).length, 8);
  });

  it('moves on to the next event of an order once an earlier one has failed for good', async (t) => {
    const ctx = await buildTestApp(t, { webhookSchedule: [0] });
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    receiver.respond = (_req, i) => ({ status: i === 0 ? 500 : 200 });
    await subscribe(ctx, company, [receiver.url], ['moved_to_pending', 'moved_to_ready']);
    const dispatcher = testDispatcher(ctx, t);
    const orderId = crypto.randomUUID();
    const e1 = await recordEvent(ctx, { companyId: company.id, orderId });
    const e2 = await recordEvent(ctx, {
      companyId: company.id,
      orderId,
      trigger: 'moved_to_ready',
      currentStatus: 'Ready',
      previousStatus: 'Pending',
    });
    await dispatcher.drain();
    assert.deepEqual(
      receiver.received.map((r) => r.headers['webhook-id']),
      [e1.id, e2.id],
    );
  });

  it('does not follow redirects and logs the answer', async (t) => {
    const ctx = await buildTestApp(t, { webhookSchedule: [0] });
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    const target = await startReceiver(t);
    receiver.respond = () => ({ status: 307, headers: { location: target.url }, body: 'x'.repeat(5000) });
    await subscribe(ctx, company, [receiver.url], ['moved_to_pending']);
    const dispatcher = testDispatcher(ctx, t);
    await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain();
    assert.equal(target.received.length, 0);
    const [delivery] = await deliveries(ctx);
    assert.equal(delivery!.status, 'failed');
    const attempt = delivery!.attempts[0] as unknown as { status_code: number; response_excerpt: string; latency_ms: number };
    assert.equal(attempt.status_code, 307);
    assert.equal(attempt.response_excerpt, 'x'.repeat(1024));
    assert.equal(typeof attempt.latency_ms, 'number');
  });
});
