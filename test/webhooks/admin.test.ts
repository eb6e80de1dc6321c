import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { expectedBody, recordEvent, startReceiver, subscribe, testDispatcher, verifyWebhook, webhookSecret } from '../helpers/webhooks.js';

const ADMIN_401 = { message: 'Invalid or missing admin-key header.' };
const DELIVERY_KEYS = [
  'id',
  'webhook_id',
  'order_id',
  'company_id',
  'trigger',
  'url',
  'status',
  'body',
  'attempt_count',
  'next_attempt_at',
  'last_status_code',
  'last_error',
  'created_at',
  'completed_at',
  'chaos',
  'attempts',
];
const ATTEMPT_KEYS = ['attempted_at', 'url', 'request_headers', 'status_code', 'error', 'latency_ms', 'response_excerpt', 'chaos'];

async function assertRequiresAdminKey(ctx: TestApp, method: 'GET' | 'POST', url: string) {
  const company = await ctx.createCompany();
  for (const headers of [{}, { 'admin-key': 'wrong' }, company.headers, { 'admin-key': company.apiKey }]) {
    const res = await ctx.inject({ method, url, headers });
    assert.equal(res.statusCode, 401, `${method} ${url} with ${JSON.stringify(Object.keys(headers))}`);
    assert.deepEqual(res.json(), ADMIN_401);
  }
}

describe('GET /admin/v1/webhook-deliveries', () => {
  it('lists deliveries newest first with every attempt, the exact body and the headers sent', async (t) => {
    const ctx = await buildTestApp(t, { webhookSchedule: [0, 5] });
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    receiver.respond = (_req, i) => ({ status: i === 0 ? 500 : 204, body: i === 0 ? 'try again' : '' });
    await subscribe(ctx, company, [receiver.url], ['moved_to_pending']);
    const dispatcher = testDispatcher(ctx, t);
    const event = await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain();
    ctx.clock.advanceSeconds(5);
    await dispatcher.drain();

    const res = await ctx.inject({ method: 'GET', url: '/admin/v1/webhook-deliveries', headers: ctx.adminHeaders });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(body.pagination, { has_more: false, limit: 20, next_offset: 20, previous_offset: 0 });
    const [d] = body.items;
    assert.deepEqual(Object.keys(d), DELIVERY_KEYS);
    assert.equal(d.webhook_id, event.id);
    assert.equal(d.order_id, event.order_id);
    assert.equal(d.company_id, company.id);
    assert.equal(d.trigger, 'moved_to_pending');
    assert.equal(d.url, receiver.url);
    assert.equal(d.status, 'delivered');
    assert.equal(d.body, receiver.received[1]!.body);
    assert.equal(
      d.body,
      expectedBody({
        orderId: event.order_id,
        currentStatus: 'Pending',
        previousStatus: 'Draft',
        modelId: event.model_id,
        productType: 'products_2d',
        deliveryType: 'new',
      }),
    );
    assert.equal(d.attempt_count, 2);
    assert.equal(d.next_attempt_at, null);
    assert.equal(d.last_status_code, 204);
    assert.equal(typeof d.completed_at, 'number');
    assert.equal(d.attempts.length, 2);
    assert.deepEqual(Object.keys(d.attempts[0]), ATTEMPT_KEYS);
    assert.deepEqual([d.attempts[0].status_code, d.attempts[0].response_excerpt, d.attempts[0].error], [500, 'try again', null]);
    assert.deepEqual([d.attempts[1].status_code, d.attempts[1].response_excerpt], [204, '']);
    // The logged headers are exactly what arrived (the transport adds only host, length and connection).
    for (const [i, attempt] of d.attempts.entries()) {
      const got = receiver.received[i]!.headers;
      assert.deepEqual(Object.keys(attempt.request_headers), [
        'content-type',
        'user-agent',
        'webhook-id',
        'webhook-timestamp',
        'webhook-signature',
      ]);
      for (const [k, v] of Object.entries(attempt.request_headers)) assert.equal(got[k], v, k);
    }
    assert.notEqual(d.attempts[0].request_headers['webhook-timestamp'], d.attempts[1].request_headers['webhook-timestamp']);
    assert.equal(d.attempts[0].request_headers['webhook-id'], d.attempts[1].request_headers['webhook-id']);
  });

  it('filters by order, company and status and pages', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany();
    const b = await ctx.createCompany();
    const receiver = await startReceiver(t);
    await subscribe(ctx, a, [receiver.url], ['moved_to_pending']);
    await subscribe(ctx, b, [receiver.url], ['moved_to_pending']);
    const orderId = crypto.randomUUID();
    const ea = await recordEvent(ctx, { companyId: a.id, orderId });
    for (let i = 0; i < 3; i++) await recordEvent(ctx, { companyId: b.id });
    const dispatcher = testDispatcher(ctx, t);
    await dispatcher.drain();
    const pendingOne = await recordEvent(ctx, { companyId: b.id });

    const get = async (q: string) =>
      (await ctx.inject({ method: 'GET', url: `/admin/v1/webhook-deliveries${q}`, headers: ctx.adminHeaders })).json();
    assert.deepEqual(
      (await get(`?order_id=${orderId}`)).items.map((d: { webhook_id: string }) => d.webhook_id),
      [ea.id],
    );
    assert.equal((await get(`?company_id=${a.id}`)).items.length, 1);
    assert.equal((await get(`?company_id=${b.id}`)).items.length, 4);
    assert.deepEqual(
      (await get('?status=pending')).items.map((d: { webhook_id: string }) => d.webhook_id),
      [pendingOne.id],
    );
    assert.equal((await get('?status=delivered')).items.length, 4);
    const page = await get(`?company_id=${b.id}&limit=3`);
    assert.deepEqual(page.pagination, { has_more: true, limit: 3, next_offset: 3, previous_offset: 0 });
    assert.equal(page.items[0].webhook_id, pendingOne.id);
    assert.equal((await get(`?company_id=${b.id}&limit=3&offset=3`)).items.length, 1);
    assert.equal((await get(`?order_id=not-a-uuid`)).items.length, 0);

    const bad = await ctx.inject({ method: 'GET', url: '/admin/v1/webhook-deliveries?status=done&limit=0', headers: ctx.adminHeaders });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(
      bad.json().validation_error.query_params.map((e: { loc: string[] }) => e.loc),
      [['limit'], ['status']].sort(),
    );
  });

  it('requires the admin key', async (t) => {
    const ctx = await buildTestApp(t);
    await assertRequiresAdminKey(ctx, 'GET', '/admin/v1/webhook-deliveries');
  });
});

