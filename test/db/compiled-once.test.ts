// Queries compiled once per shape: each run takes its own values, a value the shape left out of the
// SQL is refused at once, and constants of the shape stay as they were built; on both databases.
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allRows, compiledOnce, firstRow } from '../../src/db/compiled-once.js';
import { migrate } from '../../src/bootstrap.js';
import { openTestStorage } from '../helpers/app.js';
import type { Db } from '../../src/db/dialect.js';

const setting = (name: string, value: string) => ({ name, value });

async function storageWithSettings(t: { after(fn: () => Promise<void>): void }) {
  const { storage, drop } = await openTestStorage();
  t.after(async () => {
    await storage.close();
    await drop();
  });
  await migrate(storage);
  await storage.db
    .insertInto('server_settings')
    .values([setting('a', 'one'), setting('b', 'two'), setting('c', 'three')])
    .execute();
  return storage.db;
}

const byName = (db: Db, name: string) =>
  compiledOnce(db, 'test setting by name', [name], ([n]) => db.selectFrom('server_settings').select('value').where('name', '=', n!));

describe('compiledOnce', () => {
  it('runs one compiled shape with each call’s own values, in a transaction too', async (t) => {
    const db = await storageWithSettings(t);
    assert.deepEqual(await firstRow(db, byName(db, 'a')), { value: 'one' });
    assert.deepEqual(await firstRow(db, byName(db, 'b')), { value: 'two' });
    assert.equal(await firstRow(db, byName(db, 'missing')), undefined);
    const inTx = await db.transaction().execute((tx) => firstRow(tx, byName(tx, 'c')));
    assert.deepEqual(inTx, { value: 'three' });
    // The same SQL every time: compiled once, with the values as its parameters.
    assert.equal(byName(db, 'a').sql, byName(db, 'b').sql);
    assert.deepEqual(byName(db, 'b').parameters, ['b']);
  });

  it('keeps the constants of a shape and puts the values where the build put their stand-ins', async (t) => {
    const db = await storageWithSettings(t);
    const page = (from: string, limit: number) =>
      compiledOnce(db, 'test settings from, newest name first', [limit, from], ([max, first]) =>
        db
          .selectFrom('server_settings')
          .select('name')
          .where('name', '>=', first!)
          .where('value', '!=', 'never stored')
          .orderBy('name', 'desc')
          .limit(max as never),
      );
    assert.deepEqual(await allRows(db, page('a', 2)), [{ name: 'c' }, { name: 'b' }]);
    assert.deepEqual(await allRows(db, page('b', 5)), [{ name: 'c' }, { name: 'b' }]);
    assert.deepEqual(page('b', 5).parameters, ['b', 'never stored', 5]);
  });

  it('refuses a shape whose SQL leaves a value out, before running anything', async (t) => {
    const db = await storageWithSettings(t);
    assert.throws(
      () => compiledOnce(db, 'test value left out', ['a'], () => db.selectFrom('server_settings').select('value').where('name', '=', 'a')),
      /compiled query test value left out: value 0 has no place in the SQL/,
    );
  });
});

describe('compiledOnce shapes in the code', () => {
  it('are named once each, so no two queries can share a compiled shape', () => {
    const heads: { head: string; open: boolean; where: string }[] = [];
    const walk = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    for (const file of walk('src').filter((f) => f.endsWith('.ts'))) {
      const text = fs.readFileSync(file, 'utf8');
      // The shape is the second argument, or a `shape` constant passed there.
      for (const m of text.matchAll(/compiledOnce\(\s*\w+,\s*(['`])(.*?)\1|const shape = (`)(.*?)`/gs)) {
        const literal = m[2] ?? m[4]!;
        const cut = literal.indexOf('${');
        heads.push({ head: cut < 0 ? literal : literal.slice(0, cut), open: cut >= 0, where: file });
      }
    }
    assert.ok(heads.length >= 12, `found ${heads.length} shapes`);
    for (const a of heads)
      for (const b of heads) {
        if (a === b) continue;
        const clash = a.head === b.head || (a.open && b.head.startsWith(a.head));
        assert.ok(!clash, `shape "${a.head}" (${a.where}) and "${b.head}" (${b.where}) can name the same query`);
      }
  });
});
