// Kysely builds and compiles a query anew on every call: for the short selects on the hot paths
// (a company's webhook settings inside each draft's transaction, a page of orders read right after
// a write) that costs as much as SQLite takes to run them (docs/performance.md). A query's SQL
// depends only on the dialect and the query's shape, so it is built once for each and every call
// binds its own values.
import { CompiledQuery, type Compilable, type DialectAdapter } from 'kysely';
import type { Db } from './dialect.js';

/** Stands for the value at `index` while the query is built once. */
class Slot {
  constructor(readonly index: number) {}
}

interface Built {
  sql: string;
  /** Each parameter of the SQL: the index of a call's value, or a constant of the query itself. */
  parameters: (number | { constant: unknown })[];
}

const built = new WeakMap<DialectAdapter, Map<string, Built>>();

function compileOnce(db: Db, shape: string, count: number, build: (value: (index: number) => unknown) => Compilable<unknown>): Built {
  const adapter = db.getExecutor().adapter;
  let byShape = built.get(adapter);
  if (!byShape) built.set(adapter, (byShape = new Map()));
  let query = byShape.get(shape);
  if (!query) {
    const slots = Array.from({ length: count }, (_, i) => new Slot(i));
    const compiled = build((index) => slots[index]).compile();
    const parameters = compiled.parameters.map((p) => (p instanceof Slot ? p.index : { constant: p }));
    // A value Kysely wrote into the SQL text rather than binding it would be the same on every call.
    const bound = new Set(parameters.filter((p) => typeof p === 'number'));
    if (bound.size !== count) throw new Error(`compiled query ${shape}: only ${bound.size} of its ${count} values are bound`);
    query = { sql: compiled.sql, parameters };
    byShape.set(shape, query);
  }
  return query;
}

/**
 * Runs the query `build` makes from `values`, built and compiled once per dialect and `shape` (a
 * name for everything but the values: what `build` does must depend on `shape` alone). `build`
 * receives `value(i)`, a stand-in for `values[i]`, and must pass each to Kysely as a bound value
 * (`where`, `limit`, `offset`, `values`), never through `sql.lit` or as an identifier.
 */
export async function runCompiled<Row>(
  db: Db,
  shape: string,
  values: readonly unknown[],
  build: (value: (index: number) => never) => Compilable<Row>,
): Promise<Row[]> {
  const query = compileOnce(db, shape, values.length, build as (value: (index: number) => unknown) => Compilable<unknown>);
  const parameters = query.parameters.map((p) => (typeof p === 'number' ? values[p] : p.constant));
  return (await db.executeQuery<Row>(CompiledQuery.raw(query.sql, parameters))).rows;
}
