// Every lifecycle path, driven through HTTP, produces exactly the documented webhooks: bodies
// byte-equal to the expected JSON, in order, each signature verified with `standardwebhooks`.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { TestApp, TestCompany } from '../helpers/app.js';
import { advanceAndProduce, runProduction } from '../helpers/production.js';
import {
  ALL_TRIGGERS,
  expectedBody,
  startReceiver,
  subscribe,
  testDispatcher,
  verifyWebhook,
  webhookSecret,
  type Receiver,
} from '../helpers/webhooks.js';
import { buildOrdersApp, call, createDraft, ok, redrawBody, scan } from '../orders/order-helpers.js';
import type { WebhookDispatcher } from '../../src/workers/webhook-dispatcher.js';

interface Setup {
  ctx: TestApp;
  company: TestCompany;
  receiver: Receiver;
  dispatcher: WebhookDispatcher;
  secret: string;
}

async function setup(t: TestContext, triggers = ALL_TRIGGERS): Promise<Setup> {
  const ctx = await buildOrdersApp(t);
  const company = await ctx.createCompany();
  const receiver = await startReceiver(t);
  await subscribe(ctx, company, [receiver.url], triggers);
  return { ctx, company, receiver, dispatcher: testDispatcher(ctx, t), secret: await webhookSecret(ctx, company.id) };
}

async function modelIdOf(ctx: TestApp, orderId: string): Promise<string> {
  return (await ctx.storage.db.selectFrom('orders').select('model_id').where('id', '=', orderId).executeTakeFirstOrThrow()).model_id;
}

/** Sends what is queued and answers the bodies that arrived since `from`, each signature checked. */
async function delivered(s: Setup, from = 0): Promise<string[]> {
  await s.dispatcher.drain();
  const got = s.receiver.received.slice(from);
  for (const r of got) verifyWebhook(s.secret, r, s.ctx.clock.nowUs() / 1000);
  assert.equal(new Set(got.map((r) => r.headers['webhook-id'])).size, got.length, 'one webhook-id per event');
  return got.map((r) => r.body);
}

function body(
  orderId: string,
  modelId: string,
  current: string,
  previous: string | null,
  productType = 'products_2d',
  deliveryType = 'new',
): string {
  return expectedBody({ orderId, modelId, currentStatus: current, previousStatus: previous, productType, deliveryType });
}

