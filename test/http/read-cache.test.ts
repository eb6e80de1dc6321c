// Hot reads (api-key lookups, list pages) are kept only while the database is unchanged: every
// write, in this process or another one on the same SQLite file, is seen by the very next read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { buildApp } from '../../src/app.js';
import { openSqlite } from '../../src/db/database.js';
import { migrate } from '../../src/bootstrap.js';
import { ManualClock, randomIds, sha256Hex } from '../../src/domain/clock.js';
import { readCache } from '../../src/services/read-cache.js';
import { buildTestApp, dialectName, testConfig } from '../helpers/app.js';

const listEmails = async (
  inject: (o: object) => Promise<{ statusCode: number; json(): { items: { email: string; role: string }[] } }>,
  headers: object,
) => {
  const res = await inject({ method: 'GET', url: '/api/integrate/v3/users?limit=100', headers });
  assert.equal(res.statusCode, 200);
  return res.json().items;
};

const listOrders = async (
  inject: (o: object) => Promise<{ statusCode: number; json(): { items: { info: { status: string }; address: { street: string } }[] } }>,
  headers: object,
) => {
  const res = await inject({ method: 'GET', url: '/api/integrate/v3/orders', headers });
  assert.equal(res.statusCode, 200);
  return res.json().items;
};

