// `POST /admin/v1/reset`: wipes every row of every table, for test isolation. Server settings
// (the operator key's hash, server secrets, the demo-seeded mark) and migration state stay.
import { sql } from 'kysely';
import type { ServiceDeps } from '../deps.js';

const KEPT_TABLES = new Set(['server_settings', 'kysely_migration', 'kysely_migration_lock']);

export function dataResetServiceFactory({ db, dialect }: Pick<ServiceDeps, 'db' | 'dialect'>) {
  /** The tables of this database (this schema on PostgreSQL), without the kept ones. */
  async function dataTables(): Promise<string[]> {
    const rows =
      dialect === 'postgres'
        ? (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)).rows
        : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)).rows;
    return rows.map((r) => r.name).filter((name) => !KEPT_TABLES.has(name)).sort();
  }

  return {
    /** Deletes all data in one transaction; answers the tables it emptied. */
    async wipeAll(): Promise<string[]> {
      const tables = await dataTables();
      if (tables.length === 0) return tables;
      if (dialect === 'postgres') {
        await sql`truncate table ${sql.join(tables.map((t) => sql.table(t)))} restart identity`.execute(db);
      } else {
        await db.transaction().execute(async (tx) => {
          for (const t of tables) await sql`delete from ${sql.table(t)}`.execute(tx);
        });
      }
      return tables;
    },
  };
}

export type DataResetService = ReturnType<typeof dataResetServiceFactory>;
