// Every path of the order lifecycle, end to end through HTTP: after each step the order read back
// matches the contract field by field, and the event rows hold exactly the transitions made.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runProduction, advanceAndProduce } from '../helpers/production.js';
import {
  ALL_ASSETS_NULL,
  EMPTY_LISTING,
  assertTakenAfter,
  call,
  buildOrdersApp,
  createDraft,
  draftBody,
  ev,
  eventsOf,
  getOrder,
  modelIdsOf,
  ok,
  redrawBody,
  scan,
} from './order-helpers.js';

/** Which products an order shows (bought) and which are null (not bought). */
function presence(assets: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(assets).map(([k, v]) => [k, v === null ? null : 'bought']));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('draft → scan → Pending → Ready → change request → Fixing → Ready', () => {
  it('walks the whole path with the order and its events exact at every step', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();

    const beforeCreate = ctx.clock.nowUs();
    const draft = await createDraft(ctx, company);
    assert.match(draft.id, UUID);
    assert.deepEqual(Object.keys(draft), ['id', 'info', 'address', 'delivery_assets']);
    assert.deepEqual(Object.keys(draft.info), [
      'status',
      'created_by',
      'owner_email',
      'location',
      'order_type',
      'first_delivered_at',
      'created_at',
      'is_scan_order',
      'total_scanned_area',
      'go2scan',
      'external_id',
      'add_info',
      'style_template',
      'product',
    ]);
    assertTakenAfter(draft.info.created_at, beforeCreate);
    const createdAt = draft.info.created_at;
    const expectedInfo = {
      status: 'Draft',
      created_by: company.managerEmail,
      owner_email: company.managerEmail,
      location: '615 Bourbon St A1 New Orleans Louisiana 70130',
      order_type: 'vbim',
      first_delivered_at: null,
      created_at: createdAt,
      is_scan_order: true,
      total_scanned_area: 0,
      go2scan: null,
      external_id: 'R4ER93',
      add_info: 'Extra info',
      style_template: null,
      product: {
        package_type: 'base',
        add_ons: ['gla'],
        over_limits: [],
        purchasable_add_ons: ['3d_cad_files', '3d_video', '6h_turnaround'],
      },
    };
    const expectedAddress = {
      full_address: '615 Bourbon St A1, New Orleans, LA 70130, United States',
      street: 'Bourbon St',
      number: '615',
      suite: 'A1',
      city: 'New Orleans',
      state: 'Louisiana',
      postalCode: '70130',
      country: 'United States',
      latitude: 29.958365,
      longitude: -90.066198,
    };
    const undelivered = { ...ALL_ASSETS_NULL, listing_floorplans: EMPTY_LISTING, gla_package: { pdf_urls: [], json_urls: [] } };
    assert.deepEqual(draft, { id: draft.id, info: expectedInfo, address: expectedAddress, delivery_assets: undelivered });
    assert.deepEqual(await getOrder(ctx, company, draft.id), draft);
    assert.deepEqual(await eventsOf(ctx, draft.id), [ev('moved_to_draft', 'Draft', 'New')]);

    // The operator uploads the scan: Draft → Pending with the stated area.
    await scan(ctx, draft.id, { total_scanned_area: 1234.5 });
    const pending = await getOrder(ctx, company, draft.id);
    assert.deepEqual(pending, { ...draft, info: { ...expectedInfo, status: 'Pending', total_scanned_area: 1234.5 } });
    assert.deepEqual(await eventsOf(ctx, draft.id), [ev('moved_to_draft', 'Draft', 'New'), ev('moved_to_pending', 'Pending', 'Draft')]);

    // Not due before the production delay (20 s by default).
    ctx.clock.advanceSeconds(19);
    assert.equal(await runProduction(ctx), 0);
    assert.equal((await getOrder(ctx, company, draft.id)).info.status, 'Pending');

    ctx.clock.advanceSeconds(2);
    const beforeDelivery = ctx.clock.nowUs();
    assert.equal(await runProduction(ctx), 1);
    const ready = await getOrder(ctx, company, draft.id);
    assertTakenAfter(ready.info.first_delivered_at, beforeDelivery);
    const firstDeliveredAt = ready.info.first_delivered_at;
    assert.deepEqual(
      { ...ready, delivery_assets: undefined },
      {
        ...draft,
        delivery_assets: undefined,
        info: { ...expectedInfo, status: 'Ready', total_scanned_area: 1234.5, first_delivered_at: firstDeliveredAt },
      },
    );
    // Bought products are shown (filled by the renderer once produced), the rest stay null.
    assert.deepEqual(presence(ready.delivery_assets), presence(undelivered));
    const afterReady = [
      ev('moved_to_draft', 'Draft', 'New'),
      ev('moved_to_pending', 'Pending', 'Draft'),
      ev('moved_to_ready', 'Ready', 'Pending'),
    ];
    assert.deepEqual(await eventsOf(ctx, draft.id), afterReady);

    // A change request moves it to Fixing.
    const beforeCr = ctx.clock.nowUs();
    const cr = await ok(
      call(ctx, company, 'POST', `/orders/${draft.id}/change-requests`, {
        message: 'The kitchen is missing a window.',
        attachment_urls: ['https://example.com/photo.jpg'],
      }),
    );
    assert.deepEqual(Object.keys(cr), [
      'id',
      'order_id',
      'status',
      'message',
      'product_type',
      'attachment_urls',
      'created_by',
      'created_at',
      'resolved_at',
    ]);
    assertTakenAfter(cr.created_at, beforeCr);
    assert.deepEqual(cr, {
      id: cr.id,
      order_id: draft.id,
      status: 'Open',
      message: 'The kitchen is missing a window.',
      product_type: 'products_2d',
      attachment_urls: ['https://example.com/photo.jpg'],
      created_by: company.managerEmail,
      created_at: cr.created_at,
      resolved_at: null,
    });
    const fixing = await getOrder(ctx, company, draft.id);
    assert.deepEqual(fixing.info, { ...ready.info, status: 'Fixing' });
    const afterFixing = [...afterReady, ev('moved_to_fixing', 'Fixing', 'Ready')];
    assert.deepEqual(await eventsOf(ctx, draft.id), afterFixing);

    // The fix is delivered: Ready again, the request Done, first_delivered_at unchanged.
    ctx.clock.advanceSeconds(21);
    const beforeFix = ctx.clock.nowUs();
    assert.equal(await runProduction(ctx), 1);
    const fixed = await getOrder(ctx, company, draft.id);
    assert.deepEqual(fixed.info, { ...ready.info, status: 'Ready', first_delivered_at: firstDeliveredAt });
    assert.deepEqual(await eventsOf(ctx, draft.id), [...afterFixing, ev('moved_to_ready', 'Ready', 'Fixing', 'products_2d', 'fix')]);
    const done = await ok(call(ctx, company, 'GET', `/orders/${draft.id}/change-requests/${cr.id}`));
    assertTakenAfter(done.resolved_at, beforeFix);
    assert.deepEqual(done, { ...cr, status: 'Done', resolved_at: done.resolved_at });
    assert.deepEqual(await modelIdsOf(ctx, draft.id), [
      (await ctx.storage.db.selectFrom('orders').select('model_id').where('id', '=', draft.id).executeTakeFirstOrThrow()).model_id,
    ]);

    // Nothing more to do.
    ctx.clock.advanceSeconds(3600);
    assert.equal(await runProduction(ctx), 0);
  });

  it('sends one moved_to_ready per product type, 2D then 3D then tour', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company, { package_type: 'plus_3d', add_ons: ['3d_cad_files'] });
    await scan(ctx, order.id);
    assert.equal(await advanceAndProduce(ctx), 1);
    assert.deepEqual(await eventsOf(ctx, order.id), [
      ev('moved_to_draft', 'Draft', 'New'),
      ev('moved_to_pending', 'Pending', 'Draft'),
      ev('moved_to_ready', 'Ready', 'Pending', 'products_2d'),
      ev('moved_to_ready', 'Ready', 'Pending', 'products_3d'),
      ev('moved_to_ready', 'Ready', 'Pending', 'tour'),
    ]);
    // A 3D change request is fixed and delivered as products_3d only.
    await ok(
      call(ctx, company, 'POST', `/orders/${order.id}/change-requests`, { message: 'Wrong wall height', product_type: 'products_3d' }),
    );
    await advanceAndProduce(ctx);
    const events = await eventsOf(ctx, order.id);
    assert.deepEqual(events.slice(5), [
      ev('moved_to_fixing', 'Fixing', 'Ready'),
      ev('moved_to_ready', 'Ready', 'Fixing', 'products_3d', 'fix'),
    ]);
  });

  it('derives a plausible scanned area from the order id when the scan states none, and flags areas over 5,000 ft²', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const a = await createDraft(ctx, company);
    await scan(ctx, a.id);
    const area = (await getOrder(ctx, company, a.id)).info.total_scanned_area;
    assert.ok(area >= 800 && area < 4000, `area ${area}`);
    const big = await createDraft(ctx, company);
    await scan(ctx, big.id, { total_scanned_area: 5000.5 });
    assert.deepEqual((await getOrder(ctx, company, big.id)).info.product.over_limits, ['area']);
    const edge = await createDraft(ctx, company);
    await scan(ctx, edge.id, { total_scanned_area: 5000 });
    assert.deepEqual((await getOrder(ctx, company, edge.id)).info.product.over_limits, []);
  });
});

