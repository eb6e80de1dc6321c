import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { buildTestApp } from '../helpers/app.js';

describe('POST /admin/v1/reset', () => {
  it('is not there unless CASA_ALLOW_RESET=true', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const res = await ctx.inject({ method: 'POST', url: '/admin/v1/reset', headers: ctx.adminHeaders });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { message: 'Not found.' });
    const info = await ctx.inject({ method: 'GET', url: '/api/integrate/v3/companies/info', headers: company.headers });
    assert.equal(info.statusCode, 200, 'nothing was wiped');
  });

  it('wipes every data table when allowed, and the server keeps working', async (t) => {
    const ctx = await buildTestApp(t, { allowReset: true });
    const a = await ctx.createCompany();
    await ctx.createCompany();
    await ctx.inject({ method: 'POST', url: '/api/integrate/v3/offices', headers: a.headers, payload: { name: 'Extra' } });
    await ctx.storage.db.insertInto('server_settings').values({ name: 'test_marker', value: 'kept' }).execute();

    const unauthorized = await ctx.inject({ method: 'POST', url: '/admin/v1/reset', headers: a.headers });
    assert.equal(unauthorized.statusCode, 401);

    const res = await ctx.inject({ method: 'POST', url: '/admin/v1/reset', headers: ctx.adminHeaders });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.message, 'All data was deleted.');
    for (const table of ['api_keys', 'companies', 'emails', 'idempotency_keys', 'merge_requests', 'offices', 'orders', 'users']) {
      assert.ok(body.tables.includes(table), `${table} is wiped`);
    }
    assert.ok(!body.tables.includes('server_settings'));

    for (const table of body.tables as string[]) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(ctx.storage.db);
      assert.equal(Number(rows[0]!.n), 0, `${table} is empty`);
    }
    const setting = await ctx.storage.db.selectFrom('server_settings').select('value').where('name', '=', 'test_marker').executeTakeFirst();
    assert.equal(setting?.value, 'kept', 'server settings (the admin key hash among them) survive');

    const dead = await ctx.inject({ method: 'GET', url: '/api/integrate/v3/companies/info', headers: a.headers });
    assert.equal(dead.statusCode, 401, 'old keys are gone');
    const fresh = await ctx.createCompany('After reset');
    const list = (await ctx.inject({ method: 'GET', url: '/admin/v1/companies', headers: ctx.adminHeaders })).json();
    assert.deepEqual(
      list.items.map((c: { id: string }) => c.id),
      [fresh.id],
    );
  });
});
