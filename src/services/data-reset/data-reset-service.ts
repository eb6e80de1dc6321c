// `POST /admin/v1/reset`: wipes every row of every table, for test isolation. Server settings
// (the operator key's hash, server secrets, the demo-seeded mark) and migration state stay.
import { sql } from 'kysely';
import type { ServiceDeps } from '../deps.js';

const KEPT_TABLES = new Set(['server_settings', 'kysely_migration', 'kysely_migration_lock']);

export function dataResetServiceFactory({ db, dialect }: Pick<ServiceDeps, 'db' | 'dialect'>) {
  async function dataTables(): Promise<string[]> {
    const tables = await db.introspection.getTables();
    let schema: string | undefined;
    if (dialect === 'postgres') {
      const row = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
      schema = row.rows[0]?.schema;
    }
    return tables
      .filter((t) => !t.isView && !KEPT_TABLES.has(t.name) && (schema === undefined || t.schema === schema))
      .map((t) => t.name)
      .sort();
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
