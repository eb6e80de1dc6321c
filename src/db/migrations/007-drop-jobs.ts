import type { Migration } from './helpers.js';

// The generic jobs table was never worked: production leases orders and webhook dispatch leases
// deliveries, each on its own table through the one lease queue (src/db/lease-queue.ts).
export const dropJobs: Migration = {
  async up(db) {
    await db.schema.dropTable('jobs').ifExists().execute();
  },
};
