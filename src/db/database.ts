// Opens the database: embedded SQLite by default, PostgreSQL when a URL is given.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Storage {
  db: Kysely<Database>;
  dialect: DialectName;
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
  /**
   * SQLite durability. NORMAL (default) in WAL mode survives any process crash; only a power loss
   * or OS crash can drop the last commits. FULL fsyncs every commit and survives those too.
   */
  sqliteSynchronous?: 'NORMAL' | 'FULL';
}

export function openSqlite(file: string, synchronous: 'NORMAL' | 'FULL' = 'NORMAL'): Storage {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${synchronous}`);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  let closed = false;
  return {
    db,
    dialect: 'sqlite',
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

export async function openPostgres(url: string, schema?: string, poolSize = 10): Promise<Storage> {
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5000,
    ...(schema ? { options: `-c search_path="${schema}"` } : {}),
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    dialect: 'postgres',
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

export async function openStorage(options: OpenOptions): Promise<Storage> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.pgSchema, options.pgPoolSize);
  return openSqlite(options.sqliteFile ?? ':memory:', options.sqliteSynchronous);
}
