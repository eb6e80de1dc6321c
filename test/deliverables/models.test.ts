import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildOrdersApp, call, createDraft, ok, scan } from '../orders/order-helpers.js';
import { smallModel } from '../render/fixture.js';
import { download } from './delivery-helpers.js';
import type { TestApp } from '../helpers/app.js';

const models = (ctx: TestApp) => ctx.storage.db.selectFrom('floor_plan_models').selectAll().orderBy('order_id').execute();

describe('POST /admin/v1/orders/{id}/model', () => {
  it('stores the uploaded model, and production renders from it', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company, { package_type: 'plus', add_ons: [] });
    await scan(ctx, order.id, { total_scanned_area: 900 });
    const res = await ok(call(ctx, null, 'POST', `/admin/v1/orders/${order.id}/model`, smallModel()));
    const { model_id } = await ctx.storage.db.selectFrom('orders').select('model_id').where('id', '=', order.id).executeTakeFirstOrThrow();
    assert.deepEqual(res, { order_id: order.id, model_id, source: 'uploaded', floors: 2, rooms: 3, total_area_m2: 80 });
    const delivered = await ok(call(ctx, null, 'POST', `/admin/v1/orders/${order.id}/deliver`));
    const assets = (await ok(call(ctx, company, 'GET', `/orders/${delivered.order.id}`))).delivery_assets;
    const data = (await download(ctx, assets.property_data.json_urls[0])).json();
    assert.deepEqual(
      data.floors.map((f: { level: number; rooms: { id: string; label: string; area_m2: number }[] }) => [
        f.level,
        f.rooms.map((r) => [r.id, r.label, r.area_m2]),
      ]),
      [
        [
          0,
          [
            ['living', 'Living room', 25],
            ['kitchen', 'Chef’s kitchen', 15],
          ],
        ],
        [1, [['bed', 'Bedroom', 40]]],
      ],
    );
    assert.equal(assets.listing_floorplans.svg_urls.length, 2);
  });

  it('answers 400 in the validation shape for a bad shape or bad geometry, and stores nothing', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company);
    const shape = await call(ctx, null, 'POST', `/admin/v1/orders/${order.id}/model`, {
      version: 1,
      floors: [
        {
          ...smallModel().floors[0],
          rooms: [
            {
              id: 'r',
              type: 'ballroom',
              polygon: [
                [0, 0],
                [1, 0],
                [1, 1],
              ],
            },
          ],
        },
      ],
    });
    assert.equal(shape.statusCode, 400);
    assert.deepEqual(
      shape.json().validation_error.body_params.map((e: { loc: unknown[]; type: string }) => [e.loc.join('.'), e.type]),
      [['floors.0.rooms.0.type', 'type_error.enum']],
    );
    const missing = await call(ctx, null, 'POST', `/admin/v1/orders/${order.id}/model`, { version: 1 });
    assert.deepEqual(missing.json(), {
      validation_error: { body_params: [{ loc: ['floors'], msg: 'field required', type: 'value_error.missing' }] },
    });

    const overlapping = smallModel();
    overlapping.floors[0]!.rooms[1]!.polygon = [
      [4, 0],
      [8, 0],
      [8, 5],
      [4, 5],
    ];
    overlapping.floors[0]!.doors[0]!.wall_id = 'w-gone';
    const geometry = await call(ctx, null, 'POST', `/admin/v1/orders/${order.id}/model`, overlapping);
    assert.equal(geometry.statusCode, 400);
    assert.deepEqual(geometry.json(), {
      validation_error: {
        body_params: [
          { loc: ['floors', 0, 'rooms', 1, 'polygon'], msg: 'the room overlaps room 0 ("living")', type: 'value_error.floor_plan' },
          { loc: ['floors', 0, 'rooms'], msg: 'the rooms cover more area than the outline', type: 'value_error.floor_plan' },
          { loc: ['floors', 0, 'doors', 0, 'wall_id'], msg: 'no wall with id "w-gone" on this floor', type: 'value_error.floor_plan' },
        ],
      },
    });
    assert.deepEqual(await models(ctx), []);
  });

  it('answers 404 for an unknown or malformed order id', async (t) => {
    const ctx = await buildOrdersApp(t);
    for (const id of ['6f1e7f8a-4a8e-4f7e-9d55-2b7f2d0c1a11', 'not-a-uuid']) {
      const res = await call(ctx, null, 'POST', `/admin/v1/orders/${id}/model`, smallModel());
      assert.equal(res.statusCode, 404);
      assert.deepEqual(res.json(), { message: 'Order not found.' });
    }
  });

  it('needs the admin key (an api-key is not enough)', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company);
    for (const headers of [{}, { 'admin-key': 'wrong' }, company.headers]) {
      const res = await ctx.inject({ method: 'POST', url: `/admin/v1/orders/${order.id}/model`, headers, payload: smallModel() });
      assert.equal(res.statusCode, 401);
    }
    assert.deepEqual(await models(ctx), []);
  });
});
