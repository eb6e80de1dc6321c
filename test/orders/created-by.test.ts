// An order names who created it (`info.created_by`), even when the api key's user has since been
// deleted: the key passes to the company's oldest other Manager, and orders made with it name that
// Manager. Orders stored before that rule name the oldest Manager too (migration 010).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialectName } from '../helpers/app.js';
import { USERS, createUser, insertOrderOwnedBy, uniqueEmail } from '../helpers/users.js';
import { get, signIn } from '../console/console-helpers.js';
import { keyAttribution } from '../../src/db/migrations/010-key-attribution.js';
import { API, buildOrdersApp, draftBody, redrawBody } from './order-helpers.js';
import type { Kysely } from 'kysely';

describe('created_by after the key’s user is deleted', () => {
  it('names the Manager the key passed to, on drafts, redraws, GoToScan orders and change requests', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany(); // its key is the first Manager's
    const second = await createUser(ctx, company, { email: uniqueEmail('second'), role: 'Manager', password: 'password-123' });
    const third = await createUser(ctx, company, { email: uniqueEmail('third'), role: 'Manager', password: 'password-123' });
    ctx.clock.advanceSeconds(1);
    const deleted = await ctx.inject({ method: 'DELETE', url: `${USERS}/${company.managerId}`, headers: company.headers });
    assert.equal(deleted.statusCode, 200, deleted.body);

    const draft = await ctx.inject({
      method: 'POST',
      url: `${API}/orders/draft`,
      headers: company.headers,
      payload: draftBody(company, { owner_email: third.email }),
    });
    assert.equal(draft.statusCode, 200, draft.body);
    assert.equal(draft.json().info.created_by, second.email, 'the oldest remaining Manager, not ""');
    assert.equal(draft.json().info.owner_email, third.email);
    const redraw = await ctx.inject({ method: 'POST', url: `${API}/orders`, headers: company.headers, payload: redrawBody() });
    assert.equal(redraw.statusCode, 200, redraw.body);
    assert.equal(redraw.json().info.created_by, second.email);
    assert.equal(redraw.json().info.owner_email, second.email, 'the default owner is that Manager too');
    const go2scan = await ctx.inject({
      method: 'POST',
      url: `${API}/orders/go2scan`,
      headers: company.headers,
      payload: {
        street: '1 Fake Street',
        city: 'Mountain View',
        state: 'CA',
        country: 'United States',
        customer: { name: 'Pat', email: 'pat@example.com' },
      },
    });
    assert.equal(go2scan.statusCode, 200, go2scan.body);
    assert.equal(go2scan.json().info.created_by, second.email);

    // The key passes on again when its new holder is deleted.
    assert.equal((await ctx.inject({ method: 'DELETE', url: `${USERS}/${second.id}`, headers: company.headers })).statusCode, 200);
    const next = await ctx.inject({ method: 'POST', url: `${API}/orders`, headers: company.headers, payload: redrawBody() });
    assert.equal(next.json().info.created_by, third.email);
    const read = await ctx.inject({ method: 'GET', url: `${API}/orders/${draft.json().id}`, headers: company.headers });
    assert.equal(read.json().info.created_by, second.email, 'an order keeps naming who created it');

    const s = await signIn(ctx);
    const page = await get(ctx, s, `/console/orders/${draft.json().id}`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(`Order created by ${second.email}`), 'the console names the creator');
  });

  it('a change request made with the key names its holder', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const second = await createUser(ctx, company, { email: uniqueEmail('second'), role: 'Manager', password: 'password-123' });
    const order = await ctx.inject({ method: 'POST', url: `${API}/orders`, headers: company.headers, payload: redrawBody() });
    const id = order.json().id as string;
    const delivered = await ctx.inject({ method: 'POST', url: `/admin/v1/orders/${id}/deliver`, headers: ctx.adminHeaders });
    assert.equal(delivered.statusCode, 200, delivered.body);
    assert.equal((await ctx.inject({ method: 'DELETE', url: `${USERS}/${company.managerId}`, headers: company.headers })).statusCode, 200);
    const change = await ctx.inject({
      method: 'POST',
      url: `${API}/orders/${id}/change-requests`,
      headers: company.headers,
      payload: { message: 'The kitchen window is missing.', product_type: 'products_2d' },
    });
    assert.equal(change.statusCode, 200, change.body);
    assert.equal(change.json().created_by, second.email);
  });

  it('migration 010 gives unattributed keys and orders the company’s oldest Manager, and leaves other companies alone', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const other = await ctx.createCompany();
    const user = await createUser(ctx, company, { email: uniqueEmail(), role: 'User', password: 'password-123' });
    const orderId = await insertOrderOwnedBy(ctx, company.id, user);
    const otherOrderId = await insertOrderOwnedBy(ctx, other.id, { ...user, email: 'kept@example.com' });
    const db = ctx.storage.db;
    // What a database kept before the rule: a key no longer attributed, an order naming nobody.
    await db.updateTable('api_keys').set({ user_id: null }).where('company_id', '=', company.id).execute();
    await db.updateTable('orders').set({ created_by: '' }).where('id', '=', orderId).execute();

    await keyAttribution.up(db as unknown as Kysely<unknown>, dialectName);

    const keys = await db.selectFrom('api_keys').select(['company_id', 'user_id']).execute();
    assert.deepEqual(
      keys.filter((k) => k.company_id === company.id).map((k) => k.user_id),
      [company.managerId],
    );
    assert.deepEqual(
      keys.filter((k) => k.company_id === other.id).map((k) => k.user_id),
      [other.managerId],
    );
    const orders = await db.selectFrom('orders').select(['id', 'created_by']).execute();
    assert.equal(orders.find((o) => o.id === orderId)!.created_by, company.managerEmail);
    assert.equal(orders.find((o) => o.id === otherOrderId)!.created_by, 'kept@example.com');
    const info = await ctx.inject({ method: 'GET', url: `${API}/orders/${orderId}`, headers: company.headers });
    assert.equal(info.json().info.created_by, company.managerEmail);
  });
});
