// The statement cache under Kysely on SQLite: rows come back as better-sqlite3 would make them
// (every column, nulls, numbers, blobs, the later of two same-named columns), streamed rows too;
// a schema change made through it is seen by the next `select *`; and writes are counted, with or
// without RETURNING, once committed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { SqliteDriver, sqliteDialect } from '../../src/db/sqlite-driver.js';
import { withStatementCache } from '../../src/db/statement-cache.js';

function open() {
  const sqlite = new SQLite(':memory:');
  const plain = new SQLite(':memory:');
  for (const db of [sqlite, plain]) {
    db.exec(`create table items (id integer primary key, name text, price real, data blob, note text)`);
    db.exec(`insert into items values (1, 'one', 1.5, x'0102', null), (2, 'two', 2, null, 'n')`);
  }
  const driver = new SqliteDriver({ sqlite, statements: withStatementCache(sqlite) });
  const db = new Kysely<{ items: { id: number; name: string; price: number; data: Buffer | null; note: string | null; extra?: string } }>({ dialect: sqliteDialect(driver) });
  return { db, driver, plain };
}

describe('statement cache', () => {
  it('answers the rows better-sqlite3 itself makes, for repeated, joined and streamed reads', async () => {
    const { db, plain } = open();
    const all = 'select * from "items" order by "id"';
    for (let round = 0; round < 3; round++) {
      assert.deepEqual((await sql.raw(all).execute(db)).rows, plain.prepare(all).all(), `round ${round}`);
    }
    const joined = 'select a.id, b.id, a.name from items a join items b on b.id = a.id + 1';
    assert.deepEqual((await sql.raw(joined).execute(db)).rows, plain.prepare(joined).all());
    assert.deepEqual((await sql.raw(joined).execute(db)).rows, [{ id: 2, name: 'one' }]);
    const streamed = [];
    for await (const row of db.selectFrom('items').selectAll().orderBy('id').stream()) streamed.push(row);
    assert.deepEqual(streamed, plain.prepare(all).all());
    assert.deepEqual(await db.selectFrom('items').select('name').where('id', '=', 9).execute(), []);
  });

  it('sees a column added through it, and counts every write', async () => {
    const { db, driver } = open();
    const first = () => db.selectFrom('items').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
    assert.deepEqual(Object.keys(await first()), ['id', 'name', 'price', 'data', 'note']);
    const before = driver.committedWrites();
    await db.schema.alterTable('items').addColumn('extra', 'text', (c) => c.defaultTo('x')).execute();
    assert.equal((await first()).extra, 'x', 'the same select * now answers the new column');
    await db.updateTable('items').set({ name: 'uno' }).where('id', '=', 1).execute();
    const returned = await db.updateTable('items').set({ name: 'eins' }).where('id', '=', 1).returning(['id', 'name']).execute();
    assert.deepEqual(returned, [{ id: 1, name: 'eins' }]);
    assert.equal(driver.committedWrites(), before + 3, 'the schema change, the update and the update … returning');
  });
});
