// Opens the database: embedded SQLite by default, PostgreSQL when a URL is given.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from './schema.js';
import { BUSY_TIMEOUT_MS, SqliteDriver, sqliteDialect } from './sqlite-driver.js';
import { identityVersion, trackIdentityWrites } from './pg-identity-version.js';
import { withStatementCache } from './statement-cache.js';
import { ANALYSIS_LIMIT, BACKSTOP_AUTOCHECKPOINT_PAGES, startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../storage/private-files.js';

export type DialectName = 'sqlite' | 'postgres';
export type VersionScope = 'all' | 'identity';

export interface Storage {
  db: Kysely<Database>;
  dialect: DialectName;
  /**
   * A value that changes whenever any committed data may have changed, in this process or another;
   * null where none exists, and then nothing may be cached across requests. With `identity`, only
   * writes to companies, users and api keys count in this process (on SQLite any commit by another
   * process still does). PostgreSQL has only the identity version (pg-identity-version.ts).
   */
  dataVersion(scope?: VersionScope): string | null;
  /**
   * The next dataVersion() samples other processes' commits anew. A sample is otherwise reused
   * until the event loop's next turn, so one request checks SQLite once, not once per cached read.
   */
  resample(): void;
  /**
   * A request read from a socket begins. The first one in a turn of the event loop resamples; the
   * rest of that turn share the sample. They were read from connections that were ready when the
   * turn's poll began, so a client could only have sent them before then, unless it pipelines
   * (sends a request while an earlier one on the same connection is still unanswered), and every
   * commit it saw acknowledged before sending is in the sample. Requests from a pipelining client,
   * or read when more than 1,024 sockets were ready at once (libuv then polls again within the
   * turn), may miss another process's commit made within the same turn (a millisecond or so).
   */
  requestArrived(): void;
  /** Closes every connection; safe to call twice. */
  close(): Promise<void>;
}

// int8 (bigint) columns hold microsecond times and counts, all well inside 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface OpenOptions {
  databaseUrl: string | null;
  /** SQLite file; `:memory:` for a throwaway database. */
  sqliteFile?: string;
  /** PostgreSQL schema to use (created if missing); tests isolate themselves this way. */
  pgSchema?: string;
  pgPoolSize?: number;
  /** PostgreSQL: run queries with parameters as named prepared statements (off behind a pooler that cannot keep them). */
  pgPreparedStatements?: boolean;
  /**
   * SQLite durability. NORMAL (default) in WAL mode survives any process crash; only a power loss
   * or OS crash can drop the last commits. FULL fsyncs every commit and survives those too.
   */
  sqliteSynchronous?: 'NORMAL' | 'FULL';
  /** SQLite file: checkpoint the write-ahead log from a worker thread rather than inside commits. */
  sqliteBackgroundCheckpoint?: boolean;
}

