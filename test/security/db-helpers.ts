// Whole-database views for the security, fuzz and fault tests: every table's row count, every row.
import { sql } from 'kysely';
import type { Storage } from '../../src/db/database.js';

export async function tableNames(storage: Storage): Promise<string[]> {
  if (storage.dialect === 'sqlite') {
    const r = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(storage.db);
    return r.rows.map((x) => x.name);
  }
  const r = await sql<{
    name: string;
  }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
    storage.db,
  );
  return r.rows.map((x) => x.name);
}

const countQueries = new WeakMap<Storage, string>();

/**
 * Row count of every table, read in one statement. Left out: migration bookkeeping, and the request
 * log, (and its bodies), which keeps every request, refused ones included, so "nothing changed" ignores it.
 */
export async function tableCounts(storage: Storage): Promise<Record<string, number>> {
  let query = countQueries.get(storage);
  if (!query) {
    const names = (await tableNames(storage)).filter((name) => !name.startsWith('kysely_') && !name.startsWith('request_log'));
    query = `select ${names.map((name) => `(select count(*) from "${name}") as "${name}"`).join(', ')}`;
    countQueries.set(storage, query);
  }
  const r = await sql<Record<string, number | string>>`${sql.raw(query)}`.execute(storage.db);
  return Object.fromEntries(Object.entries(r.rows[0]!).map(([name, n]) => [name, Number(n)]));
}

/** Every row of every table as one JSON text per table. */
export async function dumpTables(storage: Storage): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await tableNames(storage)) {
    const r = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(storage.db);
    out[name] = JSON.stringify(r.rows, (_k, v: unknown) =>
      typeof v === 'bigint' ? String(v) : Buffer.isBuffer(v) ? v.toString('latin1') : v,
    );
  }
  return out;
}
