// A server killed with SIGKILL while it holds claims: orders in a production round (rendering, or
// waiting their turn in it) and webhook deliveries in flight to a receiver that has not answered.
// A second server takes that work up once the dead one's leases run out (one short lease, not the
// minutes a long lease would keep it), never before; each order is delivered once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { cliEnvironment, exitOf, freePort, spawnCli, waitForOutput } from '../helpers/child-process.js';
import { dialectName } from '../helpers/app.js';
import { PRODUCTION_LEASE_MS } from '../../src/services/production/production-service.js';
import { LEASE_MS } from '../../src/services/lease-keeper.js';

const READY = /casa-integrate listening on/;
const ADMIN_KEY = 'casa_admin_lease_recovery';
const API = '/api/integrate/v3';
const ORDERS = 8;
/**
 * How late, past the dead process's lease and the second server's start, the work may be taken up:
 * a poll of the production loop and a busy machine's delays.
 */
const SLACK_MS = 10_000;

/** A receiver that leaves every request unanswered until `answering` is set, then answers 200. */
async function hangingReceiver(t: import('node:test').TestContext) {
  const arrivals: { webhookId: string; atMs: number; answered: boolean }[] = [];
  const sockets = new Set<Socket>();
  const state = { answering: false };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.push({ webhookId: String(req.headers['webhook-id']), atMs: Date.now(), answered: state.answering });
      if (state.answering) res.writeHead(200).end('ok');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, arrivals, state };
}

