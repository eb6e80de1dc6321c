import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { buildApp } from '../../src/app.js';
import { randomIds, systemClock } from '../../src/domain/clock.js';
import { testConfig } from '../helpers/app.js';
import { cliEnvironment, runCli, type CliEnv } from '../helpers/child-process.js';

const KEY_FORMAT = /^casa_[0-9A-Za-z]{40}$/;

/** The real app on the database the CLI wrote, to check what the printed key can do. */
async function appOn(cli: CliEnv) {
  const storage = await cli.openStorage();
  const app = await buildApp({
    config: testConfig({ dataDir: cli.dataDir }),
    storage,
    clock: systemClock,
    ids: randomIds,
    adminKeyHash: crypto.randomBytes(32).toString('hex'),
    logger: false,
  });
  return {
    info: (apiKey: string) => app.inject({ method: 'GET', url: '/api/integrate/v3/companies/info', headers: { 'api-key': apiKey } }),
    async close() {
      await app.close();
      await storage.close();
    },
  };
}

describe('casa-integrate migrate', () => {
  it('applies every migration once and reports what it applied', async (t) => {
    const cli = await cliEnvironment(t);
    const first = await runCli(['migrate'], cli.env);
    assert.equal(first.code, 0, first.stderr);
    const applied = JSON.parse(first.stdout).applied as string[];
    assert.equal(applied[0], '001-foundation');
    assert.deepEqual([...applied].sort(), applied, 'in order');
    const second = await runCli(['migrate'], cli.env);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(JSON.parse(second.stdout), { applied: [] });
  });
});

describe('casa-integrate company create', () => {
  it('prints the company, its Manager and a key that works', async (t) => {
    const cli = await cliEnvironment(t);
    const res = await runCli(
      [
        'company',
        'create',
        '--name',
        'Acme Realty',
        '--manager-email',
        'Boss@Acme.test',
        '--country',
        'Finland',
        '--customer-type',
        'Agent',
      ],
      cli.env,
    );
    assert.equal(res.code, 0, res.stderr);
    const body = JSON.parse(res.stdout);
    assert.deepEqual(Object.keys(body), ['company', 'manager', 'api_key', 'api_key_id']);
    assert.match(body.api_key, KEY_FORMAT);
    assert.equal(body.company.name, 'Acme Realty');
    assert.equal(body.company.country, 'Finland');
    assert.equal(body.company.customer_type, 'Agent');
    assert.equal(body.manager.email, 'boss@acme.test');
    assert.equal(body.manager.role, 'Manager');

    const app = await appOn(cli);
    t.after(() => app.close());
    const info = await app.info(body.api_key);
    assert.equal(info.statusCode, 200);
    assert.deepEqual(info.json(), body.company);

    const list = await runCli(['company', 'list'], cli.env);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      JSON.parse(list.stdout).items.map((c: { id: string }) => c.id),
      [body.company.id],
    );
  });

  it('creates and revokes keys', async (t) => {
    const cli = await cliEnvironment(t);
    const created = JSON.parse(
      (await runCli(['company', 'create', '--name', 'Keys Inc', '--manager-email', 'keys@example.com'], cli.env)).stdout,
    );
    const key = await runCli(['key', 'create', '--company', created.company.id], cli.env);
    assert.equal(key.code, 0, key.stderr);
    const newKey = JSON.parse(key.stdout);
    assert.deepEqual(Object.keys(newKey), ['id', 'api_key', 'prefix', 'created_at']);
    assert.match(newKey.api_key, KEY_FORMAT);

    const revoke = await runCli(['key', 'revoke', '--key', created.api_key_id], cli.env);
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.deepEqual(JSON.parse(revoke.stdout), { message: 'API key was revoked.' });

    const app = await appOn(cli);
    t.after(() => app.close());
    assert.equal((await app.info(created.api_key)).statusCode, 401, 'the revoked key is refused');
    assert.equal((await app.info(newKey.api_key)).statusCode, 200, 'the new key works');

    const unknown = await runCli(['key', 'revoke', '--key', created.api_key_id], cli.env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /API key not found/);
  });

  it('fails with a message for a taken email, and with usage for missing flags', async (t) => {
    const cli = await cliEnvironment(t);
    assert.equal((await runCli(['company', 'create', '--name', 'One', '--manager-email', 'same@example.com'], cli.env)).code, 0);
    const dup = await runCli(['company', 'create', '--name', 'Two', '--manager-email', 'SAME@example.com'], cli.env);
    assert.equal(dup.code, 1);
    assert.equal(dup.stdout, '');
    assert.match(dup.stderr, /A user with this email already exists\./);
    const list = JSON.parse((await runCli(['company', 'list'], cli.env)).stdout);
    assert.deepEqual(
      list.items.map((c: { name: string }) => c.name),
      ['One'],
    );

    const missing = await runCli(['company', 'create', '--name', 'No Email'], cli.env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /company create needs --name and --manager-email/);
    assert.match(missing.stderr, /usage: casa-integrate/);
    const unknown = await runCli(['frobnicate'], cli.env);
    assert.equal(unknown.code, 2);
  });

  it('validates what the API validates', async (t) => {
    const cli = await cliEnvironment(t);
    const bad = await runCli(
      ['company', 'create', '--name', 'Bad', '--manager-email', 'not-an-email', '--customer-type', 'Wizard'],
      cli.env,
    );
    assert.equal(bad.code, 2, bad.stdout + bad.stderr);
    assert.match(bad.stderr, /manager-email: value is not a valid email address/);
    assert.match(bad.stderr, /customer-type: value is not a valid enumeration member/);
    assert.deepEqual(JSON.parse((await runCli(['company', 'list'], cli.env)).stdout).items, []);
  });
});
