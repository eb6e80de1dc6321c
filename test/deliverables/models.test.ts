import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Ajv2020Module from 'ajv/dist/2020.js';
import { buildOrdersApp, call, createDraft, ok, scan } from '../orders/order-helpers.js';
import { smallModel, smallModelV2 } from '../render/fixture.js';
import { download } from './delivery-helpers.js';
import type { TestApp } from '../helpers/app.js';

// CommonJS with a default export.
const Ajv2020 = Ajv2020Module as unknown as typeof Ajv2020Module.default;

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

  it("takes a version 2 model: property data lists each room's fixtures and each door with the two spaces it joins", async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company, { package_type: 'plus', add_ons: [] });
    await scan(ctx, order.id, { total_scanned_area: 900 });
    const res = await ok(call(ctx, null, 'POST', `/admin/v1/orders/${order.id}/model`, smallModelV2()));
    // The balcony is drawn but counted in no area.
    assert.deepEqual([res.floors, res.rooms, res.total_area_m2], [2, 4, 80]);
    const delivered = await ok(call(ctx, null, 'POST', `/admin/v1/orders/${order.id}/deliver`));
    const assets = (await ok(call(ctx, company, 'GET', `/orders/${delivered.order.id}`))).delivery_assets;
    const data = (await download(ctx, assets.property_data.json_urls[0])).json();
    assert.equal(data.$schema, 'https://casa-integrate.dev/schemas/property-data/v2');
    assert.deepEqual([data.totals.area_m2, data.totals.outdoor_m2, data.floors[0].area_m2], [80, 4.5, 40]);
    const ground = data.floors[0];
    assert.deepEqual(
      ground.rooms.map((r: { id: string; outdoor: boolean; fixtures: { id: string; type: string; position: number[] }[] }) => [
        r.id,
        r.outdoor,
        r.fixtures.map((f) => [f.type, f.position]),
      ]),
      [
        ['living', false, [['fireplace', [0.2, 4]]]],
        [
          'kitchen',
          false,
          [
            ['kitchen_counter', [7.7, 2.5]],
            ['fridge', [7.65, 4.35]],
          ],
        ],
        ['balcony', true, []],
      ],
    );
    assert.deepEqual(ground.doors, [
      { id: 'd1', joins: ['living', 'kitchen'], swing: 'out', width_m: 0.8, position: [5, 2.5] },
      { id: 'd-entry', joins: ['living', 'exterior'], swing: 'in', width_m: 0.9, position: [2, 5] },
      { id: 'd-bal', joins: ['kitchen', 'balcony'], swing: 'sliding', width_m: 0.9, position: [6.5, 0] },
    ]);
    assert.deepEqual(data.floors[1].rooms[0].fixtures, [
      { id: 'wardrobe', type: 'wardrobe', position: [4, 0.3], rotation: 0, width_m: 2, depth_m: 0.6 },
    ]);
    assert.deepEqual(data.floors[1].doors, []);
  });

  it('refuses a body that breaks the published schema with the path of each fault, and stores nothing', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company);
    const bad = smallModelV2() as unknown as { version: number; floors: Record<string, unknown[]>[] };
    bad.version = 3;
    (bad.floors[0]!.doors![0] as Record<string, unknown>).swing = 'sideways';
    (bad.floors[0]!.fixtures![1] as Record<string, unknown>).type = 'jacuzzi';
    (bad.floors[1]!.fixtures![0] as Record<string, unknown>).width = -1;
    const res = await call(ctx, null, 'POST', `/admin/v1/orders/${order.id}/model`, bad);
    assert.equal(res.statusCode, 400);
    assert.deepEqual(
      res.json().validation_error.body_params.map((e: { loc: unknown[]; type: string }) => [e.loc.join('.'), e.type]),
      [
        ['version', 'type_error.enum'],
        ['floors.0.doors.0.swing', 'type_error.enum'],
        ['floors.0.fixtures.1.type', 'type_error.enum'],
        ['floors.1.fixtures.0.width', 'value_error.number.not_ge'],
      ],
    );
    assert.deepEqual(await models(ctx), []);
  });
});

describe('GET /schemas/floor-plan-model.json', () => {
  it('publishes the model schema without a key, and it holds version 1 and 2 models and refuses a broken one', async (t) => {
    const ctx = await buildOrdersApp(t);
    const res = await ctx.inject({ method: 'GET', url: '/schemas/floor-plan-model.json' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/schema\+json/);
    const schema = res.json();
    assert.equal(schema.$id, 'https://casa-integrate.dev/schemas/floor-plan-model/v2');
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    assert.equal(validate(smallModel()), true, JSON.stringify(validate.errors));
    assert.equal(validate(smallModelV2()), true, JSON.stringify(validate.errors));
    const broken = smallModelV2() as unknown as { floors: { fixtures: Record<string, unknown>[] }[] };
    delete broken.floors[0]!.fixtures[0]!.room_id;
    assert.equal(validate(broken), false);
    assert.deepEqual(
      validate.errors!.map((e) => [e.instancePath, e.keyword]),
      [['/floors/0/fixtures/0', 'required']],
    );
  });

  it('publishes the property data schema, which the delivered file follows', async (t) => {
    const ctx = await buildOrdersApp(t);
    const res = await ctx.inject({ method: 'GET', url: '/schemas/property-data.json' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().$id, 'https://casa-integrate.dev/schemas/property-data/v2');
  });
});
