// Tenant isolation: every order and change-request endpoint, called with another company's key,
// answers exactly as for an order that does not exist (404) and changes nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { advanceAndProduce } from '../helpers/production.js';
import { buildOrdersApp, call, createDraft, draftBody, ok, scan, snapshot } from './order-helpers.js';

describe('another company’s orders', () => {
  it('answer 404 on every endpoint and nothing changes', async (t) => {
    const ctx = await buildOrdersApp(t);
    const owner = await ctx.createCompany();
    const intruder = await ctx.createCompany();
    const draft = await createDraft(ctx, owner);
    const ready = await createDraft(ctx, owner);
    await scan(ctx, ready.id);
    await advanceAndProduce(ctx);
    const cr = await ok(call(ctx, owner, 'POST', `/orders/${ready.id}/change-requests`, { message: 'fix' }));
    await advanceAndProduce(ctx);
    const before = await snapshot(ctx);

    const requests: [string, string, unknown?][] = [
      ['GET', `/orders/${ready.id}`],
      ['GET', `/orders/${ready.id}/combined-pdf`],
      ['POST', `/orders/${ready.id}/post-purchase`, { package_type: 'plus_3d', add_ons: ['gla'] }],
      ['POST', `/orders/${ready.id}/redeliver`, { style_template_id: 'classic' }],
      ['POST', `/orders/${ready.id}/change-requests`, { message: 'mine now' }],
      ['GET', `/orders/${ready.id}/change-requests`],
      ['GET', `/orders/${ready.id}/change-requests/${cr.id}`],
      ['PATCH', `/orders/draft/${draft.id}`, draftBody(intruder)],
      ['DELETE', `/orders/draft/${draft.id}`],
    ];
    for (const [method, url, payload] of requests) {
      const res = await call(ctx, intruder, method as 'GET', url, payload);
      assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
      assert.equal(res.json().message.endsWith('not found.'), true, `${method} ${url}`);
      // …exactly as for an id that does not exist in the intruder's own company.
      const unknown = await call(
        ctx,
        intruder,
        method as 'GET',
        url.replace(ready.id, '00000000-0000-4000-8000-000000000000').replace(draft.id, '00000000-0000-4000-8000-000000000000'),
        payload,
      );
      assert.deepEqual([res.statusCode, res.json()], [unknown.statusCode, unknown.json()], `${method} ${url}`);
    }
    const list = await ok(call(ctx, intruder, 'GET', `/orders?external_id=${draft.info.external_id}`));
    assert.deepEqual(list.items, []);
    assert.deepEqual(await snapshot(ctx), before);
  });
});