describe('redraw: New → Pending → Ready', () => {
  it('creates a redraw order that is Pending at once and delivered after the delay', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const before = ctx.clock.nowUs();
    const order = await ok(call(ctx, company, 'POST', '/orders', redrawBody({ external_id: 'EXT10005', suite: 'Cubi suite' })));
    assertTakenAfter(order.info.created_at, before);
    const area = order.info.total_scanned_area;
    assert.ok(area >= 800 && area < 4000);
    assert.deepEqual(order.info, {
      status: 'Pending',
      created_by: company.managerEmail,
      owner_email: company.managerEmail,
      location: '121 North Washington Avenue Cubi suite Minneapolis Minnesota 55401',
      order_type: 'redraw',
      first_delivered_at: null,
      created_at: order.info.created_at,
      is_scan_order: false,
      total_scanned_area: area,
      go2scan: null,
      external_id: 'EXT10005',
      add_info: 'Please draw the attached plan',
      style_template: null,
      product: {
        package_type: 'plus',
        add_ons: [],
        over_limits: [],
        purchasable_add_ons: ['gla', '3d_cad_files', '3d_video', '6h_turnaround'],
      },
    });
    assert.deepEqual(order.address, {
      full_address: '121 North Washington Avenue Cubi suite, Minneapolis, MN 55401, United States',
      street: 'North Washington Avenue',
      number: '121',
      suite: 'Cubi suite',
      city: 'Minneapolis',
      state: 'Minnesota',
      postalCode: '55401',
      country: 'United States',
      latitude: null,
      longitude: null,
    });
    assert.deepEqual(await eventsOf(ctx, order.id), [ev('moved_to_pending', 'Pending', 'New')]);
    assert.equal(await advanceAndProduce(ctx), 1);
    const ready = await getOrder(ctx, company, order.id);
    assert.equal(ready.info.status, 'Ready');
    assert.deepEqual(await eventsOf(ctx, order.id), [
      ev('moved_to_pending', 'Pending', 'New'),
      ev('moved_to_ready', 'Ready', 'Pending', 'products_2d'),
      ev('moved_to_ready', 'Ready', 'Pending', 'tour'),
    ]);
  });

  it('reproduces the live 400 for a nested body, field by field, and creates nothing', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const res = await call(ctx, company, 'POST', '/orders', {
      info: { external_id: 'X1' },
      address: { street: '1 Main St', city: 'Town' },
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      validation_error: {
        body_params: [
          { loc: ['street'], msg: 'field required', type: 'value_error.missing' },
          { loc: ['city'], msg: 'field required', type: 'value_error.missing' },
          { loc: ['country'], msg: 'field required', type: 'value_error.missing' },
          { loc: ['info'], msg: 'str type expected', type: 'type_error.str' },
          { loc: ['source'], msg: 'field required', type: 'value_error.missing' },
        ],
      },
    });
    assert.equal((await ok(call(ctx, company, 'GET', '/orders'))).items.length, 0);
  });

  it('takes a list of sources and refuses a non-http source', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    await ok(call(ctx, company, 'POST', '/orders', redrawBody({ source: ['https://a.example/1.png', 'http://a.example/2.png'] })));
    const bad = await call(ctx, company, 'POST', '/orders', redrawBody({ source: 'ftp://a.example/1.png' }));
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(
      bad.json().validation_error.body_params.map((e: { loc: unknown[] }) => e.loc),
      [['source']],
    );
    const tooMany = await call(
      ctx,
      company,
      'POST',
      '/orders',
      redrawBody({ source: Array.from({ length: 11 }, (_, i) => `https://a.example/${i}.png`) }),
    );
    assert.equal(tooMany.statusCode, 400);
    assert.equal((await ok(call(ctx, company, 'GET', '/orders'))).items.length, 1);
  });
});