function connect(file: string, synchronous: 'NORMAL' | 'FULL') {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${synchronous}`);
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  return { sqlite, statements: withStatementCache(sqlite) };
}

export function openSqlite(file: string, synchronous: 'NORMAL' | 'FULL' = 'NORMAL', backgroundCheckpoint = false): Storage {
  const onDisk = file !== ':memory:';
  if (onDisk) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
    // Created here, not by SQLite (0644 less the umask): its -wal and -shm files take the database's mode.
    fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  }
  // A file gets a reading and a writing connection (see sqlite-driver.ts); memory only one.
  const writer = connect(file, synchronous);
  const reader = onDisk ? connect(file, synchronous) : writer;
  // Query plans need the tables' statistics: without them SQLite walks 100,000 orders of a company
  // in date order to find one external id (docs/performance.md). At open it analyses what changed
  // much since the last time, on a bounded sample; the checkpoint thread repeats it while running.
  writer.sqlite.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
  writer.sqlite.pragma('optimize = 0x10002');
  let checkpointer: WalCheckpointer | null = null;
  if (onDisk && backgroundCheckpoint) {
    for (const c of new Set([reader, writer])) c.sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
    checkpointer = startWalCheckpointer(file);
  }
  const driver = new SqliteDriver(reader, writer);
  const db = new Kysely<Database>({ dialect: sqliteDialect(driver) });
  // PRAGMA data_version moves when another connection commits. Sampled on the writing connection,
  // it counts other processes (the reading connection never writes); this process's own commits
  // are counted by the driver.
  const otherCommits = writer.sqlite.prepare('PRAGMA data_version').pluck();
  let sampled: number | null = null;
  const forget = () => {
    sampled = null;
  };
  const otherCommitsNow = (): number => {
    if (sampled === null) {
      sampled = otherCommits.get() as number;
      setImmediate(forget);
    }
    return sampled;
  };
  let closed = false;
  let turnSampled = false;
  const endTurn = () => {
    turnSampled = false;
  };
  return {
    db,
    dialect: 'sqlite',
    dataVersion: (scope = 'all') => (closed ? null : `${driver.committedWrites(scope === 'identity')}.${otherCommitsNow()}`),
    resample: forget,
    requestArrived() {
      if (turnSampled) return;
      turnSampled = true;
      forget();
      setImmediate(endTurn);
    },
    async close() {
      if (closed) return;
      closed = true;
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

// Named statements, by SQL text, shared by every connection of the process: a connection prepares
// each on first use and keeps it while it lives (node-pg). The queries' shapes are few; the bound
// only keeps an unforeseen source of distinct SQL from filling the server's memory.
const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 2000;

/**
 * Queries with parameters run as named prepared statements, so PostgreSQL parses and plans each
 * once per connection instead of on every call (docs/performance.md). Queries without parameters
 * (BEGIN, COMMIT, DDL, several statements in one text) keep the simple protocol.
 */
function preparedByName(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((text: unknown, values?: unknown) => {
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0) return query(text, values);
    let name = statementNames.get(text);
    if (name === undefined) {
      if (statementNames.size >= MAX_NAMED_STATEMENTS) return query(text, values);
      name = `casa_${statementNames.size}`;
      statementNames.set(text, name);
    }
    return query({ name, text, values });
  }) as typeof client.query;
}

export async function openPostgres(url: string, schema?: string, poolSize = 10, preparedStatements = true): Promise<Storage> {
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      await admin.end();
    }
  }
  const searchPath = schema ? { options: `-c search_path="${schema}"` } : {};
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000, ...searchPath });
  // A client losing its connection (database restart, network cut) must not crash the process:
  // idle ones report on the pool, checked-out ones on themselves. The query in hand fails (a 503),
  // the client is no longer queryable and the pool drops it when it is released.
  pool.on('error', () => {});
  const identity = identityVersion({
    connectionString: url,
    // Named, so an operator can tell it in pg_stat_activity: one long-lived connection per process.
    application_name: `casa-integrate identity ${schema ?? ''}`.trim().slice(0, 63),
    ...searchPath,
  });
  pool.on('connect', (client) => {
    client.on('error', () => {});
    if (preparedStatements) preparedByName(client);
    trackIdentityWrites(client, identity.bump);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    dialect: 'postgres',
    dataVersion: (scope = 'all') => (scope === 'identity' ? identity.current() : null),
    resample: () => {},
    requestArrived: () => {},
    async close() {
      if (closed) return;
      closed = true;
      await identity.close();
      await db.destroy();
    },
  };
}

export async function openStorage(options: OpenOptions): Promise<Storage> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.pgSchema, options.pgPoolSize, options.pgPreparedStatements);
  return openSqlite(options.sqliteFile ?? ':memory:', options.sqliteSynchronous, options.sqliteBackgroundCheckpoint);
}

/** The database the configuration names: PostgreSQL at DATABASE_URL, or the data directory's SQLite file. */
export async function openConfiguredStorage(config: Config): Promise<Storage> {
  return openStorage({
    databaseUrl: config.databaseUrl,
    pgPreparedStatements: config.pgPreparedStatements,
    sqliteFile: path.join(config.dataDir, 'casa.sqlite'),
    sqliteSynchronous: config.sqliteSynchronous,
    sqliteBackgroundCheckpoint: config.sqliteBackgroundCheckpoint,
  });
}
