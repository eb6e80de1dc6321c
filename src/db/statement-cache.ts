// better-sqlite3 compiles a statement on every prepare(); Kysely prepares each query anew. The
// same few SQL strings repeat on every request, so compiled statements are kept and reused
// (preparing was about a sixth of the CPU time of `GET /users` in the benchmark). SQLite
// re-prepares a kept statement by itself after a schema change; a schema change made here also
// empties the cache, since a kept reader knows its columns (see `rowReader`).
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';

const MAX_STATEMENTS = 500;

/**
 * The tables behind identity reads (who a key belongs to, a company's settings, a user by email).
 * A write naming one of them moves the identity count. The schema has no foreign keys or triggers,
 * so no write changes these tables without naming them.
 */
const IDENTITY_TABLES = /"(companies|users|api_keys)"/;

const SCHEMA_CHANGE = /^\s*(create|alter|drop)\b/i;

interface Kept {
  /** What Kysely is handed: the statement itself, or for a reader the `rowReader` over it. */
  stmt: Statement;
  write: boolean;
  identityWrite: boolean;
}

const builders = new Map<string, (values: unknown[]) => unknown>();

/** A function making the row object for one column list: an object literal of a fixed shape. */
function rowBuilder(names: string[]): (values: unknown[]) => unknown {
  const key = names.join('\u0000');
  let build = builders.get(key);
  if (!build) {
    // Keys are quoted literals; a later duplicate name wins, as it does in better-sqlite3's objects.
    build = new Function('v', `return {${names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ')}};`) as (values: unknown[]) => unknown;
    builders.set(key, build);
  }
  return build;
}

/**
 * better-sqlite3 makes each row object by setting its properties one by one from C++, which cost
 * more than running the query itself for a page of orders (44 columns × 20 rows). This reader
 * takes the rows as arrays and builds each object in one literal of a fixed shape: about a third
 * less time per page. It offers what Kysely's SQLite driver calls (`reader`, `all`, `iterate`,
 * `run`) and `get`.
 */
function rowReader(stmt: Statement): Statement {
  const names = stmt.columns().map((c) => c.name);
  if (names.includes('__proto__')) return stmt;
  const build = rowBuilder(names);
  stmt.raw(true);
  const reader = {
    reader: true,
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

/**
 * The part of better-sqlite3 that Kysely's SqliteDialect uses, with prepared statements reused.
 * It also counts the writing statements it hands out: Kysely prepares a statement right before
 * running it, under its connection lock, so the count moves before any write of this connection.
 * Writes that name an identity table are counted apart as well.
 */
export function withStatementCache(sqlite: SqliteDatabase, max = MAX_STATEMENTS) {
  const cache = new Map<string, Kept>();
  let writes = 0;
  let identityWrites = 0;
  return {
    prepare(sql: string): Statement {
      let kept = cache.get(sql);
      if (!kept) {
        const stmt = sqlite.prepare(sql);
        if (!stmt.reader && SCHEMA_CHANGE.test(sql)) {
          // Kept readers may now answer other columns: start afresh (this statement is not kept).
          cache.clear();
          writes++;
          identityWrites++;
          return stmt;
        }
        // `readonly`, not `reader`: an INSERT or UPDATE … RETURNING answers rows and is still a write.
        kept = { stmt: stmt.reader ? rowReader(stmt) : stmt, write: !stmt.readonly, identityWrite: !stmt.readonly && IDENTITY_TABLES.test(sql) };
        // Insertion order is age order: drop the oldest when full (IN lists of many lengths are rare).
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(sql, kept);
      }
      if (kept.write) writes++;
      if (kept.identityWrite) identityWrites++;
      return kept.stmt;
    },
    writes(): number {
      return writes;
    },
    identityWrites(): number {
      return identityWrites;
    },
    close(): void {
      cache.clear();
      sqlite.close();
    },
  };
}
