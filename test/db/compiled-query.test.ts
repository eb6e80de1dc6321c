// Queries compiled once per dialect and shape: each call binds its own values, inside a
// transaction too, on both databases; a shape whose value Kysely would write into the SQL text
// instead of binding it is refused when it is first built.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { runCompiled } from '../../src/db/compiled-query.js';
import { insertRow } from '../../src/db/insert-row.js';
import { migrate } from '../../src/bootstrap.js';
import { openTestStorage } from '../helpers/app.js';

const event = (n: number, orderId: string) => ({
  id: `event-${n}`,
  order_id: orderId,
  company_id: 'company-1',
  trigger: 'moved_to_draft',
  current_status: 'Draft',
  previous_status: 'New',
  model_id: 'model-1',
  product_type: 'products_2d',
  delivery_type: 'new',
  created_at: 1_700_000_000_000_000 + n,
});

describe('runCompiled', () => {
  it('answers each call with its own values, in and out of a transaction', async (t) => {
    const { storage, drop } = await openTestStorage();
    t.after(async () => {
      await storage.close();
      await drop();
    });
    await migrate(storage);
    const { db } = storage;
    for (let n = 1; n <= 5; n++) await insertRow(db, 'order_events', event(n, n <= 3 ? 'order-a' : 'order-b'));
    const eventsOf = (on: typeof db, orderId: string, limit: number) =>
      runCompiled(on, 'test events of an order', [orderId, limit], (value) =>
        on.selectFrom('order_events').select('id').where('order_id', '=', value(0)).orderBy('seq', 'desc').limit(value(1)),
      );
    assert.deepEqual(await eventsOf(db, 'order-a', 2), [{ id: 'event-3' }, { id: 'event-2' }]);
    assert.deepEqual(await eventsOf(db, 'order-b', 10), [{ id: 'event-5' }, { id: 'event-4' }]);
    assert.deepEqual(await eventsOf(db, 'order-c', 10), []);
    assert.deepEqual(await db.transaction().execute((tx) => eventsOf(tx, 'order-a', 1)), [{ id: 'event-3' }]);
    // Constants of the query itself stay in it; only the values change.
    const ofTrigger = (orderId: string) =>
      runCompiled(db, 'test drafts of an order', [orderId], (value) =>
        db.selectFrom('order_events').select('id').where('trigger', '=', 'moved_to_draft').where('order_id', '=', value(0)).orderBy('seq'),
      );
    assert.deepEqual(await ofTrigger('order-b'), [{ id: 'event-4' }, { id: 'event-5' }]);
    assert.equal((await ofTrigger('order-a')).length, 3);
  });

  it('refuses a shape that writes a value into its SQL text', async (t) => {
    const { storage, drop } = await openTestStorage();
    t.after(async () => {
      await storage.close();
      await drop();
    });
    await migrate(storage);
    const { db } = storage;
    await assert.rejects(
      runCompiled(db, 'test unbound value', ['order-a'], () =>
        db.selectFrom('order_events').select('id').where('order_id', '=', sql.lit('order-a')),
      ),
      /only 0 of its 1 values are bound/,
    );
  });
});
