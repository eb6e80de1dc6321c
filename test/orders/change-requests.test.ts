// Change requests: creation rules, listing, reading, bad input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertRequiresApiKey } from '../helpers/security.js';
import { advanceAndProduce } from '../helpers/production.js';
import type { TestApp, TestCompany } from '../helpers/app.js';
import { buildOrdersApp, call, createDraft, eventsOf, getOrder, ok, scan, snapshot } from './order-helpers.js';

async function readyOrder(ctx: TestApp, company: TestCompany, overrides: Record<string, unknown> = {}) {
  const order = await createDraft(ctx, company, overrides);
  await scan(ctx, order.id);
  await advanceAndProduce(ctx);
  return order;
}

describe('POST /orders/{order_id}/change-requests', () => {
  it('answers 409 on orders that are not Ready (Draft, Pending, Fixing), changing nothing', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const fixing = await readyOrder(ctx, company);
    await ok(call(ctx, company, 'POST', `/orders/${fixing.id}/change-requests`, { message: 'first' }));
    const draft = await createDraft(ctx, company);
    const pending = await createDraft(ctx, company);
    await scan(ctx, pending.id);
    const before = await snapshot(ctx);
    for (const [id, status] of [
      [draft.id, 'Draft'],
      [pending.id, 'Pending'],
      [fixing.id, 'Fixing'],
    ]) {
      const res = await call(ctx, company, 'POST', `/orders/${id}/change-requests`, { message: 'Please fix' });
      assert.deepEqual([res.statusCode, res.json()], [409, { message: `Order is in status ${status}; this needs Ready.` }]);
    }
    assert.deepEqual(await snapshot(ctx), before);
  });

  it('validates the body and refuses a product type the order did not buy', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await readyOrder(ctx, company, { package_type: 'plus', add_ons: [] });
    const before = await snapshot(ctx);
    const missing = await call(ctx, company, 'POST', `/orders/${order.id}/change-requests`, {});
    assert.deepEqual(missing.json(), {
      validation_error: { body_params: [{ loc: ['message'], msg: 'field required', type: 'value_error.missing' }] },
    });
    const bad = await call(ctx, company, 'POST', `/orders/${order.id}/change-requests`, {
      message: '',
      product_type: 'products_4d',
      attachment_urls: ['not a url', 'https://ok.example/a.png'],
    });
    assert.deepEqual(bad.json(), {
      validation_error: {
        body_params: [
          { loc: ['message'], msg: 'ensure this value has at least 1 characters', type: 'value_error.any_str.min_length' },
          {
            loc: ['product_type'],
            msg: "value is not a valid enumeration member; permitted: 'products_2d', 'products_3d', 'tour'",
            type: 'type_error.enum',
          },
          { loc: ['attachment_urls', 0], msg: 'invalid or missing URL scheme', type: 'value_error.url.scheme' },
        ],
      },
    });
    const tooLong = await call(ctx, company, 'POST', `/orders/${order.id}/change-requests`, { message: 'x'.repeat(5001) });
    assert.equal(tooLong.statusCode, 400);
    const notBought = await call(ctx, company, 'POST', `/orders/${order.id}/change-requests`, {
      message: 'The 3D is off',
      product_type: 'products_3d',
    });
    assert.deepEqual(notBought.json(), {
      validation_error: {
        body_params: [
          {
            loc: ['product_type'],
            msg: "value is not a valid enumeration member; permitted: 'products_2d', 'tour'",
            type: 'type_error.enum',
          },
        ],
      },
    });
    assert.deepEqual(await snapshot(ctx), before);
  });

  it('answers 404 for unknown and malformed order ids', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    for (const id of ['00000000-0000-4000-8000-000000000000', 'xyz']) {
      const res = await call(ctx, company, 'POST', `/orders/${id}/change-requests`, { message: 'x' });
      assert.deepEqual([res.statusCode, res.json()], [404, { message: 'Order not found.' }]);
    }
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await readyOrder(ctx, company);
    await assertRequiresApiKey(ctx, {
      method: 'POST',
      url: `/api/integrate/v3/orders/${order.id}/change-requests`,
      payload: { message: 'x' },
    });
    assert.equal((await getOrder(ctx, company, order.id)).info.status, 'Ready');
  });
});

