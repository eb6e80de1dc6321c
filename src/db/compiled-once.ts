// Queries on the hot paths, built and compiled by Kysely once and then run with new values. Kysely
// builds a query's tree and compiles it to SQL on every call, which for the queries every request
// runs (its api key, a page of orders, an order by id) costs more than SQLite takes to answer them
// (docs/performance.md). The SQL depends only on the dialect and the query's shape, so each shape is
// compiled once; the statement cache (statement-cache.ts) or PostgreSQL's named statements then
// keep it prepared.
import { CompiledQuery, type Compilable, type DialectAdapter } from 'kysely';
import type { Db } from './dialect.js';

const built = new WeakMap<DialectAdapter, Map<string, unknown>>();

/** What `build` makes, made once per dialect and `shape` (everything the result depends on). */
export function builtOnce<T>(db: Db, shape: string, build: () => T): T {
  const adapter = db.getExecutor().adapter;
  let byShape = built.get(adapter);
  if (!byShape) built.set(adapter, (byShape = new Map()));
  let made = byShape.get(shape) as T | undefined;
  if (made === undefined) byShape.set(shape, (made = build()));
  return made;
}

interface Template {
  sql: string;
  /** For each parameter of the SQL: the index of the value it takes, or -1 for a constant of the shape. */
  slots: number[];
  constants: readonly unknown[];
}

/** A value no caller passes: where the query built with it has a parameter, the n-th value goes. */
const slot = (n: number) => `\u0000compiled-once slot ${n}\u0000`;

/**
 * The query `build` makes from `values`, compiled once per dialect and `shape`. `build` gets
 * stand-ins for the values and must put each where its value goes; anything else the query holds
 * (a limit, a column list, how many items an IN list has) must be fixed by `shape`. Shapes are kept
 * for the life of the process, so there must be few of them: an IN list of a request's values
 * has its repeats removed first, so its length is bounded by the values that exist.
 */
export function compiledOnce<R>(
  db: Db,
  shape: string,
  values: readonly unknown[],
  build: (slots: string[]) => Compilable<R>,
): CompiledQuery<R> {
  const template = builtOnce(db, `query ${shape}`, (): Template => {
    const slots = values.map((_, n) => slot(n));
    const compiled = build(slots).compile();
    const taken = compiled.parameters.map((p) => slots.indexOf(p as string));
    const missing = slots.findIndex((_, n) => !taken.includes(n));
    if (missing >= 0) throw new Error(`compiled query ${shape}: value ${missing} has no place in the SQL`);
    return { sql: compiled.sql, slots: taken, constants: compiled.parameters };
  });
  const parameters = template.slots.map((n, i) => (n < 0 ? template.constants[i] : values[n]));
  return CompiledQuery.raw(template.sql, parameters) as CompiledQuery<R>;
}

/** Runs a query made by `compiledOnce` and answers its first row. */
export async function firstRow<R>(db: Db, query: CompiledQuery<R>): Promise<R | undefined> {
  return (await db.executeQuery(query)).rows[0];
}

/** Runs a query made by `compiledOnce` and answers its rows. */
export async function allRows<R>(db: Db, query: CompiledQuery<R>): Promise<R[]> {
  return (await db.executeQuery(query)).rows;
}