describe('POST /admin/v1/webhook-deliveries/{id}/replay', () => {
  it('sends a finished delivery again with the same body and webhook-id, on a fresh schedule', async (t) => {
    const ctx = await buildTestApp(t, { webhookSchedule: [0] });
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    receiver.respond = (_req, i) => ({ status: i === 0 ? 500 : 200 });
    await subscribe(ctx, company, [receiver.url], ['moved_to_pending']);
    const dispatcher = testDispatcher(ctx, t);
    await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain();
    const [failed] = (await ctx.inject({ method: 'GET', url: '/admin/v1/webhook-deliveries', headers: ctx.adminHeaders })).json().items;
    assert.equal(failed.status, 'failed');

    const res = await ctx.inject({ method: 'POST', url: `/admin/v1/webhook-deliveries/${failed.id}/replay`, headers: ctx.adminHeaders });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'pending');
    assert.equal(res.json().attempt_count, 0);
    assert.equal(res.json().attempts.length, 1);
    const again = await ctx.inject({ method: 'POST', url: `/admin/v1/webhook-deliveries/${failed.id}/replay`, headers: ctx.adminHeaders });
    assert.equal(again.statusCode, 409);
    assert.deepEqual(again.json(), { message: 'This delivery is still queued; it will be attempted without a replay.' });

    await dispatcher.drain();
    assert.equal(receiver.received.length, 2);
    assert.equal(receiver.received[1]!.body, receiver.received[0]!.body);
    assert.equal(receiver.received[1]!.headers['webhook-id'], receiver.received[0]!.headers['webhook-id']);
    const after = (await ctx.inject({ method: 'GET', url: `/admin/v1/webhook-deliveries/${failed.id}`, headers: ctx.adminHeaders })).json();
    assert.equal(after.status, 'delivered');
    assert.deepEqual(
      after.attempts.map((a: { status_code: number }) => a.status_code),
      [500, 200],
    );
  });

  it('answers 404 for an unknown or malformed id', async (t) => {
    const ctx = await buildTestApp(t);
    for (const id of [crypto.randomUUID(), 'nope']) {
      const res = await ctx.inject({ method: 'POST', url: `/admin/v1/webhook-deliveries/${id}/replay`, headers: ctx.adminHeaders });
      assert.equal(res.statusCode, 404);
      assert.deepEqual(res.json(), { message: 'Webhook delivery not found.' });
    }
  });

  it('requires the admin key', async (t) => {
    const ctx = await buildTestApp(t);
    await assertRequiresAdminKey(ctx, 'POST', `/admin/v1/webhook-deliveries/${crypto.randomUUID()}/replay`);
  });
});

