// The write-ahead log is copied back into the SQLite file by a worker thread, not inside commits:
// the thread keeps up with writes, never loses one, and stops with the storage.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openSqlite, type Storage } from '../../src/db/database.js';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, startWalCheckpointer } from '../../src/db/wal-checkpointer.js';
import { migrate } from '../../src/bootstrap.js';

function tempFile(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-wal-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'casa.sqlite');
}

describe('WAL checkpoints in a worker thread', () => {
  it('copies every committed page into the database file while writes go on, and stops cleanly', async (t) => {
    const file = tempFile(t);
    const writer = new SQLite(file);
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('create table t (id integer primary key, body text not null)');
    const checkpointer = startWalCheckpointer(file, 20);
    const insert = writer.prepare('insert into t (body) values (?)');
    for (let i = 0; i < 2000; i++) insert.run(`row ${i} ${'x'.repeat(200)}`);
    // Frames in the log, asked with a checkpoint of our own, which answers -1 while the thread's holds the lock.
    let walFrames = -1;
    for (let tries = 0; walFrames < 0 && tries < 100; tries++) {
      walFrames = (writer.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log;
      if (walFrames < 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.ok(walFrames > 50, `the writes went to the log (${walFrames} frames)`);
    // Two reports after the last write: the second checkpoint began after it, so it saw every frame.
    await checkpointer.next();
    const report = await checkpointer.next();
    assert.equal(report.checkpointed, report.log, 'every frame in the log was copied');
    await checkpointer.stop();
    writer.close();
    // The database file alone (no log beside it) holds every row.
    assert.equal(fs.existsSync(`${file}-wal`), false, 'the last connection closed the log');
    const reader = new SQLite(file, { readonly: true });
    assert.equal((reader.prepare('select count(*) as n from t').get() as { n: number }).n, 2000);
    reader.close();
  });

  it('is what a storage on a file uses, with the inline checkpoint kept only as a backstop', async (t) => {
    const file = tempFile(t);
    const storage = openSqlite(file, 'NORMAL', true);
    await migrate(storage);
    const pages = async (s: Storage) =>
      (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(s.db)).rows[0]!.wal_autocheckpoint;
    assert.equal(await pages(storage), BACKSTOP_AUTOCHECKPOINT_PAGES);
    assert.ok(BACKSTOP_AUTOCHECKPOINT_PAGES > 1000, 'later than SQLite would by default');
    await storage.close();
    const inline = openSqlite(tempFile(t), 'NORMAL', false);
    assert.equal(await pages(inline), 1000, 'without the thread, SQLite checkpoints by itself as usual');
    await inline.close();
  });
});
