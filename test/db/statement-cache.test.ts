// The statement cache under Kysely on SQLite: rows come back as better-sqlite3 would make them
// (every column in its order, nulls, numbers, blobs, the later of two same-named columns), streamed
// rows too, and whole rows of our own tables (built from row-builders.generated.ts, which must
// match the migrations); a schema change made through it is seen by the next `select *`; and
// writes are counted, with or without RETURNING, once committed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { SqliteDriver, sqliteDialect } from '../../src/db/sqlite-driver.js';
import { withStatementCache } from '../../src/db/statement-cache.js';
import { openSqlite } from '../../src/db/database.js';
import { migrate } from '../../src/bootstrap.js';
import { seedOrders } from '../orders/seed.js';
import { ROW_BUILDERS_FILE, rowBuildersSource } from '../../scripts/row-builders.js';

function open() {
  const sqlite = new SQLite(':memory:');
  const plain = new SQLite(':memory:');
  for (const db of [sqlite, plain]) {
    db.exec(`create table items (id integer primary key, name text, price real, data blob, note text)`);
    db.exec(`insert into items values (1, 'one', 1.5, x'0102', null), (2, 'two', 2, null, 'n')`);
  }
  const driver = new SqliteDriver({ sqlite, statements: withStatementCache(sqlite) });
  const db = new Kysely<{ items: { id: number; name: string; price: number; data: Buffer | null; note: string | null; extra?: string } }>({
    dialect: sqliteDialect(driver),
  });
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
    const keys = (rows: unknown[]) => rows.map((r) => Object.keys(r as object));
    assert.deepEqual(keys((await sql.raw(all).execute(db)).rows), keys(plain.prepare(all).all()), 'the columns in their order');
  });

  it('answers whole rows of our tables as better-sqlite3 makes them, and knows every table of the migrations', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-rows-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'casa.sqlite');
    const storage = openSqlite(file);
    await migrate(storage);
    await seedOrders(storage.db, { companyId: 'company-1', count: 3, startUs: 1_700_000_000_000_000 });
    const plain = new SQLite(file, { readonly: true });
    for (const query of [
      'select * from "orders" order by "id"',
      'select * from "companies"',
      'select * from "kysely_migration" order by "name"',
    ]) {
      const rows = (await sql.raw(query).execute(storage.db)).rows;
      const expected = plain.prepare(query).all();
      assert.deepEqual(rows, expected, query);
      assert.deepEqual(
        rows.map((r) => Object.keys(r as object)),
        expected.map((r) => Object.keys(r as object)),
        query,
      );
    }
    plain.close();
    await storage.close();
    assert.equal(
      fs.readFileSync(ROW_BUILDERS_FILE, 'utf8'),
      await rowBuildersSource(),
      'row-builders.generated.ts is that of the migrations: run `npx tsx scripts/row-builders.ts`',
    );
  });

  it('sees a column added through it, and counts every write', async () => {
    const { db, driver } = open();
    const first = () => db.selectFrom('items').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
    assert.deepEqual(Object.keys(await first()), ['id', 'name', 'price', 'data', 'note']);
    const before = driver.committedWrites();
    await db.schema
      .alterTable('items')
      .addColumn('extra', 'text', (c) => c.defaultTo('x'))
      .execute();
    assert.equal((await first()).extra, 'x', 'the same select * now answers the new column');
    await db.updateTable('items').set({ name: 'uno' }).where('id', '=', 1).execute();
    const returned = await db.updateTable('items').set({ name: 'eins' }).where('id', '=', 1).returning(['id', 'name']).execute();
    assert.deepEqual(returned, [{ id: 1, name: 'eins' }]);
    assert.equal(driver.committedWrites(), before + 3, 'the schema change, the update and the update … returning');
  });
});