describe('GET/POST /admin/v1/companies/{id}/webhook-secret', () => {
  it('gives every company its own stable secret', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany();
    const b = await ctx.createCompany();
    const res = await ctx.inject({ method: 'GET', url: `/admin/v1/companies/${a.id}/webhook-secret`, headers: ctx.adminHeaders });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['secret', 'previous_secret', 'previous_secret_expires_at', 'created_at', 'rotated_at']);
    assert.match(body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual([body.previous_secret, body.previous_secret_expires_at, body.rotated_at], [null, null, null]);
    assert.equal(await webhookSecret(ctx, a.id), body.secret);
    assert.notEqual(await webhookSecret(ctx, b.id), body.secret);
  });

  it('rotates: both secrets sign for 24 hours, then only the new one', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    await subscribe(ctx, company, [receiver.url], ['moved_to_pending']);
    const dispatcher = testDispatcher(ctx, t);
    const oldSecret = await webhookSecret(ctx, company.id);

    const res = await ctx.inject({ method: 'POST', url: `/admin/v1/companies/${company.id}/webhook-secret`, headers: ctx.adminHeaders });
    assert.equal(res.statusCode, 200);
    const rotated = res.json();
    assert.notEqual(rotated.secret, oldSecret);
    assert.equal(rotated.previous_secret, oldSecret);
    assert.equal(Math.round(rotated.previous_secret_expires_at - rotated.rotated_at), 86_400);
    assert.equal(await webhookSecret(ctx, company.id), rotated.secret);

    await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain();
    const during = receiver.received[0]!;
    assert.equal(String(during.headers['webhook-signature']).split(' ').length, 2);
    const now = ctx.clock.nowUs() / 1000;
    assert.ok(verifyWebhook(rotated.secret, during, now));
    assert.ok(verifyWebhook(oldSecret, during, now));

    ctx.clock.advanceSeconds(86_400);
    await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain();
    const after = receiver.received[1]!;
    assert.equal(String(after.headers['webhook-signature']).split(' ').length, 1);
    const later = ctx.clock.nowUs() / 1000;
    assert.ok(verifyWebhook(rotated.secret, after, later));
    assert.throws(() => verifyWebhook(oldSecret, after, later), /No matching signature/);
    const read = (
      await ctx.inject({ method: 'GET', url: `/admin/v1/companies/${company.id}/webhook-secret`, headers: ctx.adminHeaders })
    ).json();
    assert.deepEqual([read.previous_secret, read.previous_secret_expires_at], [null, null]);
  });

  it('answers 404 for an unknown company', async (t) => {
    const ctx = await buildTestApp(t);
    for (const method of ['GET', 'POST'] as const) {
      const res = await ctx.inject({ method, url: `/admin/v1/companies/${crypto.randomUUID()}/webhook-secret`, headers: ctx.adminHeaders });
      assert.equal(res.statusCode, 404);
      assert.deepEqual(res.json(), { message: 'Company not found.' });
    }
  });

  it('requires the admin key', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    await assertRequiresAdminKey(ctx, 'GET', `/admin/v1/companies/${company.id}/webhook-secret`);
    await assertRequiresAdminKey(ctx, 'POST', `/admin/v1/companies/${company.id}/webhook-secret`);
    assert.equal((await ctx.storage.db.selectFrom('webhook_secrets').selectAll().execute()).length, 0);
  });
});

describe('webhook attempt retention', () => {
  it('prunes attempts and finished deliveries older than CASA_WEBHOOK_RETENTION_DAYS', async (t) => {
    const ctx = await buildTestApp(t, { webhookRetentionDays: 30 });
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    await subscribe(ctx, company, [receiver.url], ['moved_to_pending']);
    const dispatcher = testDispatcher(ctx, t);
    await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain();
    ctx.clock.advanceSeconds(29 * 86_400);
    await recordEvent(ctx, { companyId: company.id });
    await dispatcher.drain();
    assert.deepEqual(await ctx.app.services.webhooks.prune(), { attempts: 0, deliveries: 0 });
    ctx.clock.advanceSeconds(2 * 86_400);
    // The dispatcher prunes on its own (at most hourly).
    await dispatcher.drain();
    const left = (await ctx.inject({ method: 'GET', url: '/admin/v1/webhook-deliveries', headers: ctx.adminHeaders })).json().items;
    assert.equal(left.length, 1);
    assert.equal(left[0].attempts.length, 1);
    assert.equal((await ctx.storage.db.selectFrom('webhook_attempts').selectAll().execute()).length, 1);
  });
});
