// Kysely's driver for SQLite, written for several processes sharing one database file.
//
// Kysely's own SQLite driver runs everything on one connection behind a lock, and its transactions
// begin DEFERRED: the write lock is taken by the first write, and when another process holds it,
// SQLite's busy handler sleeps on this thread, so the whole process stops until the lock is free
// (docs/performance.md gives what that cost under the mixed load).
//
// Here a file database has two connections:
// - reads outside a transaction run at once, never waiting for a transaction of this process: on
//   the writing connection while it is free, on the reading one while a transaction holds it (WAL
//   readers see the last commit and block nobody);
// - transactions, and writes outside one, run one at a time on the writing connection, which takes
//   SQLite's write lock with BEGIN IMMEDIATE. While another process holds it, the attempt is
//   retried from the event loop (at once, then on short growing timers), so this process keeps
//   serving meanwhile; after BUSY_TIMEOUT_MS the write fails with SQLITE_BUSY (a 503).
// An in-memory database has a single connection (a second would be another database): reads then
// wait while a transaction of this process is open.
//
// The driver also counts committed writes, for the read cache's data version (database.ts): a
// count moves once the commit is done, so a read that ran before it is never tagged with a version
// that includes it.
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import type { Prepared, StatementCache } from './statement-cache.js';

export const BUSY_TIMEOUT_MS = 5000;

interface Connection {
  sqlite: SqliteDatabase;
  statements: StatementCache;
}

/** One holder at a time, served in the order they asked. */
class Mutex {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  get locked(): boolean {
    return this.held;
  }

  async lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  unlock(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => (attempt < 3 ? setImmediate(resolve) : setTimeout(resolve, Math.min(2 ** (attempt - 3), 8))));
}

function isBusy(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'SQLITE_BUSY';
}

function result(p: Prepared, parameters: readonly unknown[]): QueryResult<unknown> {
  if (p.reader) return { rows: p.stmt.all(parameters) as unknown[] };
  const { changes, lastInsertRowid } = p.stmt.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

/** What Kysely holds for one query or one transaction. */
class Session implements DatabaseConnection {
  inTransaction = false;
  wrote = false;
  wroteIdentity = false;

  constructor(private readonly driver: SqliteDriver) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute(this, query) as Promise<QueryResult<R>>;
  }

  streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    return this.driver.stream(this, query) as AsyncIterableIterator<QueryResult<R>>;
  }
}

export class SqliteDriver implements Driver {
  private readonly single: boolean;
  private readonly mutex = new Mutex();
  private readonly beginImmediate: Statement;
  private readonly commitStmt: Statement;
  private readonly rollbackStmt: Statement;
  private readonly waitForLocks: Statement;
  private readonly failAtOnce: Statement;
  private writes = 0;
  private identityWrites = 0;

  constructor(
    private readonly reader: Connection,
    private readonly writer: Connection = reader,
    private readonly busyTimeoutMs = BUSY_TIMEOUT_MS,
  ) {
    this.single = reader === writer;
    this.beginImmediate = writer.sqlite.prepare('BEGIN IMMEDIATE');
    this.commitStmt = writer.sqlite.prepare('COMMIT');
    this.rollbackStmt = writer.sqlite.prepare('ROLLBACK');
    this.waitForLocks = writer.sqlite.prepare(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.failAtOnce = writer.sqlite.prepare('PRAGMA busy_timeout = 0');
  }

  /** Transactions (and writes outside one) committed by this process; `identity`: those that wrote an identity table. */
  committedWrites(identity = false): number {
    return identity ? this.identityWrites : this.writes;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Session(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const session = connection as Session;
    await this.mutex.lock();
    try {
      await this.takeWriteLock();
    } catch (err) {
      this.mutex.unlock();
      throw err;
    }
    session.inTransaction = true;
    session.wrote = false;
    session.wroteIdentity = false;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const session = connection as Session;
    // A failed COMMIT leaves the transaction open: Kysely rolls it back next.
    this.commitStmt.run();
    this.end(session, true);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const session = connection as Session;
    try {
      if (this.writer.sqlite.inTransaction) this.rollbackStmt.run();
    } finally {
      this.end(session, false);
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const session = connection as Session;
    if (session.inTransaction) await this.rollbackTransaction(session);
  }

  async destroy(): Promise<void> {
    if (!this.single) this.writer.statements.close();
    this.reader.statements.close();
  }

  async execute(session: Session, { sql, parameters }: CompiledQuery): Promise<QueryResult<unknown>> {
    if (session.inTransaction) return this.onWriter(session, sql, parameters);
    const idle = !this.mutex.locked;
    // SQLite empties a connection's page cache whenever another connection has committed, but not
    // after its own commits: while no transaction holds it, the writing connection reads with the
    // pages this process's last writes left warm (docs/performance.md).
    const p = (idle ? this.writer : this.reader).statements.prepare(sql);
    if (!p.write) {
      if (!this.single || idle) return result(p, parameters);
      await this.mutex.lock();
      try {
        return result(p, parameters);
      } finally {
        this.mutex.unlock();
      }
    }
    // A write outside a transaction: one of its own, so the lock is taken without blocking.
    await this.beginTransaction(session);
    try {
      const answer = this.onWriter(session, sql, parameters);
      await this.commitTransaction(session);
      return answer;
    } catch (err) {
      await this.rollbackTransaction(session);
      throw err;
    }
  }

  async *stream(session: Session, { sql, parameters }: CompiledQuery): AsyncIterableIterator<QueryResult<unknown>> {
    const own = this.single && !session.inTransaction;
    const connection = session.inTransaction ? this.writer : this.reader;
    if (own) await this.mutex.lock();
    try {
      const p = connection.statements.prepare(sql);
      if (!p.reader) throw new Error('SQLite streams only queries that answer rows');
      for (const row of p.stmt.iterate(parameters)) yield { rows: [row] };
    } finally {
      if (own) this.mutex.unlock();
    }
  }

  private onWriter(session: Session, sql: string, parameters: readonly unknown[]): QueryResult<unknown> {
    const p = this.writer.statements.prepare(sql);
    if (p.write) session.wrote = true;
    if (p.identityWrite) session.wroteIdentity = true;
    // The reading connection's kept statements may know the old columns.
    if (p.schemaChange && !this.single) this.reader.statements.clear();
    return result(p, parameters);
  }

  /** BEGIN IMMEDIATE without letting SQLite sleep on this thread: retried from the event loop while another process writes. */
  private async takeWriteLock(): Promise<void> {
    const started = Date.now();
    // Nothing else runs on the writing connection meanwhile: the mutex is held.
    this.failAtOnce.get();
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          this.beginImmediate.run();
          return;
        } catch (err) {
          if (!isBusy(err) || Date.now() - started >= this.busyTimeoutMs) throw err;
        }
        await pause(attempt);
      }
    } finally {
      // Statements inside the transaction keep SQLite's own wait as a backstop.
      this.waitForLocks.get();
    }
  }

  private end(session: Session, committed: boolean): void {
    if (committed && session.wrote) this.writes++;
    if (committed && session.wroteIdentity) this.identityWrites++;
    session.inTransaction = false;
    this.mutex.unlock();
  }
}

/** A Kysely dialect over `driver`. */
export function sqliteDialect(driver: SqliteDriver): Dialect {
  return {
    createDriver: () => driver,
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createAdapter: () => new SqliteAdapter(),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
  };
}
