// `casa-integrate sandbox show|set|clear` and `casa-integrate requests [--follow]`, run as the
// real command on a real database, beside the app writing to the same one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildApp } from '../../src/app.js';
import { randomIds, systemClock } from '../../src/domain/clock.js';
import { testConfig } from '../helpers/app.js';
import { cliEnvironment, exitOf, runCli, spawnCli, waitForOutput, type CliEnv } from '../helpers/child-process.js';

async function createCompany(cli: CliEnv): Promise<{ id: string; apiKey: string }> {
  const res = await runCli(
    ['company', 'create', '--name', 'Sandbox Realty', '--manager-email', `m-${crypto.randomUUID()}@example.com`],
    cli.env,
  );
  assert.equal(res.code, 0, res.stderr);
  const body = JSON.parse(res.stdout);
  return { id: body.company.id, apiKey: body.api_key };
}

async function showSandbox(cli: CliEnv, companyId: string) {
  const res = await runCli(['sandbox', 'show', '--company', companyId], cli.env);
  assert.equal(res.code, 0, res.stderr);
  return JSON.parse(res.stdout);
}

/** The app on the CLI's database: customer requests it answers land in the request log. */
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
    async get(apiKey: string, url: string) {
      const res = await app.inject({ method: 'GET', url: `/api/integrate/v3${url}`, headers: { 'api-key': apiKey } });
      await app.services.requestLog.flush();
      return res;
    },
    async close() {
      await app.close();
      await storage.close();
    },
  };
}

describe('casa-integrate sandbox', () => {
  it('shows the defaults, sets a document from a file or standard input, refuses a bad one, and clears', async (t) => {
    const cli = await cliEnvironment(t);
    const company = await createCompany(cli);
    assert.deepEqual((await showSandbox(cli, company.id)).faults, []);

    const doc = { seed: 42, faults: [{ id: 'orders-503', match: { method: 'GET', path: '/orders' }, rate: 1, action: { status: 503 } }] };
    const file = path.join(cli.dataDir, 'sandbox.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    const set = await runCli(['sandbox', 'set', '--company', company.id, file], cli.env);
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(JSON.parse(set.stdout).faults, doc.faults);
    assert.deepEqual((await showSandbox(cli, company.id)).seed, 42);

    const child = spawnCli(['sandbox', 'set', '--company', company.id], cli.env);
    child.stdin.end(JSON.stringify({ production_delay_s: 0, webhook_schedule_s: [0, 1, 2] }));
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    assert.equal(await exitOf(child), 0);
    assert.deepEqual(JSON.parse(out).webhook_schedule_s, [0, 1, 2]);

    const bad = path.join(cli.dataDir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ faults: [{ id: 'x', match: {}, rate: 2, action: { status: 503 } }] }));
    const refused = await runCli(['sandbox', 'set', '--company', company.id, bad], cli.env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /faults\.0\.rate/);
    fs.writeFileSync(bad, JSON.stringify({ faults: [{ id: 'x', match: {}, rate: 1, action: { status: 503, latency_ms: 5 } }] }));
    const twoActions = await runCli(['sandbox', 'set', '--company', company.id, bad], cli.env);
    assert.equal(twoActions.code, 1);
    assert.match(twoActions.stderr, /faults\.0\.action: give exactly one of/);
    assert.deepEqual((await showSandbox(cli, company.id)).webhook_schedule_s, [0, 1, 2], 'nothing changed');

    const cleared = await runCli(['sandbox', 'clear', '--company', company.id], cli.env);
    assert.equal(cleared.code, 0, cleared.stderr);
    const after = await showSandbox(cli, company.id);
    assert.equal(after.seed, null);
    assert.equal(after.webhook_schedule_s, null);

    const unknown = await runCli(['sandbox', 'show', '--company', crypto.randomUUID()], cli.env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Company not found/);
    const usage = await runCli(['sandbox', 'show'], cli.env);
    assert.equal(usage.code, 2);
  });
});

describe('casa-integrate requests', () => {
  it('prints the log one request a line, and with --follow each new one as it is written', async (t) => {
    const cli = await cliEnvironment(t);
    const company = await createCompany(cli);
    const app = await appOn(cli);
    t.after(() => app.close());
    assert.equal((await app.get(company.apiKey, '/users?limit=3')).statusCode, 200);
    assert.equal((await app.get(company.apiKey, '/orders/not-an-order')).statusCode, 404);

    const listed = await runCli(['requests', '--company', company.id], cli.env);
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^\d{4}-\d\d-\d\dT\S+Z {2}GET {5}\/users\?limit=3 {2}200 {2}\d+\.\dms {2}request_id=\S+$/);
    assert.match(lines[1]!, /GET {5}\/orders\/not-an-order {2}404 /);
    const last = await runCli(['requests', '--company', company.id, '--limit', '1'], cli.env);
    assert.equal(last.stdout.trim().split('\n').length, 1);
    assert.match(last.stdout, /not-an-order/);

    const follow = spawnCli(['requests', '--company', company.id, '--follow'], cli.env);
    t.after(() => follow.kill('SIGKILL'));
    await waitForOutput(follow, /not-an-order/);
    const seen = waitForOutput(follow, /offices/);
    await app.get(company.apiKey, '/offices');
    await seen;
    follow.kill('SIGINT');
    assert.equal(await exitOf(follow), 0);
  });
});
