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

describe('credentials in query strings', () => {
  it('are blanked in every log line: request lines, error lines and any message the code writes', async (t) => {
    const { logger, lines } = capturingLogger('debug');
    const { storage, drop } = await openTestStorage();
    await migrate(storage);
    const adminKey = `casa_admin_${crypto.randomBytes(20).toString('hex')}`;
    const app = await buildApp({
      config: testConfig({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'casa-secrets-')), logLevel: 'debug' }),
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
    });

    const secret = (name: string) => `${name}-${crypto.randomBytes(12).toString('hex')}`;
    const sent: string[] = [];
    const probe = (name: string) => {
      const value = secret('casa_q');
      sent.push(value);
      return `${name}=${value}`;
    };
    const urls = [
      `${USERS}?${probe('api-key')}`,
      `${USERS}?limit=5&${probe('api_key')}`,
      `/admin/v1/companies?${probe('admin-key')}`,
      `/admin/v1/companies?${probe('adminKey')}&offset=0`,
      `${USERS}?${probe('token')}`,
      `${USERS}?${probe('access_token')}`,
      `${USERS}?${probe('password')}`,
      `${USERS}?${probe('client_secret')}`,
      `${USERS}?${probe('X-Amz-Signature')}`,
      `${USERS}?${probe('Authorization')}`,
      `${USERS}?${probe('api%2Dkey')}`,
      `/api/integrate/v3/no-such-route?${probe('key')}`,
    ];
    for (const url of urls) {
      const res = await app.inject({ method: 'GET', url });
      assert.ok([401, 404].includes(res.statusCode), `${url}: ${res.statusCode}`);
    }
    // Lines written by the code itself (a webhook URL, an error's message) are blanked as well.
    const hook = probe('signature');
    const inMessage = probe('apikey');
    app.log.warn({ url: `https://hooks.example/in?${hook}&id=7` }, `could not reach https://hooks.example/in?${inMessage}`);
    app.log.error(new Error(`GET /x?${probe('session')} failed`), 'boom');

    assert.ok(lines.length >= urls.length, `log lines were captured (${lines.length})`);
    for (const value of sent) {
      const leaked = lines.find((l) => l.includes(value));
      assert.equal(leaked, undefined, `${value} appears in a log line`);
    }
    assert.ok(
      lines.some((l) => l.includes(`"url":"${USERS}?limit=5&api_key=[redacted]"`)),
      'the rest of the URL is kept',
    );
    assert.ok(lines.some((l) => l.includes('"url":"https://hooks.example/in?signature=[redacted]&id=7"')));
  });
});