describe('post-purchase on a Ready order', () => {
  it('delivers the newly bought products later as an update, 2D then tour', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company, { package_type: 'base', add_ons: [] });
    await scan(ctx, order.id);
    await advanceAndProduce(ctx);
    const before = await getOrder(ctx, company, order.id);

    const upgraded = await ok(call(ctx, company, 'POST', `/orders/${order.id}/post-purchase`, { package_type: 'plus', add_ons: ['gla'] }));
    assert.deepEqual(upgraded.info, {
      ...before.info,
      product: {
        package_type: 'plus',
        add_ons: ['gla'],
        over_limits: [],
        purchasable_add_ons: ['3d_cad_files', '3d_video', '6h_turnaround'],
      },
    });
    assert.deepEqual(presence(upgraded.delivery_assets), {
      ...presence(ALL_ASSETS_NULL),
      listing_floorplans: 'bought',
      home_report: 'bought',
      tour: 'bought',
      gla_package: 'bought',
      snapshot: 'bought',
      property_data: 'bought',
    });
    assert.deepEqual(await getOrder(ctx, company, order.id), upgraded);
    const admin = await ok(call(ctx, null, 'GET', `/admin/v1/orders/${order.id}`));
    assert.deepEqual(admin.production.pending_products, ['home_report', 'tour', 'gla_package', 'snapshot', 'property_data']);
    assert.equal(admin.production.pending_delivery_type, 'update');

    assert.equal(await advanceAndProduce(ctx), 1);
    assert.equal((await getOrder(ctx, company, order.id)).info.status, 'Ready');
    assert.deepEqual((await eventsOf(ctx, order.id)).slice(3), [
      ev('moved_to_ready', 'Ready', 'Ready', 'products_2d', 'update'),
      ev('moved_to_ready', 'Ready', 'Ready', 'tour', 'update'),
    ]);
    assert.equal(await advanceAndProduce(ctx), 0);
  });

  it('on a Pending order the upgrade joins the first delivery, and 6h_turnaround shortens the wait to a quarter', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company, { package_type: 'base', add_ons: [] });
    await scan(ctx, order.id);
    await ok(call(ctx, company, 'POST', `/orders/${order.id}/post-purchase`, { package_type: null, add_ons: ['6h_turnaround'] }));
    ctx.clock.advanceSeconds(6); // 20 s / 4 = 5 s
    assert.equal(await runProduction(ctx), 1);
    assert.deepEqual(
      (await eventsOf(ctx, order.id)).map((e) => e.trigger),
      ['moved_to_draft', 'moved_to_pending', 'moved_to_ready'],
    );
  });
});

