// Whole-table work for the reset: which tables the database holds, and emptying them.
import { sql } from 'kysely';
import type { Db } from '../../db/dialect.js';
import type { DialectName } from '../../db/database.js';

export const dataResetRepo = {
  /** Every table of this database (this schema on PostgreSQL). */
  async tableNames(db: Db, dialect: DialectName): Promise<string[]> {
    const rows =
      dialect === 'postgres'
        ? (
            await sql<{
              name: string;
            }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
              db,
            )
          ).rows
        : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)).rows;
    return rows.map((r) => r.name);
  },

  /** Deletes every row of these tables in one transaction. */
  async empty(db: Db, dialect: DialectName, tables: string[]): Promise<void> {
    if (tables.length === 0) return;
    if (dialect === 'postgres') {
      await sql`truncate table ${sql.join(tables.map((t) => sql.table(t)))} restart identity`.execute(db);
    } else {
      await db.transaction().execute(async (tx) => {
        for (const t of tables) await sql`delete from ${sql.table(t)}`.execute(tx);
      });
    }
  },
};