describe('GET /orders/{order_id}/change-requests and /{change_request_id}', () => {
  it('lists the order’s requests newest first, paged, and reads each one', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await readyOrder(ctx, company, { package_type: 'plus_3d' });
    const other = await readyOrder(ctx, company);
    await ok(call(ctx, company, 'POST', `/orders/${other.id}/change-requests`, { message: 'other order' }));
    const made = [];
    for (const [i, type] of (['products_2d', 'tour', 'products_3d'] as const).entries()) {
      made.push(await ok(call(ctx, company, 'POST', `/orders/${order.id}/change-requests`, { message: `fix ${i}`, product_type: type })));
      await advanceAndProduce(ctx);
    }
    assert.deepEqual(
      made.map((c) => c.product_type),
      ['products_2d', 'tour', 'products_3d'],
    );
    const first = await ok(call(ctx, company, 'GET', `/orders/${order.id}/change-requests?limit=2`));
    assert.deepEqual(first.pagination, { has_more: true, limit: 2, next_offset: 2, previous_offset: 0 });
    assert.deepEqual(
      first.items.map((c: { message: string; status: string }) => [c.message, c.status]),
      [
        ['fix 2', 'Done'],
        ['fix 1', 'Done'],
      ],
    );
    const second = await ok(call(ctx, company, 'GET', `/orders/${order.id}/change-requests?limit=2&offset=2`));
    assert.deepEqual(second.pagination, { has_more: false, limit: 2, next_offset: 4, previous_offset: 0 });
    assert.deepEqual(
      second.items.map((c: { id: string }) => c.id),
      [made[0].id],
    );
    const one = await ok(call(ctx, company, 'GET', `/orders/${order.id}/change-requests/${made[1].id}`));
    assert.deepEqual(one, { ...made[1], status: 'Done', resolved_at: one.resolved_at });
    assert.equal(typeof one.resolved_at, 'number');
    // Each fix delivered only its own product type.
    const fixes = (await eventsOf(ctx, order.id)).filter((e) => e.delivery_type === 'fix').map((e) => e.product_type);
    assert.deepEqual(fixes, ['products_2d', 'tour', 'products_3d']);
  });

  it('answers 404 for a request of another order, an unknown request and an unknown order', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const a = await readyOrder(ctx, company);
    const b = await readyOrder(ctx, company);
    const cr = await ok(call(ctx, company, 'POST', `/orders/${a.id}/change-requests`, { message: 'x' }));
    for (const url of [
      `/orders/${b.id}/change-requests/${cr.id}`,
      `/orders/${a.id}/change-requests/00000000-0000-4000-8000-000000000000`,
      `/orders/${a.id}/change-requests/nope`,
    ]) {
      const res = await call(ctx, company, 'GET', url);
      assert.deepEqual([res.statusCode, res.json()], [404, { message: 'Change request not found.' }], url);
    }
    const unknownOrder = await call(ctx, company, 'GET', '/orders/00000000-0000-4000-8000-000000000000/change-requests');
    assert.deepEqual([unknownOrder.statusCode, unknownOrder.json()], [404, { message: 'Order not found.' }]);
    const empty = await ok(call(ctx, company, 'GET', `/orders/${b.id}/change-requests`));
    assert.deepEqual(empty, { pagination: { has_more: false, limit: 20, next_offset: 20, previous_offset: 0 }, items: [] });
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await readyOrder(ctx, company);
    const cr = await ok(call(ctx, company, 'POST', `/orders/${order.id}/change-requests`, { message: 'x' }));
    await assertRequiresApiKey(ctx, { method: 'GET', url: `/api/integrate/v3/orders/${order.id}/change-requests` });
    await assertRequiresApiKey(ctx, { method: 'GET', url: `/api/integrate/v3/orders/${order.id}/change-requests/${cr.id}` });
  });
});
