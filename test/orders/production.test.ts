// The production worker: exactly-once delivery across workers, retries after a failed produce(),
// leases that expire, and the background loop.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pino from 'pino';
import { openStorage, type Storage } from '../../src/db/database.js';
import type { Order } from '../../src/db/tables/orders.js';
import type { Product } from '../../src/domain/catalog.js';
import { undeliveredAssets, type Deliverables } from '../../src/services/deliverables/deliverables-port.js';
import { orderEventsFactory } from '../../src/services/orders/order-events.js';
import { orderTransitionsFactory } from '../../src/services/orders/order-transitions.js';
import { productionServiceFactory, PRODUCTION_LEASE_MS } from '../../src/services/production/production-service.js';
import { webhookOutboxFactory } from '../../src/services/webhooks/webhook-outbox.js';
import { startProductionWorker } from '../../src/workers/production-worker.js';
import { randomIds } from '../../src/domain/clock.js';
import { TEST_DATABASE_URL, type TestApp } from '../helpers/app.js';
import { runProduction } from '../helpers/production.js';
import { buildOrdersApp, call, createDraft, eventsOf, getOrder, ok, scan } from './order-helpers.js';
import { seedOrders } from './seed.js';

/** A Deliverables that records what it was asked to produce (and can be told to fail). */
function recordingDeliverables(opts: { failTimes?: number } = {}) {
  const produced: { orderId: string; products: Product[] }[] = [];
  let failures = opts.failTimes ?? 0;
  const deliverables: Deliverables = {
    async produce(order: Order, products: Product[]) {
      if (failures > 0) {
        failures--;
        throw new Error('renderer unavailable');
      }
      // Yield so concurrent workers interleave for real.
      await new Promise((resolve) => setImmediate(resolve));
      produced.push({ orderId: order.id, products });
    },
    async deliveryAssets(order) {
      return undeliveredAssets(order);
    },
    async combinedPdf() {
      return null;
    },
    async model() {
      return null;
    },
  };
  return { deliverables, produced };
}

/** A production service of its own (own connection pool on PostgreSQL): a second worker process. */
async function separateWorker(
  ctx: TestApp,
  deliverables: Deliverables,
  leaseRenewMs?: number,
): Promise<{ production: ReturnType<typeof productionServiceFactory>; storage: Storage }> {
  let storage: Storage = ctx.storage;
  if (TEST_DATABASE_URL) {
    const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(ctx.storage.db)).rows[0]!.schema;
    storage = await openStorage({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema, pgPoolSize: 4 });
  }
  const base = {
    ...ctx.app.serviceDeps,
    db: storage.db,
    dialect: storage.dialect,
    clock: ctx.clock,
    ids: randomIds,
    log: pino({ level: 'silent' }),
  };
  const orderEvents = orderEventsFactory({ ...base, webhookOutbox: webhookOutboxFactory(base) });
  const transitions = orderTransitionsFactory({ ...base, orderEvents });
  return { production: productionServiceFactory({ ...base, deliverables, transitions, leaseRenewMs }), storage };
}