describe('redeliver on a Ready order', () => {
  it('stores the style, produces the 2D products again and sends an update', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company, { package_type: 'plus', add_ons: [] });
    await scan(ctx, order.id);
    await advanceAndProduce(ctx);
    const res = await ok(
      call(ctx, company, 'POST', `/orders/${order.id}/redeliver`, {
        style_template_id: 'blueprint',
        units: 'metric',
        label_language: 'fi',
        add_info: 'Show the sauna',
      }),
    );
    assert.deepEqual(res.info.style_template, {
      style_template_id: 'blueprint',
      units: 'metric',
      label_language: 'fi',
      show_dimensions: true,
    });
    assert.equal(res.info.add_info, 'Show the sauna');
    assert.equal(res.info.status, 'Ready');
    assert.equal(await runProduction(ctx), 1); // restyling is due at once
    assert.deepEqual((await eventsOf(ctx, order.id)).slice(4), [ev('moved_to_ready', 'Ready', 'Ready', 'products_2d', 'update')]);
    // A second redelivery keeps what it does not change.
    const again = await ok(call(ctx, company, 'POST', `/orders/${order.id}/redeliver`, { show_dimensions: false }));
    assert.deepEqual(again.info.style_template, {
      style_template_id: 'blueprint',
      units: 'metric',
      label_language: 'fi',
      show_dimensions: false,
    });
  });

  it('answers 409 before delivery and 400 for an unknown template, changing nothing', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company);
    await scan(ctx, order.id);
    const early = await call(ctx, company, 'POST', `/orders/${order.id}/redeliver`, { style_template_id: 'classic' });
    assert.equal(early.statusCode, 409);
    assert.deepEqual(early.json(), { message: 'Order is in status Pending; this needs Ready.' });
    await advanceAndProduce(ctx);
    const bad = await call(ctx, company, 'POST', `/orders/${order.id}/redeliver`, {
      style_template_id: 'neon',
      units: 'cubits',
      label_language: 'not a tag',
      show_dimensions: 'yes',
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(
      bad.json().validation_error.body_params.map((e: { loc: unknown[]; type: string }) => [e.loc[0], e.type]),
      [
        ['style_template_id', 'type_error.enum'],
        ['units', 'type_error.enum'],
        ['label_language', 'value_error.str.regex'],
        ['show_dimensions', 'type_error.bool'],
      ],
    );
    assert.equal((await getOrder(ctx, company, order.id)).info.style_template, null);
  });
});