describe('webhooks of the order lifecycle', () => {
  it('draft → scan → Ready (2D, 3D, tour) → change request → fix delivered', async (t) => {
    const s = await setup(t);
    const order = await createDraft(s.ctx, s.company, { package_type: 'plus_3d', add_ons: ['3d_cad_files'] });
    const model = await modelIdOf(s.ctx, order.id);
    assert.deepEqual(await delivered(s), [body(order.id, model, 'Draft', 'New')]);

    await scan(s.ctx, order.id, { total_scanned_area: 900 });
    assert.deepEqual(await delivered(s, 1), [body(order.id, model, 'Pending', 'Draft')]);

    await advanceAndProduce(s.ctx);
    assert.deepEqual(await delivered(s, 2), [
      body(order.id, model, 'Ready', 'Pending', 'products_2d'),
      body(order.id, model, 'Ready', 'Pending', 'products_3d'),
      body(order.id, model, 'Ready', 'Pending', 'tour'),
    ]);

    await ok(call(s.ctx, s.company, 'POST', `/orders/${order.id}/change-requests`, { message: 'The kitchen is missing' }));
    assert.deepEqual(await delivered(s, 5), [body(order.id, model, 'Fixing', 'Ready')]);

    await advanceAndProduce(s.ctx);
    assert.deepEqual(await delivered(s, 6), [body(order.id, model, 'Ready', 'Fixing', 'products_2d', 'fix')]);
    assert.equal(s.receiver.received.length, 7);
  });

  it('redraw order: New → Pending at once, then Ready', async (t) => {
    const s = await setup(t);
    const order = await ok(call(s.ctx, s.company, 'POST', '/orders', redrawBody()));
    const model = await modelIdOf(s.ctx, order.id);
    assert.deepEqual(await delivered(s), [body(order.id, model, 'Pending', 'New')]);
    assert.equal(order.info.product.package_type, 'plus');
    await advanceAndProduce(s.ctx);
    assert.deepEqual(await delivered(s, 1), [body(order.id, model, 'Ready', 'Pending'), body(order.id, model, 'Ready', 'Pending', 'tour')]);
  });

  it('GoToScan order: nothing while New, Pending when the homeowner uploads', async (t) => {
    const s = await setup(t);
    const order = await ok(
      call(s.ctx, s.company, 'POST', '/orders/go2scan', {
        street: '1 Fake Street',
        city: 'Mountain View',
        country: 'United States',
        send_invitation: false,
      }),
    );
    assert.deepEqual(await delivered(s), []);
    const link: string = order.info.go2scan.link;
    const boundary = `----casa${crypto.randomBytes(6).toString('hex')}`;
    const payload = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="scan.zip"\r\nContent-Type: application/zip\r\n\r\nscan\r\n--${boundary}--\r\n`,
    );
    const res = await s.ctx.inject({
      method: 'POST',
      url: `/go2scan/${link.slice(link.lastIndexOf('/') + 1)}/upload`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    assert.equal(res.statusCode, 200, res.body);
    const model = await modelIdOf(s.ctx, order.id);
    assert.deepEqual(await delivered(s), [body(order.id, model, 'Pending', 'New')]);
  });

  it('post-purchase and redelivery on a Ready order are delivered as updates', async (t) => {
    const s = await setup(t);
    const order = await createDraft(s.ctx, s.company, { package_type: 'base', add_ons: [] });
    const model = await modelIdOf(s.ctx, order.id);
    await scan(s.ctx, order.id);
    await advanceAndProduce(s.ctx);
    assert.equal((await delivered(s)).length, 3);

    await ok(call(s.ctx, s.company, 'POST', `/orders/${order.id}/post-purchase`, { package_type: 'plus', add_ons: [] }));
    assert.deepEqual(await delivered(s, 3), [], 'buying sends nothing until the products are delivered');
    await advanceAndProduce(s.ctx);
    assert.deepEqual(await delivered(s, 3), [
      body(order.id, model, 'Ready', 'Ready', 'products_2d', 'update'),
      body(order.id, model, 'Ready', 'Ready', 'tour', 'update'),
    ]);

    await ok(call(s.ctx, s.company, 'POST', `/orders/${order.id}/redeliver`, { style_template_id: 'blueprint' }));
    await runProduction(s.ctx);
    assert.deepEqual(await delivered(s, 5), [body(order.id, model, 'Ready', 'Ready', 'products_2d', 'update')]);
  });

  it('operator fail sends moved_to_failed; a deleted draft and a hold send nothing', async (t) => {
    const s = await setup(t);
    const failing = await createDraft(s.ctx, s.company);
    const model = await modelIdOf(s.ctx, failing.id);
    await scan(s.ctx, failing.id);
    await ok(call(s.ctx, null, 'POST', `/admin/v1/orders/${failing.id}/hold`, {}));
    await ok(call(s.ctx, null, 'POST', `/admin/v1/orders/${failing.id}/fail`));
    assert.deepEqual(await delivered(s), [
      body(failing.id, model, 'Draft', 'New'),
      body(failing.id, model, 'Pending', 'Draft'),
      body(failing.id, model, 'Failed', 'Pending'),
    ]);

    const draft = await createDraft(s.ctx, s.company);
    const draftModel = await modelIdOf(s.ctx, draft.id);
    await ok(call(s.ctx, s.company, 'DELETE', `/orders/draft/${draft.id}`));
    assert.deepEqual(await delivered(s, 3), [body(draft.id, draftModel, 'Draft', 'New')]);
  });

  it('sends only the subscribed triggers of the lifecycle', async (t) => {
    const s = await setup(t, ['moved_to_ready']);
    const order = await createDraft(s.ctx, s.company, { package_type: 'base', add_ons: [] });
    const model = await modelIdOf(s.ctx, order.id);
    await scan(s.ctx, order.id);
    await advanceAndProduce(s.ctx);
    await ok(call(s.ctx, s.company, 'POST', `/orders/${order.id}/change-requests`, { message: 'Fix it' }));
    await advanceAndProduce(s.ctx);
    assert.deepEqual(await delivered(s), [
      body(order.id, model, 'Ready', 'Pending'),
      body(order.id, model, 'Ready', 'Fixing', 'products_2d', 'fix'),
    ]);
  });

  it('another company’s subscription receives nothing of this company’s orders', async (t) => {
    const s = await setup(t);
    const other = await s.ctx.createCompany();
    const otherReceiver = await startReceiver(t);
    await subscribe(s.ctx, other, [otherReceiver.url], ALL_TRIGGERS);
    const order = await createDraft(s.ctx, s.company);
    await scan(s.ctx, order.id);
    assert.equal((await delivered(s)).length, 2);
    assert.equal(otherReceiver.received.length, 0);
  });
});
