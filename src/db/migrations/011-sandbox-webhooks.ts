import type { Migration } from './helpers.js';

// Sandbox timing and webhook chaos on deliveries: the retry schedule a company's settings gave the
// delivery when it was queued, the chaos planned and done, and whether it still holds back later
// events of its order (a reordered delivery or a pending duplicate does not).
export const sandboxWebhooks: Migration = {
  async up(db) {
    await db.schema.alterTable('webhook_deliveries').addColumn('schedule', 'text').execute();
    await db.schema.alterTable('webhook_deliveries').addColumn('chaos', 'text').execute();
    await db.schema
      .alterTable('webhook_deliveries')
      .addColumn('holds_order', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.alterTable('webhook_attempts').addColumn('chaos', 'text').execute();
  },
};
