import type { Migration } from './helpers.js';

// Sandbox controls: one settings document per company that has set any.
export const sandbox: Migration = {
  async up(db) {
    await db.schema
      .createTable('sandbox_settings')
      .addColumn('company_id', 'text', (c) => c.primaryKey())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
