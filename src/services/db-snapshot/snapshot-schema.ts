// What a snapshot needs to know about the database, asked of the database itself (so a new table
// or column is copied without touching this file): the tables of this database (this schema on
// PostgreSQL), their columns and primary keys, the auto-increment counters, the applied migrations.
import { sql } from 'kysely';
import type { Db } from '../../db/dialect.js';
import type { DialectName } from '../../db/database.js';

/** Kysely's own bookkeeping: the migration level is recorded on its own, never copied as rows. */
const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

export interface ColumnInfo {
  name: string;
  /** As the database declares it (`bigint`, `text`, `double precision`, …); informative only. */
  type: string;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  /** Primary key columns in key order; rows are read and written in this order. */
  primaryKey: string[];
  /** The auto-increment column (SQLite AUTOINCREMENT, PostgreSQL serial), if any. */
  serial: string | null;
  /** PostgreSQL: the sequence behind `serial`. */
  sequence: string | null;
}

export class SnapshotError extends Error {}

/** Integer column types, whose values must stay exact integers (JavaScript numbers hold 2^53). */
export function isIntegerType(type: string): boolean {
  return /int/i.test(type);
}

export async function describeTables(db: Db, dialect: DialectName): Promise<TableInfo[]> {
  const tables = dialect === 'postgres' ? await describePostgres(db) : await describeSqlite(db);
  return tables.filter((t) => !MIGRATION_TABLES.has(t.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function describeSqlite(db: Db): Promise<TableInfo[]> {
  const tables = (
    await sql<{
      name: string;
      sql: string | null;
    }>`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
  ).rows;
  const out: TableInfo[] = [];
  for (const t of tables) {
    const cols = (
      await sql<{ name: string; type: string; pk: number }>`select name, type, pk from pragma_table_info(${t.name}) order by cid`.execute(
        db,
      )
    ).rows;
    const primaryKey = cols
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    const serial = /\bautoincrement\b/i.test(t.sql ?? '') && primaryKey.length === 1 ? primaryKey[0]! : null;
    out.push({
      name: t.name,
      columns: cols.map((c) => ({ name: c.name, type: c.type.toLowerCase() })),
      primaryKey,
      serial,
      sequence: null,
    });
  }
  return out;
}

async function describePostgres(db: Db): Promise<TableInfo[]> {
  const tables = (
    await sql<{
      name: string;
    }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
      db,
    )
  ).rows;
  const cols = (
    await sql<{ table_name: string; column_name: string; data_type: string; serial_sequence: string | null }>`
      select table_name, column_name, data_type,
             case when column_default like 'nextval(%' then pg_get_serial_sequence(quote_ident(table_schema) || '.' || quote_ident(table_name), column_name) end as serial_sequence
        from information_schema.columns where table_schema = current_schema() order by table_name, ordinal_position`.execute(db)
  ).rows;
  const keys = (
    await sql<{ table_name: string; column_name: string }>`
      select kcu.table_name, kcu.column_name
        from information_schema.table_constraints tc
        join information_schema.key_column_usage kcu
          on kcu.constraint_schema = tc.constraint_schema and kcu.constraint_name = tc.constraint_name and kcu.table_name = tc.table_name
       where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = current_schema()
       order by kcu.table_name, kcu.ordinal_position`.execute(db)
  ).rows;
  return tables.map(({ name }) => {
    const own = cols.filter((c) => c.table_name === name);
    const serial = own.find((c) => c.serial_sequence);
    return {
      name,
      columns: own.map((c) => ({ name: c.column_name, type: c.data_type })),
      primaryKey: keys.filter((k) => k.table_name === name).map((k) => k.column_name),
      serial: serial?.column_name ?? null,
      sequence: serial?.serial_sequence ?? null,
    };
  });
}

/** The names of the applied migrations, sorted. */
export async function appliedMigrations(db: Db, dialect: DialectName): Promise<string[]> {
  const exists =
    dialect === 'postgres'
      ? (
          await sql<{
            n: number;
          }>`select count(*)::int as n from information_schema.tables where table_schema = current_schema() and table_name = 'kysely_migration'`.execute(
            db,
          )
        ).rows[0]!.n > 0
      : (await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(db))
          .rows[0]!.n > 0;
  if (!exists) throw new SnapshotError('The database has no migrations applied: run `casa-integrate migrate` (or start the server) first.');
  return (await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name).sort();
}

/**
 * The last value each auto-increment counter handed out (0 if none), by table. A counter may be
 * ahead of the table's largest key (deleted rows, rolled-back inserts); a restore keeps it so, so
 * keys are never handed out twice.
 */
export async function readCounters(db: Db, dialect: DialectName, tables: TableInfo[]): Promise<Record<string, number>> {
  const counters: Record<string, number> = {};
  if (dialect === 'postgres') {
    for (const t of tables) {
      if (!t.sequence) continue;
      const row = (
        await sql<{ last_value: number | string; is_called: boolean }>`select last_value, is_called from ${sql.raw(t.sequence)}`.execute(db)
      ).rows[0];
      counters[t.name] = row?.is_called ? Number(row.last_value) : 0;
    }
    return counters;
  }
  const serialTables = new Set(tables.filter((t) => t.serial).map((t) => t.name));
  if (serialTables.size === 0) return counters;
  const rows = (await sql<{ name: string; seq: number }>`select name, seq from sqlite_sequence`.execute(db)).rows;
  for (const name of serialTables) counters[name] = Number(rows.find((r) => r.name === name)?.seq ?? 0);
  return counters;
}

/** Sets every auto-increment counter of `tables` (in the caller's transaction on SQLite). */
export async function writeCounters(db: Db, dialect: DialectName, tables: TableInfo[], counters: Record<string, number>): Promise<void> {
  for (const t of tables) {
    if (!t.serial) continue;
    const value = counters[t.name] ?? 0;
    if (dialect === 'postgres') {
      // setval is not undone by a rollback; it runs last, after every row went in.
      if (value > 0) await sql`select setval(cast(${t.sequence} as regclass), ${value}, true)`.execute(db);
      else await sql`select setval(cast(${t.sequence} as regclass), 1, false)`.execute(db);
    } else {
      await sql`delete from sqlite_sequence where name = ${t.name}`.execute(db);
      if (value > 0) await sql`insert into sqlite_sequence (name, seq) values (${t.name}, ${value})`.execute(db);
    }
  }
}
