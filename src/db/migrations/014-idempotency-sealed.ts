import type { Migration } from './helpers.js';

// Kept answers that hold a secret (a GoToScan link) are sealed with a key derived from the caller's
// API key (idempotency-service.ts); `sealed` says which rows are. Rows kept before hold none.
export const idempotencySealed: Migration = {
  async up(db) {
    await db.schema
      .alterTable('idempotency_keys')
      .addColumn('sealed', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
