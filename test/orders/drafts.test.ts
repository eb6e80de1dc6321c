// Draft orders: create, update, delete, and every bad input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertRequiresApiKey } from '../helpers/security.js';
import { buildOrdersApp, call, createDraft, draftBody, ev, eventsOf, getOrder, ok, scan, snapshot } from './order-helpers.js';
import type { TestApp, TestCompany } from '../helpers/app.js';

async function addUser(ctx: TestApp, company: TestCompany, email: string) {
  return ok(call(ctx, company, 'POST', '/users', { email, role: 'User', password: 'user-password-1' }));
}

describe('POST /orders/draft', () => {
  it('creates a Draft with the company’s default package when none is given', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const res = await ok(
      call(ctx, company, 'POST', '/orders/draft', {
        street: '2361-73 Welsh Road',
        city: 'Philadelphia',
        state: 'PA',
        country: 'United States',
        owner_email: company.managerEmail.toUpperCase(),
      }),
    );
    assert.equal(res.info.status, 'Draft');
    assert.equal(res.info.owner_email, company.managerEmail);
    assert.deepEqual(res.info.product, {
      package_type: 'plus',
      add_ons: [],
      over_limits: [],
      purchasable_add_ons: ['gla', '3d_cad_files', '3d_video', '6h_turnaround'],
    });
    assert.deepEqual(res.address, {
      full_address: '2361-73 Welsh Road, Philadelphia, PA, United States',
      street: 'Welsh Road',
      number: '2361-73',
      suite: null,
      city: 'Philadelphia',
      state: 'PA',
      postalCode: null,
      country: 'United States',
      latitude: null,
      longitude: null,
    });
    assert.equal(res.info.add_info, '');
    assert.equal(res.info.external_id, null);
    assert.deepEqual(await eventsOf(ctx, res.id), [ev('moved_to_draft', 'Draft', 'New')]);
  });

  it('assigns the draft to another user of the company, and takes a known style template from order_preferences', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    await addUser(ctx, company, 'linus@computer.example');
    const res = await createDraft(ctx, company, {
      owner_email: 'Linus@Computer.example',
      order_preferences: { style_2d: { style_template_id: 'classic', add_info: 'string' }, style_3d: { include_basement: true } },
    });
    assert.equal(res.info.owner_email, 'linus@computer.example');
    assert.equal(res.info.created_by, company.managerEmail);
    assert.deepEqual(res.info.style_template, {
      style_template_id: 'classic',
      units: 'imperial',
      label_language: 'en',
      show_dimensions: true,
    });
  });

  it('reports every missing required field at once and creates nothing', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const res = await call(ctx, company, 'POST', '/orders/draft', {});
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      validation_error: {
        body_params: [
          { loc: ['street'], msg: 'field required', type: 'value_error.missing' },
          { loc: ['city'], msg: 'field required', type: 'value_error.missing' },
          { loc: ['country'], msg: 'field required', type: 'value_error.missing' },
          { loc: ['owner_email'], msg: 'field required', type: 'value_error.missing' },
        ],
      },
    });
    assert.equal((await ok(call(ctx, company, 'GET', '/orders'))).items.length, 0);
  });

  it('rejects wrong types and unknown enum values, field by field', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const res = await call(ctx, company, 'POST', '/orders/draft', {
      ...draftBody(company),
      street: 5,
      info: { text: 'nested' },
      latitude: 'north',
      longitude: 181,
      owner_email: 'not-an-email',
      package_type: 'gold',
      add_ons: ['gla', 'jacuzzi'],
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      validation_error: {
        body_params: [
          { loc: ['street'], msg: 'str type expected', type: 'type_error.str' },
          { loc: ['info'], msg: 'str type expected', type: 'type_error.str' },
          { loc: ['latitude'], msg: 'value is not a valid float', type: 'type_error.float' },
          { loc: ['longitude'], msg: 'ensure this value is less than or equal to 180', type: 'value_error.number.not_le' },
          { loc: ['owner_email'], msg: 'value is not a valid email address', type: 'value_error.email' },
          {
            loc: ['package_type'],
            msg: "value is not a valid enumeration member; permitted: 'base', 'plus', 'plus_3d'",
            type: 'type_error.enum',
          },
          {
            loc: ['add_ons', 1],
            msg: "value is not a valid enumeration member; permitted: 'gla', '3d_cad_files', '3d_video', '6h_turnaround'",
            type: 'type_error.enum',
          },
        ],
      },
    });
    const notList = await call(ctx, company, 'POST', '/orders/draft', { ...draftBody(company), add_ons: 'gla' });
    assert.deepEqual(notList.json(), {
      validation_error: { body_params: [{ loc: ['add_ons'], msg: 'value is not a valid list', type: 'type_error.list' }] },
    });
    assert.equal((await ok(call(ctx, company, 'GET', '/orders'))).items.length, 0);
  });

  it('refuses an owner_email that is not a user of this company (even one of another company)', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const other = await ctx.createCompany();
    for (const email of ['nobody@example.com', other.managerEmail]) {
      const res = await call(ctx, company, 'POST', '/orders/draft', draftBody(company, { owner_email: email }));
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json(), {
        validation_error: { body_params: [{ loc: ['owner_email'], msg: 'user not found', type: 'value_error' }] },
      });
    }
    assert.equal((await ctx.storage.db.selectFrom('orders').select('id').execute()).length, 0);
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    await assertRequiresApiKey(ctx, { method: 'POST', url: '/api/integrate/v3/orders/draft', payload: draftBody(company) });
  });
});

