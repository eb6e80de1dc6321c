// PostgreSQL gone for a few seconds: the real server (`casa-integrate serve`, a child process)
// reaches PostgreSQL through a loopback TCP proxy in this test, which is cut (every connection
// destroyed, new ones refused) and brought back. Meanwhile the API answers 503 with a JSON message
// and retry-after, /readyz says not ready, and afterwards service resumes by itself: no restart, no
// other 5xx, no answered write lost, production and webhook dispatch working again.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { migrate } from '../../src/bootstrap.js';
import { openStorage } from '../../src/db/database.js';
import { ManualClock, randomIds, sha256Hex } from '../../src/domain/clock.js';
import type { Deliverables } from '../../src/services/deliverables/deliverables-port.js';
import { orderTransitionsFactory } from '../../src/services/orders/order-transitions.js';
import { productionServiceFactory } from '../../src/services/production/production-service.js';
import { TEST_DATABASE_URL, testConfig } from '../helpers/app.js';
import { cliEnvironment, exitOf, spawnCli, freePort, waitForOutput } from '../helpers/child-process.js';
import { startReceiver, waitFor } from '../helpers/webhooks.js';

const PG_ONLY = TEST_DATABASE_URL
  ? false
  : 'PostgreSQL only (TEST_DATABASE_URL): SQLite is a file inside the process, there is no connection to lose';

