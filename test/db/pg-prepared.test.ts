// PostgreSQL: queries with parameters run as named prepared statements, so a connection parses and
// plans each once; CASA_PG_PREPARED_STATEMENTS=false (a pooler that cannot keep them) runs every
// query unnamed. The answers are the same either way.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { openStorage } from '../../src/db/database.js';
import { migrate } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { TEST_DATABASE_URL } from '../helpers/app.js';

async function storageWith(t: import('node:test').TestContext, prepared: boolean | undefined) {
  const schema = `prep_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  // One connection, so the session asked about pg_prepared_statements is the one that ran the queries.
  const storage = await openStorage({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema, pgPoolSize: 1, pgPreparedStatements: prepared });
  t.after(async () => {
    await storage.close();
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL! });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });
  await migrate(storage);
  return storage;
}

/** Looks companies up by id three times, then lists the session's prepared statements. */
async function lookUpThrice(db: Awaited<ReturnType<typeof storageWith>>['db']) {
  const answers = [];
  for (const id of ['a', 'b', 'a']) answers.push(await db.selectFrom('companies').select('id').where('id', '=', id).execute());
  const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db);
  return { answers, statements: rows.map((r) => r.statement) };
}

describe('PostgreSQL prepared statements', { skip: !TEST_DATABASE_URL && 'PostgreSQL only (TEST_DATABASE_URL)' }, () => {
  it('prepares a query with parameters once per connection, by default', async (t) => {
    const storage = await storageWith(t, undefined);
    const { answers, statements } = await lookUpThrice(storage.db);
    assert.deepEqual(answers, [[], [], []]);
    assert.equal(statements.filter((s) => /from "companies" where "id" = \$1/.test(s)).length, 1);
  });

  it('runs every query unnamed with CASA_PG_PREPARED_STATEMENTS=false', async (t) => {
    assert.equal(loadConfig({ CASA_PG_PREPARED_STATEMENTS: 'false' }).pgPreparedStatements, false);
    assert.equal(loadConfig({}).pgPreparedStatements, true);
    const storage = await storageWith(t, false);
    const { answers, statements } = await lookUpThrice(storage.db);
    assert.deepEqual(answers, [[], [], []]);
    assert.deepEqual(statements, []);
  });
});
