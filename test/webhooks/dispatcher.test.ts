import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.js';
import { expectedBody, recordEvent, startReceiver, subscribe, testDispatcher, verifyWebhook, webhookSecret } from '../helpers/webhooks.js';
import { VERSION } from '../../src/version.js';

const nowMs = (ctx: { clock: { nowUs(): number } }) => ctx.clock.nowUs() / 1000;

describe('webhook delivery', () => {
  it('sends each subscribed event to every URL with the exact body, headers and a valid signature', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const a = await startReceiver(t);
    const b = await startReceiver(t);
    await subscribe(ctx, company, [a.url, b.url], ['moved_to_pending', 'moved_to_ready']);
    const dispatcher = testDispatcher(ctx, t);

    const event = await recordEvent(ctx, {
      companyId: company.id,
      trigger: 'moved_to_pending',
      currentStatus: 'Pending',
      previousStatus: 'Draft',
    });
    assert.equal(await dispatcher.drain(), 2);

    const secret = await webhookSecret(ctx, company.id);
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    for (const receiver of [a, b]) {
      assert.equal(receiver.received.length, 1);
      const got = receiver.received[0]!;
      assert.equal(
        got.body,
        expectedBody({
          orderId: event.order_id,
          currentStatus: 'Pending',
          previousStatus: 'Draft',
          modelId: event.model_id,
          productType: 'products_2d',
          deliveryType: 'new',
        }),
      );
      assert.deepEqual(Object.keys(JSON.parse(got.body)), [
        'id',
        'current_status',
        'previous_status',
        'model_id',
        'product_type',
        'delivery_type',
      ]);
      assert.equal(got.headers['content-type'], 'application/json');
      assert.equal(got.headers['user-agent'], `casa-integrate/${VERSION}`);
      assert.equal(got.headers['webhook-id'], event.id);
      assert.equal(got.headers['webhook-timestamp'], String(Math.floor(event.created_at / 1e6)));
      assert.match(String(got.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]{43}=$/);
      assert.deepEqual(verifyWebhook(secret, got, nowMs(ctx)), JSON.parse(got.body));
      assert.equal(got.headers['api-key'], undefined);
    }
    // A tampered body fails verification.
    assert.throws(
      () => verifyWebhook(secret, { ...a.received[0]!, body: a.received[0]!.body.replace('Pending', 'Ready') }, nowMs(ctx)),
      /No matching signature/,
    );
  });

  it('sends only subscribed triggers', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    await subscribe(ctx, company, [receiver.url], ['moved_to_ready']);
    const dispatcher = testDispatcher(ctx, t);
    await recordEvent(ctx, { companyId: company.id, trigger: 'moved_to_draft', currentStatus: 'Draft', previousStatus: 'New' });
    await recordEvent(ctx, { companyId: company.id, trigger: 'moved_to_pending' });
    const ready = await recordEvent(ctx, {
      companyId: company.id,
      trigger: 'moved_to_ready',
      currentStatus: 'Ready',
      previousStatus: 'Pending',
    });
    await dispatcher.drain();
    assert.deepEqual(
      receiver.received.map((r) => r.headers['webhook-id']),
      [ready.id],
    );
  });
});