describe('PATCH /orders/draft/{order_id}', () => {
  it('replaces the address and owner, keeps omitted optional fields, clears fields sent as null, and sends no event', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    await addUser(ctx, company, 'tim@internet.example');
    const draft = await createDraft(ctx, company);
    const res = await ok(
      call(ctx, company, 'PATCH', `/orders/draft/${draft.id}`, {
        street: '10 Downing Street',
        city: 'London',
        country: 'United Kingdom',
        owner_email: 'tim@internet.example',
        state: null,
        package_type: 'plus_3d',
      }),
    );
    assert.deepEqual(res.address, {
      full_address: '10 Downing Street A1, London, 70130, United Kingdom',
      street: 'Downing Street',
      number: '10',
      suite: 'A1',
      city: 'London',
      state: null,
      postalCode: '70130',
      country: 'United Kingdom',
      latitude: 29.958365,
      longitude: -90.066198,
    });
    assert.deepEqual(res.info, {
      ...draft.info,
      owner_email: 'tim@internet.example',
      location: '10 Downing Street A1 London 70130',
      product: {
        package_type: 'plus_3d',
        add_ons: ['gla'],
        over_limits: [],
        purchasable_add_ons: ['3d_cad_files', '3d_video', '6h_turnaround'],
      },
    });
    assert.deepEqual(await getOrder(ctx, company, draft.id), res);
    assert.deepEqual(await eventsOf(ctx, draft.id), [ev('moved_to_draft', 'Draft', 'New')]);
  });

  it('answers 409 on an order that is no longer a Draft, 404 on unknown or malformed ids, 400 on a bad body: nothing changes', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const draft = await createDraft(ctx, company);
    const pending = await createDraft(ctx, company);
    await scan(ctx, pending.id);
    const before = await snapshot(ctx);
    const body = draftBody(company, { street: '1 Other Road' });
    const conflict = await call(ctx, company, 'PATCH', `/orders/draft/${pending.id}`, body);
    assert.deepEqual([conflict.statusCode, conflict.json()], [409, { message: 'Order is in status Pending; this needs Draft.' }]);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await call(ctx, company, 'PATCH', `/orders/draft/${id}`, body);
      assert.deepEqual([res.statusCode, res.json()], [404, { message: 'Order not found.' }]);
    }
    const missing = await call(ctx, company, 'PATCH', `/orders/draft/${draft.id}`, { street: '1 Other Road' });
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(
      missing.json().validation_error.body_params.map((e: { loc: string[] }) => e.loc[0]),
      ['city', 'country', 'owner_email'],
    );
    const foreign = await call(ctx, company, 'PATCH', `/orders/draft/${draft.id}`, { ...body, owner_email: 'stranger@example.com' });
    assert.deepEqual(foreign.json(), {
      validation_error: { body_params: [{ loc: ['owner_email'], msg: 'user not found', type: 'value_error' }] },
    });
    assert.deepEqual(await snapshot(ctx), before);
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const draft = await createDraft(ctx, company);
    await assertRequiresApiKey(ctx, { method: 'PATCH', url: `/api/integrate/v3/orders/draft/${draft.id}`, payload: draftBody(company) });
  });
});

describe('DELETE /orders/draft/{order_id}', () => {
  it('deletes a Draft: it is gone from every read', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const draft = await createDraft(ctx, company);
    const keep = await createDraft(ctx, company);
    assert.deepEqual(await ok(call(ctx, company, 'DELETE', `/orders/draft/${draft.id}`)), { message: 'Draft order was deleted.' });
    const get = await call(ctx, company, 'GET', `/orders/${draft.id}`);
    assert.deepEqual([get.statusCode, get.json()], [404, { message: 'Order not found.' }]);
    assert.deepEqual(
      (await ok(call(ctx, company, 'GET', '/orders'))).items.map((i: { id: string }) => i.id),
      [keep.id],
    );
    const again = await call(ctx, company, 'DELETE', `/orders/draft/${draft.id}`);
    assert.equal(again.statusCode, 404);
    const cr = await call(ctx, company, 'POST', `/orders/${draft.id}/change-requests`, { message: 'x' });
    assert.equal(cr.statusCode, 404);
  });

  it('refuses to delete an order that is not a Draft, changing nothing', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company);
    await scan(ctx, order.id);
    const redraw = await ok(
      call(ctx, company, 'POST', '/orders', { street: '1 A St', city: 'B', country: 'C', info: '', source: 'https://x.example/a.png' }),
    );
    const before = await snapshot(ctx);
    for (const [id, status] of [
      [order.id, 'Pending'],
      [redraw.id, 'Pending'],
    ]) {
      const res = await call(ctx, company, 'DELETE', `/orders/draft/${id}`);
      assert.deepEqual([res.statusCode, res.json()], [409, { message: `Order is in status ${status}; this needs Draft.` }]);
    }
    assert.deepEqual(await snapshot(ctx), before);
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const draft = await createDraft(ctx, company);
    await assertRequiresApiKey(ctx, { method: 'DELETE', url: `/api/integrate/v3/orders/draft/${draft.id}` });
    assert.equal((await getOrder(ctx, company, draft.id)).info.status, 'Draft');
  });
});
