// Console sessions are bound to the credential that made them: a restart with a new admin key or
// operator password (two app instances, one after the other, over one database) ends the sessions
// the old one made; "Sign out everywhere" ends them all at once.
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { InjectOptions } from 'fastify';
import { buildApp } from '../../src/app.js';
import { migrate } from '../../src/bootstrap.js';
import { openStorage } from '../../src/db/database.js';
import { ManualClock, randomIds, sha256Hex } from '../../src/domain/clock.js';
import { buildTestApp, testConfig, TEST_DATABASE_URL, type TestApp } from '../helpers/app.js';
import { get, post, signIn } from './console-helpers.js';

/** One database that outlives the server processes started on it. */
async function sharedDatabase(t: TestContext) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-restart-'));
  const schema = `restart_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  t.after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (!TEST_DATABASE_URL) return;
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });
  const clock = new ManualClock();
  /** Starts a server on the database with this admin key and operator password; `stop` closes both. */
  return async (adminKey: string, consolePassword: string | null = null) => {
    const storage = await openStorage(
      TEST_DATABASE_URL
        ? { databaseUrl: TEST_DATABASE_URL, pgSchema: schema, pgPoolSize: 2 }
        : { databaseUrl: null, sqliteFile: path.join(dir, 'casa.sqlite') },
    );
    await migrate(storage);
    const app = await buildApp({
      config: testConfig({ dataDir: dir, consolePassword }),
      storage,
      clock,
      ids: randomIds,
      adminKeyHash: sha256Hex(adminKey),
      logger: false,
    });
    await app.ready();
    const ctx = {
      app,
      storage,
      clock,
      adminKey,
      inject: (opts: InjectOptions) => app.inject(opts),
    } as unknown as TestApp;
    return {
      ctx,
      async stop() {
        await app.close();
        await storage.close();
      },
    };
  };
}

const sessionRows = (ctx: TestApp) => ctx.storage.db.selectFrom('console_sessions').selectAll().execute();

describe('console sessions and the credential that made them', () => {
  test('a restart with a new CASA_ADMIN_KEY ends the sessions the old key made; the same key keeps them', async (t) => {
    const start = await sharedDatabase(t);
    const first = await start('casa_admin_first_key_aaaaaaaaaaaaaaaa');
    const session = await signIn(first.ctx);
    assert.equal((await get(first.ctx, session, '/console/system')).statusCode, 200);
    await first.stop();

    const sameKey = await start('casa_admin_first_key_aaaaaaaaaaaaaaaa');
    assert.equal((await get(sameKey.ctx, session, '/console/system')).statusCode, 200, 'a restart alone ends nothing');
    await sameKey.stop();

    const newKey = await start('casa_admin_second_key_bbbbbbbbbbbbbbb');
    const res = await get(newKey.ctx, session, '/console/system');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/console/sign-in?next=%2Fconsole%2Fsystem');
    assert.deepEqual(await sessionRows(newKey.ctx), [], 'the old session is deleted');
    const fresh = await signIn(newKey.ctx);
    assert.equal((await get(newKey.ctx, fresh, '/console/system')).statusCode, 200);
    await newKey.stop();
  });

  test('a session made with the operator password ends when the password changes or is removed, not when the key does', async (t) => {
    const start = await sharedDatabase(t);
    const password = 'correct horse battery staple';
    const first = await start('casa_admin_key_one_cccccccccccccccccc', password);
    const viaPassword = await signIn(first.ctx, password);
    const viaKey = await signIn(first.ctx);
    const rows = await sessionRows(first.ctx);
    for (const row of rows) {
      assert.match(row.credential_mac, /^[0-9a-f]{64}$/);
      assert.notEqual(row.credential_mac, sha256Hex(password), 'the password is not kept, even hashed');
      assert.notEqual(row.credential_mac, sha256Hex(first.ctx.adminKey));
    }
    await first.stop();

    const newKey = await start('casa_admin_key_two_dddddddddddddddddd', password);
    assert.equal((await get(newKey.ctx, viaPassword, '/console/orders')).statusCode, 200, 'the password is unchanged');
    assert.equal((await get(newKey.ctx, viaKey, '/console/orders')).statusCode, 303, 'the key changed');
    await newKey.stop();

    const newPassword = await start('casa_admin_key_two_dddddddddddddddddd', 'another long password');
    assert.equal((await get(newPassword.ctx, viaPassword, '/console/orders')).statusCode, 303);
    const again = await signIn(newPassword.ctx, 'another long password');
    await newPassword.stop();

    const noPassword = await start('casa_admin_key_two_dddddddddddddddddd', null);
    assert.equal((await get(noPassword.ctx, again, '/console/orders')).statusCode, 303, 'password sign-in was turned off');
    await noPassword.stop();
  });

  test('sessions made before sessions were bound (no credential stored) end at their next request', async (t) => {
    const ctx = await buildTestApp(t);
    const s = await signIn(ctx);
    await ctx.storage.db.updateTable('console_sessions').set({ credential_mac: '' }).execute();
    assert.equal((await get(ctx, s, '/console/orders')).statusCode, 303);
  });
});

describe('POST /console/sign-out-everywhere', () => {
  test("ends every session, the caller's included; the System page offers it with the count", async (t) => {
    const ctx = await buildTestApp(t, { consolePassword: 'correct horse battery staple' });
    const mine = await signIn(ctx);
    const other = await signIn(ctx, 'correct horse battery staple');
    const page = await get(ctx, mine, '/console/system');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<span id="live-sessions">2<\/span> signed in/);
    assert.match(
      page.body,
      /<form class="inline-form" method="post" action="\/console\/sign-out-everywhere" data-confirm="[^"]+"><input type="hidden" name="csrf_token" value="[^"]+"><button type="submit" class="secondary">Sign out everywhere<\/button><\/form>/,
    );

    const res = await post(ctx, mine, '/console/sign-out-everywhere');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/console/sign-in?done=signed_out_everywhere');
    assert.match(String(res.headers['set-cookie']), /casa_console=; Max-Age=0/);
    for (const s of [mine, other]) assert.equal((await get(ctx, s, '/console/orders')).statusCode, 303);
    assert.deepEqual(await sessionRows(ctx), []);
    const notice = await get(ctx, null, '/console/sign-in?done=signed_out_everywhere');
    assert.match(notice.body, /Every console session has ended, yours included/);
  });

  test('without the CSRF token, or without a session, it is refused and every session stays', async (t) => {
    const ctx = await buildTestApp(t);
    const s = await signIn(ctx);
    assert.equal((await post(ctx, s, '/console/sign-out-everywhere', {}, null)).statusCode, 403);
    assert.equal((await post(ctx, null, '/console/sign-out-everywhere', {}, 'forged')).statusCode, 401);
    assert.equal((await sessionRows(ctx)).length, 1);
    assert.equal((await get(ctx, s, '/console/orders')).statusCode, 200);
  });
});
