// Whole-row inserts with their SQL built once: the row reads back exactly as Kysely would have
// written it, on both databases, generated keys included and undefined columns left out; batches
// of any size are stored whole and in order, whatever statements they are cut into.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { insertRow, insertRowReturning, insertRows } from '../../src/db/insert-row.js';
import { migrate } from '../../src/bootstrap.js';
import { openTestStorage } from '../helpers/app.js';
import type { Storage } from '../../src/db/database.js';

const event = (n: number, previous?: string | null) => ({
  id: `event-${n}`,
  order_id: 'order-1',
  company_id: 'company-1',
  trigger: 'moved_to_draft',
  current_status: 'Draft',
  previous_status: previous,
  model_id: 'model-1',
  product_type: 'products_2d',
  delivery_type: 'new',
  created_at: 1_700_000_000_000_000 + n,
});

/** A migrated test database, closed and dropped after the test. */
async function migratedStorage(t: TestContext): Promise<Storage> {
  const { storage, drop } = await openTestStorage();
  t.after(async () => {
    await storage.close();
    await drop();
  });
  await migrate(storage);
  return storage;
}

describe('insertRow', () => {
  it('stores rows of different shapes and answers the stored row with its generated key', async (t) => {
    const storage = await migratedStorage(t);
    const first = await insertRowReturning(storage.db, 'order_events', event(1, 'New'));
    const second = await insertRowReturning(storage.db, 'order_events', event(2, 'New'));
    assert.deepEqual({ ...second, seq: undefined }, { ...event(2, 'New'), seq: undefined });
    assert.equal(second.seq, first.seq + 1);
    // Another shape: previous_status left undefined is not named, so it is stored as NULL.
    await insertRow(storage.db, 'order_events', event(3));
    await storage.db.transaction().execute((tx) => insertRow(tx, 'order_events', event(4, null)));
    const rows = await storage.db.selectFrom('order_events').selectAll().orderBy('seq').execute();
    assert.deepEqual(
      rows.map((r) => [r.id, r.previous_status, r.created_at]),
      [
        ['event-1', 'New', 1_700_000_000_000_001],
        ['event-2', 'New', 1_700_000_000_000_002],
        ['event-3', null, 1_700_000_000_000_003],
        ['event-4', null, 1_700_000_000_000_004],
      ],
    );
  });
});

describe('insertRows', () => {
  it('stores every row of batches of any size, in order, and updates existing keys when asked', async (t) => {
    const storage = await migratedStorage(t);
    let n = 0;
    // Sizes around each statement size, so each batch is cut into several statements.
    for (const size of [1, 2, 7, 63, 64, 65, 127, 200]) {
      const batch = Array.from({ length: size }, () => event(++n, 'New'));
      await storage.db.transaction().execute((tx) => insertRows(tx, 'order_events', batch));
    }
    const rows = await storage.db.selectFrom('order_events').select(['id', 'seq']).orderBy('seq').execute();
    assert.equal(rows.length, n);
    assert.deepEqual(
      rows.map((r) => r.id),
      Array.from({ length: n }, (_, i) => `event-${i + 1}`),
    );

    const body = (hash: string, text: string) => ({ hash, body: text, last_used_at: 1 });
    await insertRows(
      storage.db,
      'request_log_bodies',
      Array.from({ length: 70 }, (_, i) => body(`h${i}`, `first ${i}`)),
    );
    await insertRows(
      storage.db,
      'request_log_bodies',
      Array.from({ length: 75 }, (_, i) => ({ ...body(`h${i}`, `second ${i}`), last_used_at: 2 })),
      { key: 'hash', update: ['last_used_at'] },
    );
    const bodies = await storage.db.selectFrom('request_log_bodies').selectAll().orderBy('hash').execute();
    assert.equal(bodies.length, 75);
    assert.deepEqual(
      bodies.find((b) => b.hash === 'h3'),
      { hash: 'h3', body: 'first 3', last_used_at: 2 },
      'a stored body keeps its text, its use moves on',
    );
    assert.deepEqual(
      bodies.find((b) => b.hash === 'h72'),
      { hash: 'h72', body: 'second 72', last_used_at: 2 },
    );
  });
});
