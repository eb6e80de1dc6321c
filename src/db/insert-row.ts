// Inserts of whole rows on the hottest write path (an order and its event per draft). Kysely builds
// and compiles an INSERT anew on every call, which for the ~45 columns of an order costs as much as
// SQLite takes to run it (docs/performance.md). The SQL depends only on the dialect, the
// table, the column names and whether the row is returned, so it is built once for each.
import { CompiledQuery, type DialectAdapter, type Insertable, type Selectable } from 'kysely';
import type { Db } from './dialect.js';
import type { Database } from './schema.js';

const built = new WeakMap<DialectAdapter, Map<string, string>>();

/** The INSERT for `row` and its parameters; like Kysely, columns left undefined are not named. */
function insertQuery<T extends keyof Database>(db: Db, table: T, row: Insertable<Database[T]>, returning: boolean): CompiledQuery {
  const entries = Object.entries(row).filter(([, value]) => value !== undefined);
  const adapter = db.getExecutor().adapter;
  let byShape = built.get(adapter);
  if (!byShape) built.set(adapter, (byShape = new Map()));
  const shape = `${table} ${returning} ${entries.map(([column]) => column).join(',')}`;
  let sql = byShape.get(shape);
  if (sql === undefined) {
    const query = db.insertInto(table).values(Object.fromEntries(entries) as never);
    sql = (returning ? query.returningAll() : query).compile().sql;
    byShape.set(shape, sql);
  }
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
