// better-sqlite3 compiles a statement on every prepare(); Kysely hands the driver each query's SQL
// anew. The same few SQL strings repeat on every request, so compiled statements are kept and
// reused (docs/performance.md gives what preparing cost). SQLite re-prepares a kept statement by
// itself after a schema change; a schema change also empties the cache, since a kept reader knows
// its columns (see `rowReader`).
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import { tableRows } from './row-builders.generated.js';

const MAX_STATEMENTS = 500;

/**
 * The tables behind identity reads (who a key belongs to with its sandbox settings, a company's settings, a user by email).
 * A write naming one of them moves the identity count (see sqlite-driver.ts and, on PostgreSQL, pg-identity-version.ts).
 * The schema has no foreign keys, so no write changes these tables without naming them. A table added here also needs
 * the PostgreSQL trigger that announces its writes to other processes (migration 015 sets it on these four).
 */
export const IDENTITY_TABLES = /"(companies|users|api_keys|sandbox_settings)"/;

export const SCHEMA_CHANGE = /^\s*(create|alter|drop)\b/i;

/** A compiled statement and what running it does. */
export interface Prepared {
  /** The statement itself, or for one answering rows the `rowReader` over it. */
  stmt: Statement;
  /** It answers rows (a SELECT, or a write with RETURNING). */
  reader: boolean;
  /** It may change the database: any statement that is not read-only, schema changes included. */
  write: boolean;
  /** A write naming an identity table (or a schema change, which may touch any table). */
  identityWrite: boolean;
  /** CREATE, ALTER or DROP: statements kept on any connection to this file may now be stale. */
  schemaChange: boolean;
}

export interface StatementCache {
  prepare(sql: string): Prepared;
  /** Forgets every kept statement (a schema change elsewhere). */
  clear(): void;
  close(): void;
}

const builders = new Map<string, (values: unknown[]) => unknown>();

/**
 * A function making the row object for one column list. A whole table's row (`select *`,
 * `returning *`) is one object literal from row-builders.generated.ts: it has its final shape from
 * the start, where adding the properties one by one, as any other column list's function does,
 * walks a chain of shapes. The literals are generated ahead of time from the schema rather than
 * per column list at run time, since no code is compiled from strings. A later duplicate name wins,
 * as it does in better-sqlite3's objects.
 */
function rowBuilder(names: string[]): (values: unknown[]) => unknown {
  const key = names.join('\u0000');
  let build = builders.get(key);
  if (!build) {
    build =
      tableRows.get(key) ??
      ((values) => {
        const row: Record<string, unknown> = {};
        for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
        return row;
      });
    builders.set(key, build);
  }
  return build;
}

/**
 * better-sqlite3 makes each row object by setting its properties one by one from C++, which costs
 * more than running the query itself for a page of orders (docs/performance.md). This reader
 * takes the rows as arrays and builds each object in JavaScript (`rowBuilder`). It offers what our
 * SQLite driver calls (`all`, `iterate`, `run`) and `get`.
 */
function rowReader(stmt: Statement): Statement {
  const names = stmt.columns().map((c) => c.name);
  // Assigning `__proto__` would set the row's prototype: such a statement keeps better-sqlite3's own objects.
  if (names.includes('__proto__')) return stmt;
  const build = rowBuilder(names);
  stmt.raw(true);
  const reader = {
    all(...params: unknown[]) {
      const rows = stmt.all(...params) as unknown[][];
      const out = new Array<unknown>(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = build(rows[i]!);
      return out;
    },
    get(...params: unknown[]) {
      const row = stmt.get(...params) as unknown[] | undefined;
      return row === undefined ? undefined : build(row);
    },
    *iterate(...params: unknown[]) {
      for (const row of stmt.iterate(...params) as IterableIterator<unknown[]>) yield build(row);
    },
    run: (...params: unknown[]) => stmt.run(...params),
  };
  return reader as unknown as Statement;
}

/** Prepared statements of one connection, reused by their SQL text. */
export function withStatementCache(sqlite: SqliteDatabase, max = MAX_STATEMENTS): StatementCache {
  const cache = new Map<string, Prepared>();
  return {
    prepare(sql: string): Prepared {
      let kept = cache.get(sql);
      if (!kept) {
        const stmt = sqlite.prepare(sql);
        if (!stmt.reader && SCHEMA_CHANGE.test(sql)) {
          // Kept readers may now answer other columns: start afresh (this statement is not kept).
          cache.clear();
          return { stmt, reader: false, write: true, identityWrite: true, schemaChange: true };
        }
        // `readonly`, not `reader`: an INSERT or UPDATE … RETURNING answers rows and is still a write.
        const write = !stmt.readonly;
        kept = {
          stmt: stmt.reader ? rowReader(stmt) : stmt,
          reader: stmt.reader,
          write,
          identityWrite: write && IDENTITY_TABLES.test(sql),
          schemaChange: false,
        };
        // Insertion order is age order: drop the oldest when full (IN lists of many lengths are rare).
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(sql, kept);
      }
      return kept;
    },
    clear(): void {
      cache.clear();
    },
    close(): void {
      cache.clear();
      sqlite.close();
    },
  };
}
