// Keys, passwords and tokens are stored hashed only and never logged: a whole lifecycle runs on an
// app whose every log line is captured (at debug level, through the real logger options), then
// every table and every line is searched for each secret that went by.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app.js';
import { migrate } from '../../src/bootstrap.js';
import { randomIds, sha256Hex } from '../../src/domain/clock.js';
import { ManualClock } from '../../src/domain/clock.js';
import { openTestStorage, testConfig } from '../helpers/app.js';
import { capturingLogger } from '../helpers/logs.js';
import { dumpTables } from './db-helpers.js';

const USERS = '/api/integrate/v3/users';

describe('secrets at rest and in logs', () => {
  it('a full lifecycle leaves no raw api key, admin key, password or token in any table or log line', { timeout: 120_000 }, async (t) => {
    const { logger, lines } = capturingLogger('debug');

    const { storage, drop } = await openTestStorage();
    await migrate(storage);
    const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-secrets-'));
    const adminKey = `casa_admin_${crypto.randomBytes(20).toString('hex')}`;
    const app = await buildApp({
      config: testConfig({ dataDir: filesDir, logLevel: 'debug' }),
      storage,
      clock: new ManualClock(),
      ids: randomIds,
      adminKeyHash: sha256Hex(adminKey),
      logger,
    });
    await app.ready();
    t.after(async () => {
      await app.close();
      await storage.close();
      await drop();
      fs.rmSync(filesDir, { recursive: true, force: true });
    });
    const admin = { 'admin-key': adminKey };
    const secrets: Record<string, string> = { adminKey };

    const managerPassword = 'manager-secret-Password-1';
    secrets.managerPassword = managerPassword;
    const created = await app.inject({
      method: 'POST',
      url: '/admin/v1/companies',
      headers: admin,
      payload: { name: 'Secretive', manager_email: 'boss@secretive.example', manager_password: managerPassword },
    });
    assert.equal(created.statusCode, 201, created.body);
    const company = created.json();
    secrets.apiKey = company.api_key;
    const headers = { 'api-key': company.api_key };

    const extraKey = await app.inject({
      method: 'POST',
      url: `/admin/v1/companies/${company.company.id}/api-keys`,
      headers: admin,
      payload: {},
    });
    assert.equal(extraKey.statusCode, 201, extraKey.body);
    secrets.secondApiKey = extraKey.json().api_key;

    // Invitation: the link's token, then the password chosen on the page.
    const invitee = 'invitee@secretive.example';
    assert.equal((await app.inject({ method: 'POST', url: USERS, headers, payload: { email: invitee, role: 'User' } })).statusCode, 200);
    const mails = async (kind: string) =>
      (await app.inject({ method: 'GET', url: `/admin/v1/emails?kind=${kind}&limit=100`, headers: admin })).json().items as {
        text: string;
      }[];
    const tokenIn = (text: string, page: string) => new RegExp(`/${page}/([A-Za-z0-9_-]+)`).exec(text)![1]!;
    secrets.invitationToken = tokenIn((await mails('invitation'))[0]!.text, 'invite');
    const form = await app.inject({ method: 'GET', url: `/invite/${secrets.invitationToken}` });
    assert.equal(form.statusCode, 200);
    const cookie = String(form.headers['set-cookie']).split(';')[0]!;
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(form.body)![1]!;
    secrets.invitedPassword = 'invited-secret-Password-2';
    const accepted = await app.inject({
      method: 'POST',
      url: `/invite/${secrets.invitationToken}`,
      headers: { cookie },
      payload: { password: secrets.invitedPassword, password_confirm: secrets.invitedPassword, csrf_token: csrf },
    });
    assert.equal(accepted.statusCode, 200, accepted.body);

    // Password reset link, and a password change through the API (one wrong attempt first).
    assert.equal(
      (await app.inject({ method: 'POST', url: `${USERS}/reset-password`, headers, payload: { email: invitee } })).statusCode,
      200,
    );
    secrets.resetToken = tokenIn((await mails('password_reset'))[0]!.text, 'reset-password');
    assert.equal((await app.inject({ method: 'GET', url: `/reset-password/${secrets.resetToken}` })).statusCode, 200);
    secrets.wrongPassword = 'not-my-Password-3';
    secrets.newPassword = 'changed-secret-Password-4';
    const wrong = await app.inject({
      method: 'POST',
      url: `${USERS}/change-password`,
      headers,
      payload: { email: invitee, old_password: secrets.wrongPassword, new_password: secrets.newPassword },
    });
    assert.ok(wrong.statusCode >= 400, wrong.body);
    const changed = await app.inject({
      method: 'POST',
      url: `${USERS}/change-password`,
      headers,
      payload: { email: invitee, old_password: secrets.invitedPassword, new_password: secrets.newPassword },
    });
    assert.equal(changed.statusCode, 200, changed.body);

    // Requests that fail authentication log their headers too.
    await app.inject({ method: 'GET', url: '/admin/v1/companies', headers: { 'admin-key': `${adminKey}x` } });
    await app.inject({ method: 'GET', url: `${USERS}`, headers: { authorization: `Bearer ${secrets.apiKey}` } });
    secrets.revokedKey = secrets.secondApiKey!;
    assert.equal(
      (
        await app.inject({
          method: 'DELETE',
          url: `/admin/v1/api-keys/${extraKey.json().id ?? extraKey.json().api_key_id}`,
          headers: admin,
        })
      ).statusCode,
      200,
    );
    assert.equal((await app.inject({ method: 'GET', url: USERS, headers: { 'api-key': secrets.revokedKey! } })).statusCode, 401);

    const tables = await dumpTables(storage);
    assert.ok(lines.length > 20, `log lines were captured (${lines.length})`);
    assert.ok(
      lines.some((l) => l.includes('"url":"/invite/[redacted]"')),
      'token pages are logged with the token blanked',
    );
    for (const [name, secret] of Object.entries(secrets)) {
      for (const [table, rows] of Object.entries(tables)) {
        // The mail catcher keeps the emails as sent; the links in them are the way the tokens reach people.
        if (table === 'emails' && (name === 'invitationToken' || name === 'resetToken')) continue;
        assert.ok(!rows.includes(secret), `${name} is stored raw in table ${table}`);
      }
      const leaked = lines.find((l) => l.includes(secret));
      assert.equal(leaked, undefined, `${name} appears in a log line`);
    }
    assert.ok(tables.api_keys!.includes(sha256Hex(secrets.apiKey!)), 'api keys are kept as hashes');
  });
});
