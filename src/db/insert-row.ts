// Inserts of whole rows on the hottest write path (an order and its event per draft). Kysely builds
// and compiles an INSERT anew on every call, which for the ~45 columns of an order costs as much as
// SQLite takes to run it (docs/performance.md). The SQL depends only on the dialect, the
// table, the column names and whether the row is returned, so it is built once for each.
import { CompiledQuery, type Insertable, type Selectable } from 'kysely';
import { builtOnce } from './compiled-once.js';
import type { Db } from './dialect.js';
import type { Database } from './schema.js';

/** The INSERT for `row` and its parameters; like Kysely, columns left undefined are not named. */
function insertQuery<T extends keyof Database>(db: Db, table: T, row: Insertable<Database[T]>, returning: boolean): CompiledQuery {
  const entries = Object.entries(row).filter(([, value]) => value !== undefined);
  const sql = builtOnce(db, `${table} ${returning} ${entries.map(([column]) => column).join(',')}`, () => {
    const query = db.insertInto(table).values(Object.fromEntries(entries) as never);
    return (returning ? query.returningAll() : query).compile().sql;
  });
  return CompiledQuery.raw(
    sql,
    entries.map(([, value]) => value),
  );
}

/** `insert into table (…) values (…)` with the row's columns, in the caller's connection or transaction. */
export async function insertRow<T extends keyof Database>(db: Db, table: T, row: Insertable<Database[T]>): Promise<void> {
  await db.executeQuery(insertQuery(db, table, row, false));
}

/** The same, answering the row as stored (defaults and generated keys filled in). */
export async function insertRowReturning<T extends keyof Database>(
  db: Db,
  table: T,
  row: Insertable<Database[T]>,
): Promise<Selectable<Database[T]>> {
  const result = await db.executeQuery<Selectable<Database[T]>>(insertQuery(db, table, row, true));
  const stored = result.rows[0];
  if (!stored) throw new Error(`insert into ${table} returned no row`);
  return stored;
}

// Rows per statement of insertRows: a few fixed sizes, so only a few statements are ever built
// and prepared per table; powers of two, so a batch of n rows takes at most n/64 + 6 of them (on
// PostgreSQL each is a round trip: docs/performance.md measured the request log's flush).
const CHUNKS = [64, 32, 16, 8, 4, 2, 1];

/** A row whose `key` column is already taken updates the `update` columns to the new row's values instead. */
export interface Upsert {
  key: string;
  update: string[];
}

/** The INSERT of `count` rows of these columns, built once per dialect, table, columns, count and upsert. */
function multiInsertSql(db: Db, table: keyof Database, columns: string[], count: number, upsert: Upsert | undefined): string {
  const upsertShape = upsert ? ` upsert ${upsert.key}:${upsert.update.join(',')}` : '';
  return builtOnce(db, `${table} rows ${count} ${columns.join(',')}${upsertShape}`, () => {
    const row = Object.fromEntries(columns.map((c) => [c, null]));
    const query = db.insertInto(table).values(Array.from({ length: count }, () => row) as never);
    if (!upsert) return query.compile().sql;
    return query
      .onConflict((oc) =>
        oc
          .column(upsert.key as never)
          .doUpdateSet((eb) => Object.fromEntries(upsert.update.map((c) => [c, eb.ref(`excluded.${c}` as never)])) as never),
      )
      .compile().sql;
  });
}

/**
 * Inserts many rows of the same columns (every row names the columns of the first) with a few
 * multi-row statements; in the caller's connection or transaction. With `upsert`, the rows' keys
 * must differ from each other (PostgreSQL refuses a statement that updates one row twice).
 */
export async function insertRows<T extends keyof Database>(
  db: Db,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  upsert?: Upsert,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  let at = 0;
  for (const size of CHUNKS) {
    while (rows.length - at >= size) {
      const params: unknown[] = [];
      for (let i = at; i < at + size; i++) {
        const row = rows[i] as Record<string, unknown>;
        for (const c of columns) params.push(row[c] ?? null);
      }
      await db.executeQuery(CompiledQuery.raw(multiInsertSql(db, table, columns, size, upsert), params));
      at += size;
    }
  }
}
