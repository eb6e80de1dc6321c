import type { Migration } from './helpers.js';

// The operator console: its sessions, and indexes for listing orders across companies (newest
// first, by status, by external id or owner) so its table stays fast with many orders.
export const consoleTables: Migration = {
  async up(db) {
    await db.schema
      .createTable('console_sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('signed_in_with', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('console_sessions_expires').on('console_sessions').column('expires_at').execute();
    await db.schema.createIndex('orders_created').on('orders').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('orders_status_created').on('orders').columns(['status', 'created_at', 'id']).execute();
    await db.schema.createIndex('orders_external').on('orders').column('external_id').execute();
    await db.schema.createIndex('orders_owner').on('orders').column('owner_email').execute();
  },
};