describe('operator: fail, hold, deliver now', () => {
  it('fails a Pending order (moved_to_failed); production and further transitions leave it alone', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company);
    await scan(ctx, order.id);
    const failed = await ok(call(ctx, null, 'POST', `/admin/v1/orders/${order.id}/fail`));
    assert.equal(failed.order.info.status, 'Failed');
    assert.equal(failed.production.due_at, null);
    assert.equal(await advanceAndProduce(ctx), 0);
    assert.equal((await getOrder(ctx, company, order.id)).info.status, 'Failed');
    assert.deepEqual(await eventsOf(ctx, order.id), [
      ev('moved_to_draft', 'Draft', 'New'),
      ev('moved_to_pending', 'Pending', 'Draft'),
      ev('moved_to_failed', 'Failed', 'Pending'),
    ]);
    for (const action of ['deliver', 'fail', 'scan']) {
      const res = await call(ctx, null, 'POST', `/admin/v1/orders/${order.id}/${action}`, {});
      assert.equal(res.statusCode, 409, action);
    }
    const cr = await call(ctx, company, 'POST', `/orders/${order.id}/change-requests`, { message: 'x' });
    assert.deepEqual(cr.json(), { message: 'Order is in status Failed; this needs Ready.' });
    assert.equal((await eventsOf(ctx, order.id)).length, 3);
  });

  it('holds production until unhold; deliver works while held; hold changes no status and sends no event', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const a = await createDraft(ctx, company);
    const b = await createDraft(ctx, company);
    await scan(ctx, a.id);
    await scan(ctx, b.id);
    const held = await ok(call(ctx, null, 'POST', `/admin/v1/orders/${a.id}/hold`));
    assert.equal(held.production.held, true);
    assert.equal(held.order.info.status, 'Pending');
    await ok(call(ctx, null, 'POST', `/admin/v1/orders/${b.id}/hold`));
    assert.equal(await advanceAndProduce(ctx, 3600), 0);
    assert.equal((await getOrder(ctx, company, a.id)).info.status, 'Pending');
    assert.equal((await eventsOf(ctx, a.id)).length, 2);

    const released = await ok(call(ctx, null, 'POST', `/admin/v1/orders/${a.id}/unhold`));
    assert.equal(released.production.held, false);
    assert.equal(await runProduction(ctx), 1);
    assert.equal((await getOrder(ctx, company, a.id)).info.status, 'Ready');

    const delivered = await ok(call(ctx, null, 'POST', `/admin/v1/orders/${b.id}/deliver`));
    assert.equal(delivered.order.info.status, 'Ready');
    assert.equal(delivered.production.held, true);
    assert.deepEqual(
      delivered.events.map((e: { trigger: string; product_type: string }) => `${e.trigger}:${e.product_type}`),
      ['moved_to_draft:products_2d', 'moved_to_pending:products_2d', 'moved_to_ready:products_2d'],
    );
  });

  it('delivers at once, before the delay, and then has nothing left to deliver', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company);
    await scan(ctx, order.id);
    const res = await ok(call(ctx, null, 'POST', `/admin/v1/orders/${order.id}/deliver`));
    assert.equal(res.order.info.status, 'Ready');
    assert.equal(typeof res.order.info.first_delivered_at, 'number');
    assert.equal(await advanceAndProduce(ctx), 0);
    const again = await call(ctx, null, 'POST', `/admin/v1/orders/${order.id}/deliver`);
    assert.equal(again.statusCode, 409);
    assert.equal((await eventsOf(ctx, order.id)).length, 3);
  });

  it('refuses to scan an order twice and to deliver a Draft', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company);
    const early = await call(ctx, null, 'POST', `/admin/v1/orders/${order.id}/deliver`);
    assert.deepEqual(
      [early.statusCode, early.json()],
      [409, { message: 'Order is in status Draft; this needs Pending, Fixing or Ready.' }],
    );
    await scan(ctx, order.id);
    const twice = await call(ctx, null, 'POST', `/admin/v1/orders/${order.id}/scan`, {});
    assert.deepEqual([twice.statusCode, twice.json()], [409, { message: 'Order is in status Pending; this needs New or Draft.' }]);
    const unknown = await call(ctx, null, 'POST', '/admin/v1/orders/00000000-0000-4000-8000-000000000000/scan', {});
    assert.deepEqual([unknown.statusCode, unknown.json()], [404, { message: 'Order not found.' }]);
    const noKey = await ctx.inject({ method: 'POST', url: `/admin/v1/orders/${order.id}/fail` });
    assert.equal(noKey.statusCode, 401);
    const customerKey = await ctx.inject({
      method: 'POST',
      url: `/admin/v1/orders/${order.id}/fail`,
      headers: { 'admin-key': company.apiKey },
    });
    assert.equal(customerKey.statusCode, 401);
    assert.equal((await getOrder(ctx, company, order.id)).info.status, 'Pending');
  });
});

describe('cctest addresses', () => {
  it('are never delivered, by production or by the operator', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company, draftBody(company, { street: '1 CCTEST Street' }));
    await scan(ctx, order.id);
    assert.equal(await advanceAndProduce(ctx, 365 * 86400), 0);
    assert.equal((await getOrder(ctx, company, order.id)).info.status, 'Pending');
    const res = await call(ctx, null, 'POST', `/admin/v1/orders/${order.id}/deliver`);
    assert.deepEqual([res.statusCode, res.json()], [409, { message: 'Orders with cctest in the address are never delivered.' }]);
    const redraw = await ok(call(ctx, company, 'POST', '/orders', redrawBody({ city: 'cctest city' })));
    assert.equal(await advanceAndProduce(ctx, 86400), 0);
    assert.equal((await getOrder(ctx, company, redraw.id)).info.status, 'Pending');
    assert.deepEqual(await eventsOf(ctx, order.id), [ev('moved_to_draft', 'Draft', 'New'), ev('moved_to_pending', 'Pending', 'Draft')]);
  });
});
