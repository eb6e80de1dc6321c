// The SQLite driver on a database file shared with other connections (other processes): reads
// never wait for this process's open transaction; while another connection holds the write lock,
// this process keeps answering and its write waits, then commits, or fails with SQLITE_BUSY after
// the busy timeout and changes nothing; the data version moves when a commit is done, not before.
// On an in-memory database (one connection) reads wait for the open transaction instead.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql, type Transaction } from 'kysely';
import { openSqlite } from '../../src/db/database.js';
import { SqliteDriver, sqliteDialect } from '../../src/db/sqlite-driver.js';
import { withStatementCache } from '../../src/db/statement-cache.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-sqlite-driver-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let files = 0;

function connection(file: string) {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  return { sqlite, statements: withStatementCache(sqlite) };
}

/** A file with an `items` table, a driver over two connections to it, and a third connection: "another process". */
function openFile(
  busyTimeoutMs?: number,
  connect: (file: string, role: 'reader' | 'writer') => ReturnType<typeof connection> = connection,
) {
  const file = path.join(dir, `db-${++files}.sqlite`);
  const other = new SQLite(file);
  other.pragma('journal_mode = WAL');
  other.exec('create table items (id integer primary key, name text not null)');
  const driver = new SqliteDriver(connect(file, 'reader'), connect(file, 'writer'), busyTimeoutMs);
  const db = new Kysely<{ items: { id: number; name: string } }>({ dialect: sqliteDialect(driver) });
  return { db, other, driver };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Runs `write` in a transaction and holds the transaction open once it has written; `commit()` lets it finish. */
async function heldTransaction<DB>(
  db: Kysely<DB>,
  write: (trx: Transaction<DB>) => Promise<unknown>,
): Promise<{ commit(): Promise<void> }> {
  const hold = deferred();
  const written = deferred();
  const tx = db.transaction().execute(async (trx) => {
    await write(trx);
    written.resolve();
    await hold.promise;
  });
  await Promise.race([written.promise, tx]);
  return {
    async commit() {
      hold.resolve();
      await tx;
    },
  };
}

const names = (db: Kysely<{ items: { id: number; name: string } }>) =>
  db
    .selectFrom('items')
    .select('name')
    .orderBy('id')
    .execute()
    .then((rows) => rows.map((r) => r.name));

describe('SQLite driver on a file', () => {
  it('answers reads at once while a transaction of this process is open, with the last commit', async () => {
    const { db, other } = openFile();
    const tx = await heldTransaction(db, (trx) => trx.insertInto('items').values({ id: 1, name: 'one' }).execute());
    assert.deepEqual(await names(db), [], 'the read ran while the transaction was open, and did not see its row');
    await tx.commit();
    assert.deepEqual(await names(db), ['one']);
    assert.deepEqual(other.prepare('select name from items').pluck().all(), ['one']);
    await db.destroy();
    other.close();
  });

  it('reads on the writing connection while no transaction holds it (its own commits keep its pages), on the reading one while one does', async () => {
    const ran = { reader: [] as string[], writer: [] as string[] };
    const { db, other } = openFile(undefined, (file, role) => {
      const c = connection(file);
      const prepare = c.statements.prepare.bind(c.statements);
      return { ...c, statements: { ...c.statements, prepare: (text: string) => (ran[role].push(text), prepare(text)) } };
    });
    const selects = (name: keyof typeof ran) => ran[name].filter((text) => text.startsWith('select')).length;

    await db.insertInto('items').values({ id: 1, name: 'one' }).execute();
    assert.deepEqual(await names(db), ['one']);
    assert.deepEqual([selects('writer'), selects('reader')], [1, 0], 'no transaction open: the writing connection read');

    const tx = await heldTransaction(db, (trx) => trx.insertInto('items').values({ id: 2, name: 'two' }).execute());
    assert.deepEqual(await names(db), ['one'], 'the open transaction is not seen');
    assert.deepEqual([selects('writer'), selects('reader')], [1, 1], 'a transaction open: the reading connection read');
    await tx.commit();
    assert.deepEqual(await names(db), ['one', 'two']);
    assert.deepEqual([selects('writer'), selects('reader')], [2, 1]);
    await db.destroy();
    other.close();
  });

  it('keeps answering while another process holds the write lock; the write waits and then commits', async () => {
    const { db, other } = openFile();
    other.exec("insert into items values (1, 'one')");
    other.exec('begin immediate');
    other.exec("insert into items values (2, 'two')");
    let written = false;
    const write = db
      .insertInto('items')
      .values({ id: 3, name: 'three' })
      .execute()
      .then(() => (written = true));
    // The event loop runs meanwhile: timers fire and reads answer (the other's row is not committed).
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await names(db), ['one']);
    assert.equal(written, false, 'the write waits for the lock');
    other.exec('commit');
    await write;
    assert.deepEqual(await names(db), ['one', 'two', 'three']);
    await db.destroy();
    other.close();
  });

  it('fails a write with SQLITE_BUSY after the busy timeout, changing nothing, and writes again once the lock is free', async () => {
    const { db, other, driver } = openFile(200);
    other.exec('begin immediate');
    const before = driver.committedWrites();
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ id: 1, name: 'one' }).execute();
      }),
      (err: { code?: string }) => err.code === 'SQLITE_BUSY',
    );
    await assert.rejects(
      db.insertInto('items').values({ id: 2, name: 'two' }).execute(),
      (err: { code?: string }) => err.code === 'SQLITE_BUSY',
    );
    other.exec('rollback');
    assert.equal(driver.committedWrites(), before);
    assert.deepEqual(await names(db), []);
    await db.insertInto('items').values({ id: 3, name: 'three' }).execute();
    assert.deepEqual(await names(db), ['three']);
    assert.equal(driver.committedWrites(), before + 1);
    await db.destroy();
    other.close();
  });

  it('rolls back a failed transaction and frees the connection for the next', async () => {
    const { db, other, driver } = openFile();
    const before = driver.committedWrites();
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ id: 1, name: 'one' }).execute();
        await trx.insertInto('items').values({ id: 1, name: 'again' }).execute();
      }),
      (err: { code?: string }) => err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY',
    );
    assert.equal(driver.committedWrites(), before, 'nothing committed, nothing counted');
    await db.transaction().execute((trx) => trx.insertInto('items').values({ id: 2, name: 'two' }).execute());
    assert.deepEqual(await names(db), ['two']);
    assert.deepEqual(other.prepare('select name from items').pluck().all(), ['two']);
    await db.destroy();
    other.close();
  });

  it('moves the data version when a commit is done, not when a write is made; identity only for identity tables', async () => {
    const storage = openSqlite(path.join(dir, `db-${++files}.sqlite`));
    await sql`create table users (id text primary key)`.execute(storage.db);
    await sql`create table orders (id text primary key)`.execute(storage.db);
    const version = (scope?: 'identity') => {
      storage.resample();
      return storage.dataVersion(scope);
    };
    const all0 = version();
    const identity0 = version('identity');
    const tx = await heldTransaction(storage.db, (trx) => sql`insert into "orders" values ('o1')`.execute(trx));
    assert.equal(version(), all0, 'a read now sees the data before the commit: same version');
    await tx.commit();
    const all1 = version();
    assert.notEqual(all1, all0);
    assert.equal(version('identity'), identity0, 'an order write leaves the identity scope alone');
    await sql`insert into "users" values ('u1')`.execute(storage.db);
    assert.notEqual(version('identity'), identity0);
    assert.notEqual(version(), all1);
    await storage.close();
  });
});

describe('SQLite driver in memory', () => {
  it('makes a read wait for the open transaction of the one connection', async () => {
    const sqlite = new SQLite(':memory:');
    sqlite.exec('create table items (id integer primary key, name text not null)');
    const db = new Kysely<{ items: { id: number; name: string } }>({
      dialect: sqliteDialect(new SqliteDriver({ sqlite, statements: withStatementCache(sqlite) })),
    });
    const tx = await heldTransaction(db, (trx) => trx.insertInto('items').values({ id: 1, name: 'one' }).execute());
    let read: string[] | null = null;
    const reading = names(db).then((r) => (read = r));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(read, null, 'the read waits for the transaction');
    await tx.commit();
    await reading;
    assert.deepEqual(read, ['one']);
    await db.destroy();
  });
});
