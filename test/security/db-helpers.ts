// Whole-database views for the security, fuzz and fault tests: every table's row count, every row.
import { sql } from 'kysely';
import type { Storage } from '../../src/db/database.js';

export async function tableNames(storage: Storage): Promise<string[]> {
  if (storage.dialect === 'sqlite') {
    const r = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(storage.db);
    return r.rows.map((x) => x.name);
  }
  const r = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(storage.db);
  return r.rows.map((x) => x.name);
}

/** Row count of every table (migration bookkeeping left out). */
export async function tableCounts(storage: Storage): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of await tableNames(storage)) {
    if (name.startsWith('kysely_')) continue;
    const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(storage.db);
    out[name] = Number(r.rows[0]!.n);
  }
  return out;
}

/** Every row of every table as one JSON text per table. */
export async function dumpTables(storage: Storage): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await tableNames(storage)) {
    const r = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(storage.db);
    out[name] = JSON.stringify(r.rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : Buffer.isBuffer(v) ? v.toString('latin1') : v));
  }
  return out;
}