describe('work held by a killed process', () => {
  it('is taken up by another process after one lease, and not before', { timeout: 180_000 }, async (t) => {
    assert.ok(PRODUCTION_LEASE_MS <= 20_000 && LEASE_MS <= 20_000, 'leases are short');
    const cli = await cliEnvironment(t);
    const receiver = await hangingReceiver(t);
    const port = await freePort();
    const env = {
      ...cli.env,
      PORT: String(port),
      CASA_ADMIN_KEY: ADMIN_KEY,
      CASA_PRODUCTION_DELAY_S: '3',
      CASA_WEBHOOK_ALLOW_PRIVATE: 'true',
      // Longer than the test: an attempt is in flight until the process dies.
      CASA_WEBHOOK_TIMEOUT_S: '120',
      CASA_RATE_LIMIT_PER_S: '1000000',
      CASA_RATE_LIMIT_BURST: '1000000',
    };
    const servers: ReturnType<typeof spawnCli>[] = [];
    t.after(() => servers.forEach((s) => s.kill('SIGKILL')));
    const start = async () => {
      const child = spawnCli(['serve'], env);
      servers.push(child);
      await waitForOutput(child, READY, 120_000);
      return child;
    };
    const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
      return JSON.parse(text);
    };
    const admin = { 'admin-key': ADMIN_KEY };

    const first = await start();
    const created = await call('POST', '/admin/v1/companies', admin, {
      name: 'Lease Co',
      manager_email: 'lease@example.com',
      manager_password: 'manager-password-1',
    });
    const apiKey = { 'api-key': created.api_key as string };
    await call('PATCH', `${API}/companies/webhook`, apiKey, {
      webhook_urls: [receiver.url],
      webhook_triggers: ['moved_to_draft', 'moved_to_pending', 'moved_to_ready'],
    });
    const draftBody = {
      street: '615 Bourbon St',
      city: 'New Orleans',
      state: 'Louisiana',
      country: 'United States',
      postalCode: '70130',
      owner_email: 'lease@example.com',
      package_type: 'base',
      add_ons: [],
    };
    const ids: string[] = [];
    for (let i = 0; i < ORDERS; i++) ids.push((await call('POST', `${API}/orders/draft`, apiKey, draftBody)).id);
    for (const id of ids) await call('POST', `/admin/v1/orders/${id}/scan`, admin, {});

    // Killed as soon as it holds every order still in production, so the second server has no
    // other production work ahead of the held orders and what is measured is the lease alone.
    const storage = await cli.openStorage();
    t.after(() => storage.close());
    const db = storage.db;
    const pendingOrders = () =>
      db
        .selectFrom('orders')
        .select(['id', 'status', 'lease_until', 'lease_owner'])
        .where('id', 'in', ids)
        .where('status', '=', 'Pending')
        .execute();
    const leasedOrders = async () => (await pendingOrders()).filter((o) => o.lease_owner !== null);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const pending = await pendingOrders();
      if (pending.length > 0 && pending.every((o) => o.lease_owner !== null)) break;
      assert.ok(Date.now() < deadline, 'the first server claims the orders');
      await new Promise((r) => setTimeout(r, 2));
    }
    first.kill('SIGKILL');
    const killedAt = Date.now();
    await exitOf(first);

    const heldOrders = await leasedOrders();
    const heldDeliveries = await db
      .selectFrom('webhook_deliveries')
      .select(['event_id', 'lease_until'])
      .where('lease_owner', 'is not', null)
      .where('status', 'in', ['pending', 'retrying'])
      .execute();
    assert.ok(heldOrders.length > 0, 'orders were held at the kill');
    assert.ok(heldDeliveries.length > 0, 'webhook deliveries were in flight at the kill');
    for (const row of [...heldOrders, ...heldDeliveries])
      assert.ok(row.lease_until! <= (killedAt + LEASE_MS + 1_000) * 1000, 'a lease ends within one lease of the kill');

    receiver.state.answering = true;
    await start();
    const secondReadyAt = Date.now();
    const secondReadyMs = secondReadyAt - killedAt;
    t.diagnostic(
      `second server ready ${secondReadyMs} ms after the kill; leases end ${heldOrders.map((o) => Math.round(o.lease_until! / 1000 - killedAt)).join(', ')} ms after it`,
    );

    // An order is taken up when the second server claims it; it is delivered once rendered, in turn.
    const deadOwner = new Map(heldOrders.map((o) => [o.id, o.lease_owner]));
    const orderTakenUp = new Map<string, number>();
    const orderDelivered = new Map<string, number>();
    const deliveryTakenUp = new Map<string, number>();
    while (orderDelivered.size < heldOrders.length || deliveryTakenUp.size < heldDeliveries.length) {
      assert.ok(
        Date.now() - killedAt < 150_000,
        `work taken up again: ${orderDelivered.size}/${heldOrders.length} orders, ${deliveryTakenUp.size}/${heldDeliveries.length} deliveries`,
      );
      const rows = await db
        .selectFrom('orders')
        .select(['id', 'status', 'lease_owner'])
        .where(
          'id',
          'in',
          heldOrders.map((o) => o.id),
        )
        .execute();
      for (const r of rows) {
        const claimed = r.status === 'Ready' || (r.lease_owner !== null && r.lease_owner !== deadOwner.get(r.id));
        if (claimed && !orderTakenUp.has(r.id)) orderTakenUp.set(r.id, Date.now());
        if (r.status === 'Ready' && !orderDelivered.has(r.id)) orderDelivered.set(r.id, Date.now());
      }
      for (const d of heldDeliveries) {
        const resent = receiver.arrivals.find((a) => a.answered && a.webhookId === d.event_id);
        if (resent && !deliveryTakenUp.has(d.event_id)) deliveryTakenUp.set(d.event_id, resent.atMs);
      }
      await new Promise((r) => setTimeout(r, 20));
    }

    for (const o of heldOrders) {
      const at = orderTakenUp.get(o.id)!;
      assert.ok(at * 1000 >= o.lease_until!, `order ${o.id} was not taken while the dead process's lease ran`);
      assert.ok(
        at - Math.max(o.lease_until! / 1000, secondReadyAt) < SLACK_MS,
        `order ${o.id} claimed again ${at - killedAt} ms after the kill`,
      );
    }
    for (const d of heldDeliveries) {
      const at = deliveryTakenUp.get(d.event_id)!;
      assert.ok(at * 1000 >= d.lease_until!, `delivery of ${d.event_id} was not resent while the dead process's lease ran`);
      assert.ok(
        at - Math.max(d.lease_until! / 1000, secondReadyAt) < SLACK_MS,
        `delivery of ${d.event_id} resent ${at - killedAt} ms after the kill`,
      );
    }
    const readyEvents = await db
      .selectFrom('order_events')
      .select('order_id')
      .where('order_id', 'in', ids)
      .where('trigger', '=', 'moved_to_ready')
      .execute();
    for (const id of heldOrders.map((o) => o.id))
      assert.equal(readyEvents.filter((e) => e.order_id === id).length, 1, `order ${id} delivered once`);

    const spread = (m: Map<string, number>) => [...m.values()].map((at) => at - killedAt).sort((a, b) => a - b);
    const [orders, delivered, deliveries] = [spread(orderTakenUp), spread(orderDelivered), spread(deliveryTakenUp)];
    t.diagnostic(
      `${dialectName}: ${heldOrders.length} orders held at the kill, claimed again ${orders[0]}–${orders.at(-1)} ms after it (delivered ${delivered[0]}–${delivered.at(-1)} ms); ` +
        `${heldDeliveries.length} deliveries in flight, resent ${deliveries[0]}–${deliveries.at(-1)} ms after it (lease ${LEASE_MS} ms)`,
    );
  });
});
