// On PostgreSQL the api-key and user lookups are kept between requests while no identity table has
// changed: this process's writes are counted at commit, other processes' arrive as notices, and a
// lost listening connection keeps nothing until it is back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { trackIdentityWrites } from '../../src/db/pg-identity-version.js';
import { IDENTITY_TABLES } from '../../src/db/statement-cache.js';
import { buildTestApp, dialectName, TEST_DATABASE_URL, type TestApp } from '../helpers/app.js';

const onlyPostgres = { skip: dialectName !== 'postgres' && 'PostgreSQL only' };

/** Waits for `ready` to hold; 10 s is far more than a notice or a reconnection takes. */
async function until(ready: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await ready())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await sleep(5);
  }
}

async function schemaOf(ctx: TestApp): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(ctx.storage.db);
  return rows[0]!.schema;
}

/** A connection of "another process" to the app's schema. */
async function otherProcess(t: { after(fn: () => Promise<void>): void }, schema: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL!, options: `-c search_path="${schema}"` });
  await client.connect();
  t.after(() => client.end());
  return client;
}

describe('read cache on PostgreSQL', onlyPostgres, () => {
  it('keeps key lookups, sees another process revoke a key by its notice, and keeps nothing from before a lost listener', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const schema = await schemaOf(ctx);
    const other = await otherProcess(t, schema);
    const status = async () => (await ctx.inject({ method: 'GET', url: '/api/integrate/v3/users', headers: company.headers })).statusCode;
    // A write that fires no trigger, so sends no notice: it shows what the app keeps.
    const quietly = async (revoked: boolean) => {
      await other.query('SET session_replication_role = replica');
      await other.query('UPDATE api_keys SET revoked_at = $1 WHERE company_id = $2', [revoked ? Date.now() * 1000 : null, company.id]);
      await other.query('SET session_replication_role = DEFAULT');
    };
    const revoke = (revoked: boolean) =>
      other.query('UPDATE api_keys SET revoked_at = $1 WHERE company_id = $2', [revoked ? Date.now() * 1000 : null, company.id]);

    await until(() => ctx.storage.dataVersion('identity') !== null, 'the app listens for identity notices');
    assert.equal(ctx.storage.dataVersion('all'), null, 'other reads are never kept on PostgreSQL');
    assert.equal(await status(), 200);
    await quietly(true);
    assert.equal(await status(), 200, 'the lookup is kept while no notice says the keys changed');

    // The listening connection is lost: what was kept before is not served once it is back.
    const listener = `casa-integrate identity ${schema}`;
    const { rows } = await other.query('SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = $1', [
      listener,
    ]);
    assert.deepEqual(rows, [{ done: true }]);
    await until(() => ctx.storage.dataVersion('identity') === null, 'the app notices the lost connection');
    await until(() => ctx.storage.dataVersion('identity') !== null, 'the app listens again');
    assert.equal(await status(), 401, 'the key revoked while the listener was away is refused');

    await revoke(false);
    await until(async () => (await status()) === 200, 'the notice of the restored key arrives');
    await revoke(true);
    await until(async () => (await status()) === 401, 'the notice of the revocation arrives');
  });

  it("this process's own identity writes are seen by its next request, without waiting for a notice", async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    await until(() => ctx.storage.dataVersion('identity') !== null, 'the app listens for identity notices');
    for (let i = 0; i < 2; i++)
      assert.equal((await ctx.inject({ method: 'GET', url: '/api/integrate/v3/users', headers: company.headers })).statusCode, 200);
    const revoked = await ctx.inject({ method: 'DELETE', url: `/admin/v1/api-keys/${company.apiKeyId}`, headers: ctx.adminHeaders });
    assert.equal(revoked.statusCode, 200, revoked.body);
    assert.equal((await ctx.inject({ method: 'GET', url: '/api/integrate/v3/users', headers: company.headers })).statusCode, 401);
  });

  it('every table whose writes end kept identity answers announces them to other processes, and no other table does', async (t) => {
    // IDENTITY_TABLES (what this process counts) and migration 015 (what sends notices) each name
    // the tables; a table added to one and not the other would let another process serve a revoked key.
    const ctx = await buildTestApp(t);
    const schema = await schemaOf(ctx);
    const { rows } = await sql<{ table: string; announced: boolean }>`
      select t.table_name as "table",
             exists (select 1 from information_schema.triggers g
                     where g.event_object_schema = t.table_schema and g.event_object_table = t.table_name
                       and g.trigger_name = 'identity_changed') as announced
      from information_schema.tables t
      where t.table_schema = ${schema} and t.table_type = 'BASE TABLE'
      order by t.table_name`.execute(ctx.storage.db);
    const announced = rows.filter((r) => r.announced).map((r) => r.table);
    const counted = rows.filter((r) => IDENTITY_TABLES.test(`"${r.table}"`)).map((r) => r.table);
    assert.deepEqual(announced, counted);
    assert.deepEqual(counted, ['api_keys', 'companies', 'sandbox_settings', 'users']);
  });

  it('counts a write to an identity table when it commits, and nothing else', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const client = await otherProcess(t, await schemaOf(ctx));
    let commits = 0;
    trackIdentityWrites(client as unknown as pg.PoolClient, () => commits++);

    // Quoted names, as Kysely writes every query.
    await client.query('SELECT * FROM "users" WHERE company_id = $1', [company.id]);
    await client.query('UPDATE "orders" SET held = held WHERE company_id = $1', [company.id]);
    assert.equal(commits, 0, 'reads, and writes to other tables, count nothing');
    await client.query('UPDATE "users" SET role = role WHERE company_id = $1', [company.id]);
    assert.equal(commits, 1, 'a write outside a transaction counts once it is done');

    await client.query('BEGIN');
    await client.query('UPDATE "api_keys" SET revoked_at = revoked_at WHERE company_id = $1', [company.id]);
    await client.query('SAVEPOINT s');
    await client.query('ROLLBACK TO SAVEPOINT s');
    assert.equal(commits, 1, 'nothing counts before the commit');
    await client.query('COMMIT');
    assert.equal(commits, 2);

    await client.query('START TRANSACTION ISOLATION LEVEL SERIALIZABLE');
    await client.query('UPDATE "orders" SET held = held WHERE company_id = $1', [company.id]);
    await client.query('COMMIT');
    assert.equal(commits, 2, 'a transaction that wrote no identity table counts nothing');
  });
});