const ADMIN_KEY = 'casa_admin_outage_test';
const API = '/api/integrate/v3';
const OUTAGE_MS = 3000;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A TCP proxy to PostgreSQL that can be cut: connections destroyed, new ones refused. */
async function startProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let connections = 0;
  const port = await freePort();
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        connections++;
        const upstream = net.connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => {});
          s.on('close', () => {
            sockets.delete(s);
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream);
        upstream.pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  await listen();
  return {
    port,
    get connections() {
      return connections;
    },
    async cut() {
      const closed = new Promise((resolve) => server!.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
      server = null;
    },
    restore: listen,
    async close() {
      if (server) await this.cut();
    },
  };
}

describe('PostgreSQL unreachable for a few seconds', () => {
  it('answers 503 and not ready meanwhile, then resumes by itself with nothing lost', { skip: PG_ONLY, timeout: 180_000 }, async (t) => {
    const cli = await cliEnvironment(t);
    const direct = new URL(cli.env.DATABASE_URL!);
    const proxy = await startProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    t.after(() => proxy.close());
    const viaProxy = new URL(direct);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const receiver = await startReceiver(t);
    const port = await freePort();
    const child = spawnCli(['serve'], {
      ...cli.env,
      DATABASE_URL: viaProxy.toString(),
      PORT: String(port),
      CASA_ADMIN_KEY: ADMIN_KEY,
      CASA_PRODUCTION_DELAY_S: '1',
      CASA_RATE_LIMIT_PER_S: '1000000',
      CASA_RATE_LIMIT_BURST: '1000000',
      CASA_WEBHOOK_ALLOW_PRIVATE: 'true',
      CASA_WEBHOOK_TIMEOUT_S: '1',
      LOG_LEVEL: 'warn',
    });
    t.after(() => child.kill('SIGKILL'));
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    child.on('exit', (code, signal) => (log += `\n[the server exited: ${code ?? signal}]\n`));
    let stopping = false;
    t.after(() => {
      if (!stopping) process.stderr.write(`server output (tail):\n${log.slice(-4000)}\n`);
    });
    await waitForOutput(child, /casa-integrate listening on/, 120_000);

    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    t.after(() => agent.destroy());
    const request = (method: string, url: string, headers: Record<string, string>, payload?: unknown): Promise<Answer> => {
      const body = payload === undefined ? undefined : JSON.stringify(payload);
      return new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method,
            path: url,
            agent,
            headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (text += d));
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
          },
        );
        req.on('error', reject);
        req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${url} timed out`)));
        req.end(body);
      });
    };
    const admin = (method: string, url: string, payload?: unknown) => request(method, url, { 'admin-key': ADMIN_KEY }, payload);

    const created = await admin('POST', '/admin/v1/companies', {
      name: 'Outage Co',
      manager_email: 'outage@example.com',
      manager_password: 'manager-password-1',
    });
    assert.equal(created.status, 201, created.body);
    const apiKey = { 'api-key': JSON.parse(created.body).api_key as string };
    const api = (method: string, url: string, payload?: unknown) => request(method, `${API}${url}`, apiKey, payload);
    const hooked = await api('PATCH', '/companies/webhook', {
      webhook_urls: [receiver.url],
      webhook_triggers: ['moved_to_draft', 'moved_to_ready'],
    });
    assert.equal(hooked.status, 200, hooked.body);
    const hooks = () => receiver.received.map((r) => JSON.parse(r.body) as { id: string; current_status: string });
    const redraw = () =>
      api('POST', '/orders', {
        street: '1 Main St',
        city: 'Espoo',
        country: 'Finland',
        info: 'Draw it',
        source: 'https://drawings.example.com/plan.pdf',
        package_type: 'base',
      });

    // Before: production delivers and webhooks arrive.
    const first = await redraw();
    assert.equal(first.status, 200, first.body);
    const firstId: string = JSON.parse(first.body).id;
    await waitFor(
      () => hooks().some((h) => h.id === firstId && h.current_status === 'Ready'),
      60_000,
      'the first order delivered by production',
    );

    // Clients write and read all along; every answer is kept.
    type Phase = 'before' | 'down' | 'after';
    let phase: Phase = 'before';
    let stop = false;
    // A request carries the phase it ended in: one sent just before the cut may well fail with it.
    const answers: { phase: Phase; what: string; answer: Answer }[] = [];
    const acknowledged: string[] = [];
    const drafts = () =>
      (async () => {
        for (let n = 0; !stop; n++) {
          const res = await api('POST', '/orders/draft', {
            street: '2 Side St',
            city: 'Espoo',
            country: 'Finland',
            owner_email: 'outage@example.com',
            package_type: 'base',
            external_id: `outage-${n}`,
          });
          answers.push({ phase, what: 'POST /orders/draft', answer: res });
          if (res.status === 200) acknowledged.push(JSON.parse(res.body).id);
          const list = await api('GET', '/orders?limit=5');
          answers.push({ phase, what: 'GET /orders', answer: list });
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
    const readiness: { phase: Phase; answer: Answer }[] = [];
    const probe = (async () => {
      while (!stop) {
        const answer = await request('GET', '/readyz', {});
        readiness.push({ phase, answer });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const clients = [drafts(), drafts(), probe];
    await waitFor(() => acknowledged.length >= 5, 30_000, 'writes before the outage');

    // An order due at the cut, so production is likely at work when the database goes.
    const atCut = await redraw();
    assert.equal(atCut.status, 200, atCut.body);
    const atCutId: string = JSON.parse(atCut.body).id;
    await new Promise((r) => setTimeout(r, 1000));
    phase = 'down';
    await proxy.cut();
    const cutAt = Date.now();
    await waitFor(
      () =>
        answers.some((a) => a.phase === 'down' && a.answer.status === 503) &&
        readiness.some((r) => r.phase === 'down' && r.answer.status === 503),
      30_000,
      '503 answers while PostgreSQL is unreachable',
    );
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - cutAt))));
    await proxy.restore();
    phase = 'after';
    const restoredAt = Date.now();
    const acknowledgedAtRestore = acknowledged.length;
    await waitFor(
      () =>
        acknowledged.length >= acknowledgedAtRestore + 5 && readiness.at(-1)?.phase === 'after' && readiness.at(-1)?.answer.status === 200,
      60_000,
      'service to resume after the outage',
    );
    const resumedInMs = Date.now() - restoredAt;
    stop = true;
    await Promise.all(clients);

    // Only 200 or 503, and every 503 says why in JSON with retry-after.
    for (const { phase: p, what, answer } of answers) {
      assert.ok(answer.status === 200 || answer.status === 503, `${what} (${p}) answered ${answer.status}: ${answer.body}`);
      if (answer.status === 503) {
        assert.equal(p === 'before', false, `${what} answered 503 before the outage: ${answer.body}`);
        assert.match(JSON.parse(answer.body).message, /database is unavailable/i);
        assert.equal(answer.headers['retry-after'], '5');
      }
    }
    assert.ok(
      answers.some((a) => a.phase === 'after' && a.what === 'GET /orders' && a.answer.status === 200),
      'reads resume',
    );
    for (const { phase: p, answer } of readiness) {
      if (answer.status === 503)
        assert.deepEqual(
          { phase: p, status: JSON.parse(answer.body).status },
          { phase: p === 'before' ? 'down or after' : p, status: 'not ready' },
        );
      else assert.equal(answer.status, 200, answer.body);
    }

    // Every answered write reads back, through the same server (no restart).
    for (const id of acknowledged) {
      const res = await api('GET', `/orders/${id}`);
      assert.equal(res.status, 200, `acknowledged draft ${id}: ${res.status} ${res.body}`);
    }
    // The workers kept going: an order made now is delivered, and every acknowledged draft's
    // webhook arrives (those leased when the database went come back after their lease).
    const late = await redraw();
    assert.equal(late.status, 200, late.body);
    const lateId: string = JSON.parse(late.body).id;
    await waitFor(
      () => hooks().some((h) => h.id === lateId && h.current_status === 'Ready'),
      60_000,
      'an order made after the outage delivered by production',
    );
    await waitFor(
      () => hooks().some((h) => h.id === atCutId && h.current_status === 'Ready'),
      60_000,
      'the order in production at the cut delivered',
    );
    await waitFor(() => acknowledged.every((id) => hooks().some((h) => h.id === id)), 60_000, 'the webhook of every acknowledged draft');
    assert.equal(child.exitCode, null, 'the server never restarted');
    assert.ok(proxy.connections > 0);
    const errors = new Map<string, number>();
    for (const line of log.split('\n').filter((l) => l.startsWith('{"level":50'))) {
      const msg = (JSON.parse(line) as { msg: string }).msg;
      errors.set(msg, (errors.get(msg) ?? 0) + 1);
    }
    const errorLines = [...errors].map(([msg, n]) => `${n} × ${msg}`).join(', ') || 'none';
    t.diagnostic(
      `resumed ${resumedInMs} ms after PostgreSQL came back; ${answers.filter((a) => a.answer.status === 503).length} answers 503, ${acknowledged.length} drafts acknowledged; error log lines: ${errorLines}`,
    );

    stopping = true;
    child.kill('SIGTERM');
    assert.equal(await exitOf(child), 0);
  });

  it(
    'hands back the orders of a production round the outage broke, instead of waiting out their lease',
    { skip: PG_ONLY, timeout: 120_000 },
    async (t) => {
      // In this process, on a ManualClock: the database goes between rendering and the delivery commit.
      const schema = `outage_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
      const direct = new URL(TEST_DATABASE_URL!);
      const proxy = await startProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
      const viaProxy = new URL(direct);
      viaProxy.host = `127.0.0.1:${proxy.port}`;
      const storage = await openStorage({ databaseUrl: viaProxy.toString(), pgSchema: schema, pgPoolSize: 2 });
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-outage-'));
      t.after(async () => {
        await storage.close();
        await proxy.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL! });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      });
      await migrate(storage);
      const clock = new ManualClock();
      const adminKey = 'casa_admin_outage_round';
      const app = await buildApp({
        config: testConfig({ dataDir }),
        storage,
        clock,
        ids: randomIds,
        adminKeyHash: sha256Hex(adminKey),
        logger: false,
      });
      t.after(() => app.close());
      const admin = { 'admin-key': adminKey };
      const company = await app.inject({
        method: 'POST',
        url: '/admin/v1/companies',
        headers: admin,
        payload: { name: 'Round Co', manager_email: 'round@example.com', manager_password: 'manager-password-1' },
      });
      assert.equal(company.statusCode, 201, company.body);
      const draft = await app.inject({
        method: 'POST',
        url: `${API}/orders/draft`,
        headers: { 'api-key': company.json().api_key },
        payload: { street: '1 Main St', city: 'Espoo', country: 'Finland', owner_email: 'round@example.com', package_type: 'base' },
      });
      assert.equal(draft.statusCode, 200, draft.body);
      const orderId: string = draft.json().id;
      assert.equal(
        (await app.inject({ method: 'POST', url: `/admin/v1/orders/${orderId}/scan`, headers: admin, payload: {} })).statusCode,
        200,
      );

      // The real deliverables; the proxy is cut once the files are made, before the delivery commits.
      const real = app.services.deliverables;
      let cutAfterRender = true;
      const deliverables: Deliverables = {
        async produce(order, products) {
          await real.produce(order, products);
          if (cutAfterRender) await proxy.cut();
          cutAfterRender = false;
        },
        deliveryAssets: (order) => real.deliveryAssets(order),
        model: (order) => real.model(order),
        combinedPdf: (order) => real.combinedPdf(order),
      };
      const deps = app.serviceDeps;
      const transitions = orderTransitionsFactory({ ...deps, orderEvents: app.services.orderEvents });
      const production = productionServiceFactory({ ...deps, deliverables, transitions });
      const order = () => storage.db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow();
      const readyEvents = async () =>
        (
          await storage.db
            .selectFrom('order_events')
            .select('id')
            .where('order_id', '=', orderId)
            .where('trigger', '=', 'moved_to_ready')
            .execute()
        ).length;

      clock.advanceSeconds(app.serviceDeps.config.productionDelayS + 1);
      await assert.rejects(production.runOnce({ owner: 'worker-1' }), 'the round fails with the database');
      await proxy.restore();
      // The next round hands the order back (counted as a failed attempt, retried later) at once,
      // where the lease would have kept it for the rest of its length.
      assert.equal(await production.runOnce({ owner: 'worker-1' }), 0);
      const released = await order();
      assert.deepEqual(
        { status: released.status, lease_owner: released.lease_owner, attempts: released.production_attempts },
        { status: 'Pending', lease_owner: null, attempts: 1 },
      );
      assert.equal(await readyEvents(), 0);
      clock.advanceSeconds(31);
      assert.equal(await production.runOnce({ owner: 'worker-1' }), 1);
      assert.equal((await order()).status, 'Ready');
      assert.equal(await readyEvents(), 1, 'delivered once');
    },
  );
});
