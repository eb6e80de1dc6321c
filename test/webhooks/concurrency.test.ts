import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { buildTestApp, TEST_DATABASE_URL } from '../helpers/app.js';
import { startReceiver, subscribe, testDispatcher } from '../helpers/webhooks.js';
import { openStorage } from '../../src/db/database.js';
import { createWebhookDispatcher } from '../../src/workers/webhook-dispatcher.js';
import { webhookDeliveryServiceFactory } from '../../src/services/webhooks/webhook-delivery-service.js';
import type { OrderEventInput } from '../../src/services/orders/order-events.js';

describe('webhook dispatchers sharing one database', () => {
  it('deliver 2,000 events with no duplicate attempt and in order per order', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const receiver = await startReceiver(t);
    await subscribe(ctx, company, [receiver.url], ['moved_to_pending', 'moved_to_ready']);

    const orders = Array.from({ length: 200 }, () => crypto.randomUUID());
    const expectedByOrder = new Map<string, string[]>(orders.map((o) => [o, []]));
    for (let round = 0; round < 10; round++) {
      const events = await ctx.storage.db.transaction().execute(async (tx) => {
        const rows = [];
        for (const orderId of orders) {
          const input: OrderEventInput = {
            orderId,
            companyId: company.id,
            trigger: round % 2 ? 'moved_to_ready' : 'moved_to_pending',
            currentStatus: 'Pending',
            previousStatus: 'Draft',
            modelId: orderId,
            productType: 'products_2d',
            deliveryType: 'new',
          };
          rows.push(await ctx.app.services.orderEvents.record(tx, input));
        }
        return rows;
      });
      for (const e of events) expectedByOrder.get(e.order_id)!.push(e.id);
    }

    // A second dispatcher with its own connection pool (PostgreSQL) to the same database.
    let second;
    if (TEST_DATABASE_URL) {
      const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(ctx.storage.db)).rows[0]!.s;
      const storage = await openStorage({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema, pgPoolSize: 5 });
      t.after(() => storage.close());
      const deliveries = webhookDeliveryServiceFactory({ ...ctx.app.serviceDeps, db: storage.db });
      second = createWebhookDispatcher(
        { ...ctx.app.serviceDeps, webhooks: ctx.app.services.webhooks, deliveries },
        { batchSize: 37, owner: 'second' },
      );
      t.after(() => second!.close());
    } else {
      second = testDispatcher(ctx, t, { batchSize: 37, owner: 'second' });
    }
    const first = testDispatcher(ctx, t, { batchSize: 50, owner: 'first' });
    const counts = { first: 0, second: 0 };
    const run = async (name: 'first' | 'second', d: typeof first) => {
      let idle = 0;
      while (receiver.received.length < 2000 && idle < 200) {
        const n = await d.dispatchOnce();
        counts[name] += n;
        idle = n === 0 ? idle + 1 : 0;
        if (n === 0) await new Promise((r) => setTimeout(r, 5));
      }
    };
    await Promise.all([run('first', first), run('second', second)]);

    assert.equal(receiver.received.length, 2000);
    const ids = receiver.received.map((r) => String(r.headers['webhook-id']));
    assert.equal(new Set(ids).size, 2000, 'no webhook-id was sent twice');
    assert.equal(counts.first + counts.second, 2000);
    if (TEST_DATABASE_URL) assert.ok(counts.first > 0 && counts.second > 0, `both dispatchers worked: ${JSON.stringify(counts)}`);
    const attempts = await ctx.storage.db
      .selectFrom('webhook_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(attempts.n), 2000);
    const byOrder = new Map<string, string[]>();
    for (const r of receiver.received) {
      const orderId = JSON.parse(r.body).id as string;
      byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), String(r.headers['webhook-id'])]);
    }
    for (const [orderId, expected] of expectedByOrder) assert.deepEqual(byOrder.get(orderId), expected, orderId);
  });
});
