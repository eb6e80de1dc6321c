import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { cliEnvironment, exitOf, freePort, spawnCli, waitForOutput } from '../helpers/child-process.js';

const READY = /casa-integrate listening on/;

async function getJson(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('casa-integrate serve (embedded)', () => {
  it('prints a working demo key and admin key on the very first start, and no new demo company after', async (t) => {
    const cli = await cliEnvironment(t, { embedded: true });
    const port = await freePort();
    const env = { ...cli.env, PORT: String(port) };
    const base = `http://127.0.0.1:${port}`;

    const first = spawnCli(['serve'], env);
    t.after(() => first.kill('SIGKILL'));
    const out = await waitForOutput(first, READY);
    const demoKey = /demo api-key:\s+(casa_[0-9A-Za-z]{40})\b/.exec(out)?.[1];
    const adminKey = /admin-key:\s+(casa_admin_[0-9A-Za-z]{40})\b/.exec(out)?.[1];
    assert.ok(demoKey, `a demo key is printed:\n${out}`);
    assert.ok(adminKey, `an admin key is printed:\n${out}`);
    assert.match(out, new RegExp(`listening on http://127\\.0\\.0\\.1:${port}`));

    const info = await getJson(`${base}/api/integrate/v3/companies/info`, { 'api-key': demoKey! });
    assert.equal(info.status, 200);
    assert.equal(info.body.name, 'Demo Company');
    const users = await getJson(`${base}/api/integrate/v3/users`, { 'api-key': demoKey! });
    assert.equal(users.status, 200);
    assert.deepEqual(Object.keys(users.body), ['pagination', 'items']);
    const companies = await getJson(`${base}/admin/v1/companies`, { 'admin-key': adminKey! });
    assert.equal(companies.status, 200);
    assert.deepEqual(
      (companies.body.items as { name: string }[]).map((c) => c.name),
      ['Demo Company'],
    );

    first.kill('SIGTERM');
    assert.equal(await exitOf(first), 0);

    const second = spawnCli(['serve'], env);
    t.after(() => second.kill('SIGKILL'));
    const again = await waitForOutput(second, READY);
    assert.doesNotMatch(again, /demo api-key|Demo Company created|admin-key:/, 'nothing new is printed on a second start');
    const stillOne = await getJson(`${base}/admin/v1/companies`, { 'admin-key': adminKey! });
    assert.equal(stillOne.status, 200, 'the first admin key still works');
    assert.equal((stillOne.body.items as unknown[]).length, 1, 'no second demo company');
    assert.equal((await getJson(`${base}/api/integrate/v3/companies/info`, { 'api-key': demoKey! })).status, 200);
    second.kill('SIGTERM');
    assert.equal(await exitOf(second), 0);
  });

  it('prints no generated admin key when CASA_ADMIN_KEY is set, and takes that one', async (t) => {
    const cli = await cliEnvironment(t, { embedded: true });
    const port = await freePort();
    const child = spawnCli(['serve'], { ...cli.env, PORT: String(port), CASA_ADMIN_KEY: 'my-own-operator-key' });
    t.after(() => child.kill('SIGKILL'));
    const out = await waitForOutput(child, READY);
    assert.match(out, /demo api-key/);
    assert.doesNotMatch(out, /admin-key:/);
    assert.equal((await getJson(`http://127.0.0.1:${port}/admin/v1/companies`, { 'admin-key': 'my-own-operator-key' })).status, 200);
    child.kill('SIGTERM');
    assert.equal(await exitOf(child), 0);
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM finishes the request in flight, refuses new connections, and exits 0', async (t) => {
    const cli = await cliEnvironment(t, { embedded: true });
    const port = await freePort();
    const child = spawnCli(['serve'], { ...cli.env, PORT: String(port) });
    t.after(() => child.kill('SIGKILL'));
    const out = await waitForOutput(child, READY);
    const demoKey = /demo api-key:\s+(casa_[0-9A-Za-z]{40})\b/.exec(out)![1]!;

    // A legitimate request kept in flight by its client: the body arrives in two parts.
    const body = JSON.stringify({ name: 'Office created during shutdown' });
    let inFlight: http.ClientRequest | undefined;
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/integrate/v3/offices',
          headers: { 'api-key': demoKey, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      inFlight = req;
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the server has the headers and part of the body
    const exited = exitOf(child);
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500)); // shutdown has begun and waits for the request

    const refused = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => 'answered',
      () => 'refused',
    );
    assert.equal(refused, 'refused', 'a new connection is not accepted while closing');
    assert.equal(child.exitCode, null, 'the process waits for the request in flight');

    inFlight!.end(body.slice(10));
    const res = await answer;
    assert.equal(res.status, 200, res.body);
    assert.equal(JSON.parse(res.body).name, 'Office created during shutdown');
    assert.equal(await exited, 0);

    // The office is really stored: a restart on the same data shows it.
    const restarted = spawnCli(['serve'], { ...cli.env, PORT: String(port) });
    t.after(() => restarted.kill('SIGKILL'));
    await waitForOutput(restarted, READY);
    const offices = await getJson(`http://127.0.0.1:${port}/api/integrate/v3/offices`, { 'api-key': demoKey });
    assert.ok((offices.body.items as { name: string }[]).some((o) => o.name === 'Office created during shutdown'));
    restarted.kill('SIGTERM');
    assert.equal(await exitOf(restarted), 0);
  });
});

describe('casa-integrate serve: settings it refuses to start with', () => {
  for (const [name, value, message] of [
    ['CASA_CONSOLE_PASSWORD', 'short-pass1', 'casa-integrate: CASA_CONSOLE_PASSWORD must be at least 12 characters long, got 11'],
    [
      'CASA_TRUST_PROXY',
      'proxy.example',
      'casa-integrate: CASA_TRUST_PROXY must be false, true, a hop count, or comma-separated proxy addresses/CIDRs (e.g. 10.0.0.1,192.168.0.0/16,loopback), got "proxy.example" in "proxy.example"',
    ],
  ] as const) {
    it(`${name}=${value}: one line naming it, a non-zero exit, nothing listening`, async (t) => {
      const cli = await cliEnvironment(t, { embedded: true });
      const port = await freePort();
      const child = spawnCli(['serve'], { ...cli.env, PORT: String(port), [name]: value });
      t.after(() => child.kill('SIGKILL'));
      let stderr = '';
      let stdout = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.on('data', (d) => (stdout += d));
      assert.equal(await exitOf(child), 2);
      assert.equal(stderr, `${message}\n`);
      assert.equal(stdout, '');
      await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
    });
  }
});
