// POST /orders/{id}/post-purchase errors, and GET /orders/{id}/combined-pdf.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertRequiresApiKey } from '../helpers/security.js';
import { advanceAndProduce } from '../helpers/production.js';
import { buildOrdersApp, call, createDraft, getOrder, ok, scan, snapshot } from './order-helpers.js';

describe('POST /orders/{order_id}/post-purchase', () => {
  it('upgrades a Draft before its scan; the first delivery then holds everything bought', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const draft = await createDraft(ctx, company, { package_type: 'base', add_ons: [] });
    const res = await ok(
      call(ctx, company, 'POST', `/orders/${draft.id}/post-purchase`, { package_type: 'plus_3d', add_ons: ['3d_video', 'gla'] }),
    );
    assert.deepEqual(res.info.product, {
      package_type: 'plus_3d',
      add_ons: ['gla', '3d_video'],
      over_limits: [],
      purchasable_add_ons: ['3d_cad_files', '6h_turnaround'],
    });
    assert.equal(res.info.status, 'Draft');
    assert.deepEqual(res.delivery_assets.floorplans_3d, { gltf_urls: [], viewer_url: null });
    assert.deepEqual(res.delivery_assets.video_3d, { mp4_urls: [] });
    await scan(ctx, draft.id);
    await advanceAndProduce(ctx);
    const admin = await ok(call(ctx, null, 'GET', `/admin/v1/orders/${draft.id}`));
    assert.deepEqual(admin.production.delivered_products, [
      'listing_floorplans',
      'home_report',
      'tour',
      'floorplans_3d',
      'video_3d',
      'gla_package',
      'snapshot',
      'property_data',
    ]);
  });

  it('refuses a downgrade or the same package (409), an add-on already bought (400) and unknown values (400), changing nothing', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company, { package_type: 'plus', add_ons: ['gla'] });
    const before = await snapshot(ctx);
    for (const pkg of ['base', 'plus']) {
      const res = await call(ctx, company, 'POST', `/orders/${order.id}/post-purchase`, { package_type: pkg, add_ons: [] });
      assert.deepEqual(
        [res.statusCode, res.json()],
        [409, { message: 'Order already has package plus; post-purchase only upgrades to a higher package.' }],
      );
    }
    const bought = await call(ctx, company, 'POST', `/orders/${order.id}/post-purchase`, {
      package_type: null,
      add_ons: ['3d_cad_files', 'gla'],
    });
    assert.deepEqual(
      [bought.statusCode, bought.json()],
      [
        400,
        {
          validation_error: {
            body_params: [
              {
                loc: ['add_ons', 1],
                msg: "value is not a valid enumeration member; permitted: '3d_cad_files', '3d_video', '6h_turnaround'",
                type: 'type_error.enum',
              },
            ],
          },
        },
      ],
    );
    const unknown = await call(ctx, company, 'POST', `/orders/${order.id}/post-purchase`, { package_type: 'gold', add_ons: ['sauna'] });
    assert.deepEqual(unknown.json(), {
      validation_error: {
        body_params: [
          {
            loc: ['package_type'],
            msg: "value is not a valid enumeration member; permitted: 'base', 'plus', 'plus_3d'",
            type: 'type_error.enum',
          },
          {
            loc: ['add_ons', 0],
            msg: "value is not a valid enumeration member; permitted: 'gla', '3d_cad_files', '3d_video', '6h_turnaround'",
            type: 'type_error.enum',
          },
        ],
      },
    });
    const missing = await call(ctx, company, 'POST', `/orders/${order.id}/post-purchase`, {});
    assert.deepEqual(missing.json(), {
      validation_error: {
        body_params: [
          { loc: ['package_type'], msg: 'field required', type: 'value_error.missing' },
          { loc: ['add_ons'], msg: 'field required', type: 'value_error.missing' },
        ],
      },
    });
    const notFound = await call(ctx, company, 'POST', '/orders/00000000-0000-4000-8000-000000000000/post-purchase', {
      package_type: null,
      add_ons: [],
    });
    assert.equal(notFound.statusCode, 404);
    assert.deepEqual(await snapshot(ctx), before);
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company, { package_type: 'base' });
    await assertRequiresApiKey(ctx, {
      method: 'POST',
      url: `/api/integrate/v3/orders/${order.id}/post-purchase`,
      payload: { package_type: 'plus', add_ons: [] },
    });
    assert.equal((await getOrder(ctx, company, order.id)).info.product.package_type, 'base');
  });
});

describe('GET /orders/{order_id}/combined-pdf', () => {
  it('answers 409 while the order is not delivered, and while no PDF is produced', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company);
    const early = await call(ctx, company, 'GET', `/orders/${order.id}/combined-pdf`);
    assert.deepEqual(
      [early.statusCode, early.json()],
      [409, { message: 'Order is in status Draft; the combined PDF needs a delivered order.' }],
    );
    const unknown = await call(ctx, company, 'GET', '/orders/00000000-0000-4000-8000-000000000000/combined-pdf');
    assert.equal(unknown.statusCode, 404);
    await scan(ctx, order.id);
    await advanceAndProduce(ctx);
    const res = await call(ctx, company, 'GET', `/orders/${order.id}/combined-pdf`);
    if (res.statusCode === 200) {
      // The rendering side is wired in: a real PDF comes back.
      assert.equal(res.headers['content-type'], 'application/pdf');
      assert.equal(res.rawPayload.subarray(0, 5).toString(), '%PDF-');
    } else {
      assert.deepEqual(
        [res.statusCode, res.json()],
        [409, { message: 'Order is in status Ready; the combined PDF needs a delivered order.' }],
      );
    }
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company);
    await assertRequiresApiKey(ctx, { method: 'GET', url: `/api/integrate/v3/orders/${order.id}/combined-pdf` });
  });
});