describe('production workers', () => {
  it('two workers on one database deliver each of 500 due orders exactly once', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const now = ctx.clock.nowUs();
    const ids = await seedOrders(ctx.storage.db, {
      companyId: company.id,
      count: 500,
      startUs: now - 600e6,
      row: () => ({ status: 'Pending', due_at: now - 1e6, pending_delivery_type: 'new', total_scanned_area: 1500 }),
    });
    const one = recordingDeliverables();
    const two = recordingDeliverables();
    const a = await separateWorker(ctx, one.deliverables);
    const b = await separateWorker(ctx, two.deliverables);
    t.after(async () => {
      if (a.storage !== ctx.storage) await a.storage.close();
      if (b.storage !== ctx.storage) await b.storage.close();
    });

    const drain = async (production: typeof a.production, owner: string) => {
      let n = 0;
      for (;;) {
        const taken = await production.runOnce({ owner, limit: 7 });
        if (taken === 0) return n;
        n += taken;
      }
    };
    const [takenA, takenB] = await Promise.all([drain(a.production, 'worker-a'), drain(b.production, 'worker-b')]);
    t.diagnostic(`worker a took ${takenA}, worker b took ${takenB}`);
    assert.equal(takenA + takenB, 500);

    const producedIds = [...one.produced, ...two.produced].map((p) => p.orderId).sort();
    assert.deepEqual(producedIds, [...ids].sort(), 'every order produced exactly once');
    const ready = await ctx.storage.db
      .selectFrom('order_events')
      .select(['order_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('trigger', '=', 'moved_to_ready')
      .groupBy('order_id')
      .execute();
    assert.equal(ready.length, 500);
    assert.ok(
      ready.every((r) => Number(r.n) === 1),
      'one moved_to_ready per order',
    );
    const statuses = await ctx.storage.db.selectFrom('orders').select(['status', 'lease_owner', 'due_at']).execute();
    assert.ok(statuses.every((s) => s.status === 'Ready' && s.lease_owner === null && s.due_at === null));
  });

  it('retries later when produce() throws; the order stays Pending meanwhile and is delivered once', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company);
    await scan(ctx, order.id);
    const flaky = recordingDeliverables({ failTimes: 2 });
    const worker = await separateWorker(ctx, flaky.deliverables);
    t.after(async () => {
      if (worker.storage !== ctx.storage) await worker.storage.close();
    });
    ctx.clock.advanceSeconds(21);
    assert.equal(await worker.production.runOnce(), 1);
    assert.equal((await getOrder(ctx, company, order.id)).info.status, 'Pending');
    assert.equal(await worker.production.runOnce(), 0, 'not retried at once');
    const admin = await ok(call(ctx, null, 'GET', `/admin/v1/orders/${order.id}`));
    assert.equal(admin.production.attempts, 1);
    ctx.clock.advanceSeconds(31);
    assert.equal(await worker.production.runOnce(), 1); // fails a second time
    ctx.clock.advanceSeconds(61);
    assert.equal(await worker.production.runOnce(), 1);
    assert.equal((await getOrder(ctx, company, order.id)).info.status, 'Ready');
    assert.deepEqual(
      flaky.produced.map((p) => p.products),
      [['listing_floorplans', 'gla_package']],
    );
    assert.deepEqual(
      (await eventsOf(ctx, order.id)).map((e) => e.trigger),
      ['moved_to_draft', 'moved_to_pending', 'moved_to_ready'],
    );
  });

  it('a stalled worker’s lease expires, another worker delivers, and the stalled worker’s late commit is refused', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company);
    await scan(ctx, order.id);
    ctx.clock.advanceSeconds(21);
    const fast = recordingDeliverables();
    const other = await separateWorker(ctx, fast.deliverables);
    let otherTook = -1;
    const stalling: Deliverables = {
      async produce() {
        // While this worker is stuck, its lease runs out and the other worker takes the order.
        assert.equal(await other.production.runOnce({ owner: 'worker-b' }), 0, 'the lease keeps the order while it holds');
        ctx.clock.advanceSeconds(PRODUCTION_LEASE_MS / 1000 + 1);
        otherTook = await other.production.runOnce({ owner: 'worker-b' });
      },
      deliveryAssets: async (o) => undeliveredAssets(o),
      combinedPdf: async () => null,
      model: async () => null,
    };
    const stalled = await separateWorker(ctx, stalling);
    t.after(async () => {
      for (const w of [other, stalled]) if (w.storage !== ctx.storage) await w.storage.close();
    });
    assert.equal(await stalled.production.runOnce({ owner: 'worker-a' }), 1);
    assert.equal(otherTook, 1);
    assert.equal(fast.produced.length, 1);
    assert.equal((await getOrder(ctx, company, order.id)).info.status, 'Ready');
    assert.deepEqual(
      (await eventsOf(ctx, order.id)).map((e) => e.trigger),
      ['moved_to_draft', 'moved_to_pending', 'moved_to_ready'],
    );
    assert.equal(await runProduction(ctx), 0);
  });

  it('a long round keeps its orders: the lease is renewed while production runs, so no other worker takes them', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const first = await createDraft(ctx, company);
    const second = await createDraft(ctx, company);
    await scan(ctx, first.id);
    await scan(ctx, second.id);
    ctx.clock.advanceSeconds(21);
    const fast = recordingDeliverables();
    const other = await separateWorker(ctx, fast.deliverables);
    let otherTook = 0;
    const produced: string[] = [];
    const slow: Deliverables = {
      async produce(order) {
        // Each order takes a lease and a half on the clock; the second waits its turn meanwhile.
        for (let i = 0; i < 3; i++) {
          ctx.clock.advanceSeconds(PRODUCTION_LEASE_MS / 1000 / 2);
          await new Promise((resolve) => setTimeout(resolve, 100));
          otherTook += await other.production.runOnce({ owner: 'worker-b' });
        }
        produced.push(order.id);
      },
      deliveryAssets: async (o) => undeliveredAssets(o),
      combinedPdf: async () => null,
      model: async () => null,
    };
    const worker = await separateWorker(ctx, slow, 10);
    t.after(async () => {
      for (const w of [other, worker]) if (w.storage !== ctx.storage) await w.storage.close();
    });
    assert.equal(await worker.production.runOnce({ owner: 'worker-a' }), 2);
    assert.equal(otherTook, 0, 'the other worker found nothing to take');
    assert.deepEqual(fast.produced, []);
    assert.deepEqual(produced.sort(), [first.id, second.id].sort());
    for (const order of [first, second]) {
      assert.equal((await getOrder(ctx, company, order.id)).info.status, 'Ready');
      assert.deepEqual(
        (await eventsOf(ctx, order.id)).map((e) => e.trigger),
        ['moved_to_draft', 'moved_to_pending', 'moved_to_ready'],
      );
    }
  });

  it('an upgrade bought while production ran is not lost: the round is retried with it', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company, { package_type: 'base', add_ons: [] });
    await scan(ctx, order.id);
    ctx.clock.advanceSeconds(21);
    let upgraded = false;
    const produced: Product[][] = [];
    const deliverables: Deliverables = {
      async produce(_order, products) {
        produced.push(products);
        if (!upgraded) {
          upgraded = true;
          await ok(call(ctx, company, 'POST', `/orders/${order.id}/post-purchase`, { package_type: null, add_ons: ['gla'] }));
        }
      },
      deliveryAssets: async (o) => undeliveredAssets(o),
      combinedPdf: async () => null,
      model: async () => null,
    };
    const worker = await separateWorker(ctx, deliverables);
    t.after(async () => {
      if (worker.storage !== ctx.storage) await worker.storage.close();
    });
    assert.equal(await worker.production.runOnce(), 1);
    assert.equal((await getOrder(ctx, company, order.id)).info.status, 'Pending');
    assert.equal(await worker.production.runOnce(), 1);
    assert.deepEqual(produced, [['listing_floorplans'], ['listing_floorplans', 'gla_package']]);
    assert.equal((await getOrder(ctx, company, order.id)).info.status, 'Ready');
  });

  it('the background loop delivers due orders by itself', async (t) => {
    const ctx = await buildOrdersApp(t, { productionDelayS: 0 });
    const company = await ctx.createCompany();
    const order = await createDraft(ctx, company);
    await scan(ctx, order.id);
    const loop = startProductionWorker({ production: ctx.app.services.production, log: pino({ level: 'silent' }), intervalMs: 50 });
    t.after(() => loop.stop());
    await loop.idle();
    assert.equal((await getOrder(ctx, company, order.id)).info.status, 'Ready');
  });
});
