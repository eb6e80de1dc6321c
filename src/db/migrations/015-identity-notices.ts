import { sql } from 'kysely';
import type { Migration } from './helpers.js';

// PostgreSQL: a write to an identity table notifies every process at commit, so each may keep
// api-key and user lookups until then (src/db/pg-identity-version.ts). The notice names the schema.
const TABLES = ['companies', 'users', 'api_keys', 'sandbox_settings'];

export const identityNotices: Migration = {
  async up(db, dialect) {
    if (dialect !== 'postgres') return;
    await sql`
      CREATE OR REPLACE FUNCTION casa_identity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('casa_identity', TG_TABLE_SCHEMA);
        RETURN NULL;
      END $$`.execute(db);
    for (const table of TABLES)
      await sql`
        CREATE TRIGGER identity_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${sql.table(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION casa_identity_changed()`.execute(db);
  },
};