describe('read cache', () => {
  it('keeps an answer only while the version stays the same, and never serves one for a newer version', async () => {
    let version: string | null = '1';
    let loads = 0;
    const cache = readCache(() => version);
    const load = async () => ++loads;
    assert.equal(await cache.read('k', load), 1);
    assert.equal(await cache.read('k', load), 1);
    version = '2';
    assert.equal(await cache.read('k', load), 2);
    // A load that straddles a write is kept under the version read before it, so it is not reused.
    const straddling = cache.read('s', async () => {
      version = '3';
      return 'before';
    });
    assert.equal(await straddling, 'before');
    assert.equal(await cache.read('s', async () => 'after'), 'after');
    version = null;
    assert.equal(await cache.read('k', load), 3);
    assert.equal(await cache.read('k', load), 4);
    const off = readCache(() => '1', false);
    let offLoads = 0;
    await off.read('k', async () => ++offLoads);
    await off.read('k', async () => ++offLoads);
    assert.equal(offLoads, 2);
  });

  it('keeps each scope apart: an identity answer outlives other writes, not a write to its own tables', async () => {
    const versions = { all: '1', identity: '1' };
    let loads = 0;
    const cache = readCache((scope) => versions[scope]);
    const load = async () => ++loads;
    assert.equal(await cache.read('key', load, 'identity'), 1);
    assert.equal(await cache.read('list', load), 2);
    versions.all = '2';
    assert.equal(await cache.read('key', load, 'identity'), 1);
    assert.equal(await cache.read('list', load), 3);
    versions.identity = '2';
    assert.equal(await cache.read('key', load, 'identity'), 4);
  });

  it(
    'SQLite versions: the identity scope moves only on writes naming companies, users or api keys',
    { skip: dialectName !== 'sqlite' && 'SQLite only' },
    async (t) => {
      const storage = openSqlite(':memory:');
      t.after(() => storage.close());
      await migrate(storage);
      const before = { all: storage.dataVersion('all'), identity: storage.dataVersion('identity') };
      await storage.db.deleteFrom('orders').where('id', '=', 'none').execute();
      assert.notEqual(storage.dataVersion('all'), before.all);
      assert.equal(storage.dataVersion('identity'), before.identity);
      await storage.db.updateTable('users').set({ role: 'User' }).where('id', '=', 'none').execute();
      assert.notEqual(storage.dataVersion('identity'), before.identity);
      const afterUsers = storage.dataVersion('all');
      await storage.db.updateTable('orders').set({ held: 1 }).where('id', '=', 'none').returningAll().execute();
      assert.notEqual(storage.dataVersion('all'), afterUsers, 'a write that returns rows is a write');
      const identity = storage.dataVersion('identity');
      await storage.db.selectFrom('api_keys').selectAll().execute();
      assert.equal(storage.dataVersion('identity'), identity, 'reads move nothing');
    },
  );

  it(
    'SQLite versions: another connection’s commit is seen by the next request, or the next turn of the event loop',
    { skip: dialectName !== 'sqlite' && 'SQLite only' },
    async (t) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-read-cache-'));
      const file = path.join(dir, 'casa.sqlite');
      const storage = openSqlite(file);
      await migrate(storage);
      const other = new SQLite(file);
      t.after(async () => {
        other.close();
        await storage.close();
        fs.rmSync(dir, { recursive: true, force: true });
      });
      other.exec('CREATE TABLE scratch (x)');
      const write = () => other.prepare('INSERT INTO scratch VALUES (1)').run();
      const first = storage.dataVersion('identity');
      write();
      assert.equal(storage.dataVersion('identity'), first, 'one sample serves the rest of this turn');
      storage.resample();
      const second = storage.dataVersion('identity');
      assert.notEqual(second, first, 'a new request samples anew');
      write();
      await new Promise((resolve) => setImmediate(resolve));
      assert.notEqual(storage.dataVersion('identity'), second, 'the next turn samples anew');
      // Requests read from sockets: the first of a turn samples anew, the rest of the turn share it.
      await new Promise((resolve) => setImmediate(resolve));
      storage.requestArrived();
      const arrived = storage.dataVersion('identity');
      assert.notEqual(arrived, second);
      write();
      storage.requestArrived();
      assert.equal(storage.dataVersion('identity'), arrived, 'a second request of the same turn shares the sample');
      await new Promise((resolve) => setImmediate(resolve));
      storage.requestArrived();
      assert.notEqual(storage.dataVersion('identity'), arrived, 'the first request of the next turn samples anew');

      // After a checkpoint has emptied and restarted the log, a commit is still seen.
      other.pragma('wal_checkpoint(TRUNCATE)');
      storage.resample();
      const afterCheckpoint = storage.dataVersion('identity');
      write();
      storage.resample();
      assert.notEqual(storage.dataVersion('identity'), afterCheckpoint);
    },
  );

  it('order writes keep the key and owner lookups; removing the owner is seen by the next draft', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const created = await ctx.inject({
      method: 'POST',
      url: '/api/integrate/v3/users',
      headers: company.headers,
      payload: { email: 'owner@example.com', role: 'User' },
    });
    assert.equal(created.statusCode, 200, created.body);
    const draft = (owner: string) =>
      ctx.inject({
        method: 'POST',
        url: '/api/integrate/v3/orders/draft',
        headers: company.headers,
        payload: { street: '1 Main St', city: 'Espoo', country: 'Finland', owner_email: owner },
      });
    for (let i = 0; i < 3; i++) assert.equal((await draft('owner@example.com')).statusCode, 200);
    const removed = await ctx.inject({ method: 'DELETE', url: `/api/integrate/v3/users/${created.json().id}`, headers: company.headers });
    assert.ok(removed.statusCode < 300, removed.body);
    const refused = await draft('owner@example.com');
    assert.equal(refused.statusCode, 400, refused.body);
    assert.deepEqual(refused.json(), {
      validation_error: { body_params: [{ loc: ['owner_email'], msg: 'user not found', type: 'value_error' }] },
    });
    const revoked = await ctx.inject({ method: 'DELETE', url: `/admin/v1/api-keys/${company.apiKeyId}`, headers: ctx.adminHeaders });
    assert.equal(revoked.statusCode, 200, revoked.body);
    assert.equal((await draft(company.managerEmail)).statusCode, 401);
  });

  it('an order moved by the operator shows its new status in the next list', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const created = await ctx.inject({
      method: 'POST',
      url: '/api/integrate/v3/orders/draft',
      headers: company.headers,
      payload: { street: '1 Main St', city: 'Espoo', country: 'Finland', owner_email: company.managerEmail },
    });
    assert.equal(created.statusCode, 200, created.body);
    const statuses = async () => (await listOrders(ctx.inject as never, company.headers)).map((o) => o.info.status);
    assert.deepEqual(await statuses(), ['Draft']);
    assert.deepEqual(await statuses(), ['Draft']);
    const scanned = await ctx.inject({
      method: 'POST',
      url: `/admin/v1/orders/${created.json().id}/scan`,
      headers: ctx.adminHeaders,
      payload: {},
    });
    assert.equal(scanned.statusCode, 200, scanned.body);
    assert.deepEqual(await statuses(), ['Pending']);
  });

  it('an edited draft shows its new address in the next list (the edit is a single UPDATE … RETURNING)', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const body = { street: '1 Main St', city: 'Espoo', country: 'Finland', owner_email: company.managerEmail };
    const created = await ctx.inject({ method: 'POST', url: '/api/integrate/v3/orders/draft', headers: company.headers, payload: body });
    assert.equal(created.statusCode, 200, created.body);
    const streets = async () => (await listOrders(ctx.inject as never, company.headers)).map((o) => o.address.street);
    assert.deepEqual(await streets(), ['Main St']);
    const edited = await ctx.inject({
      method: 'PATCH',
      url: `/api/integrate/v3/orders/draft/${created.json().id}`,
      headers: company.headers,
      payload: { ...body, street: '7 Harbour Rd' },
    });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.deepEqual(await streets(), ['Harbour Rd']);
  });

  it('a created or changed user shows in the next list, and a revoked key stops at once', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const inject = ctx.inject as never;
    assert.deepEqual(
      (await listEmails(inject, company.headers)).map((u) => u.email),
      [company.managerEmail],
    );

    const created = await ctx.inject({
      method: 'POST',
      url: '/api/integrate/v3/users',
      headers: company.headers,
      payload: { email: 'new.person@example.com', role: 'User' },
    });
    assert.equal(created.statusCode, 200, created.body);
    assert.deepEqual(
      (await listEmails(inject, company.headers)).map((u) => u.email).sort(),
      [company.managerEmail, 'new.person@example.com'].sort(),
    );

    const patched = await ctx.inject({
      method: 'PATCH',
      url: `/api/integrate/v3/users/${created.json().id}`,
      headers: company.headers,
      payload: { role: 'Collaborator' },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal((await listEmails(inject, company.headers)).find((u) => u.email === 'new.person@example.com')?.role, 'Collaborator');

    const revoked = await ctx.inject({ method: 'DELETE', url: `/admin/v1/api-keys/${company.apiKeyId}`, headers: ctx.adminHeaders });
    assert.equal(revoked.statusCode, 200, revoked.body);
    const after = await ctx.inject({ method: 'GET', url: '/api/integrate/v3/users', headers: company.headers });
    assert.equal(after.statusCode, 401);
  });

  it(
    'sees writes committed by another connection to the same SQLite file, as another process makes them',
    { skip: dialectName !== 'sqlite' && 'SQLite only (read-cache-postgres.test.ts)' },
    async (t) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-read-cache-'));
      const file = path.join(dir, 'casa.sqlite');
      const storage = openSqlite(file);
      await migrate(storage);
      const adminKey = `casa_admin_${crypto.randomBytes(8).toString('hex')}`;
      const app = await buildApp({
        config: testConfig({ dataDir: dir, databaseUrl: null }),
        storage,
        clock: new ManualClock(),
        ids: randomIds,
        adminKeyHash: sha256Hex(adminKey),
        logger: false,
      });
      const other = new SQLite(file);
      t.after(async () => {
        other.close();
        await app.close();
        await storage.close();
        fs.rmSync(dir, { recursive: true, force: true });
      });
      const res = await app.inject({
        method: 'POST',
        url: '/admin/v1/companies',
        headers: { 'admin-key': adminKey },
        payload: { name: 'Other Process', manager_email: 'boss@example.com', manager_password: 'manager-password-1' },
      });
      assert.equal(res.statusCode, 201, res.body);
      const { api_key: apiKey, company } = res.json();
      const headers = { 'api-key': apiKey };
      const inject = app.inject.bind(app) as never;
      assert.deepEqual(
        (await listEmails(inject, headers)).map((u) => u.email),
        ['boss@example.com'],
      );

      other.prepare('UPDATE users SET role = ? WHERE email = ?').run('Collaborator', 'boss@example.com');
      assert.equal((await listEmails(inject, headers))[0]?.role, 'Collaborator');

      // Over a real socket, where requests of one turn of the event loop share a sample.
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      const overHttp = async () => {
        const res = await fetch(`${base}/api/integrate/v3/users`, { headers });
        return { status: res.status, users: res.status === 200 ? ((await res.json()) as { items: { role: string }[] }).items : [] };
      };
      assert.equal((await overHttp()).users[0]?.role, 'Collaborator');
      other.prepare('UPDATE users SET role = ? WHERE email = ?').run('Manager', 'boss@example.com');
      assert.equal((await overHttp()).users[0]?.role, 'Manager');

      other.prepare('UPDATE api_keys SET revoked_at = ? WHERE company_id = ?').run(Date.now() * 1000, company.id);
      assert.equal((await overHttp()).status, 401);
      assert.equal((await app.inject({ method: 'GET', url: '/api/integrate/v3/users', headers })).statusCode, 401);
    },
  );
});
