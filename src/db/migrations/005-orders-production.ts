import type { Migration } from './helpers.js';

// Production bookkeeping on orders: what the next delivery holds, and the lease a worker takes.
export const ordersProduction: Migration = {
  async up(db) {
    await db.schema.alterTable('orders').addColumn('pending_products', 'text').execute();
    await db.schema.alterTable('orders').addColumn('lease_until', 'bigint').execute();
    await db.schema.alterTable('orders').addColumn('lease_owner', 'text').execute();
    await db.schema
      .alterTable('orders')
      .addColumn('production_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('orders_due_at').on('orders').column('due_at').execute();
    await db.schema
      .createIndex('change_requests_company_order')
      .on('change_requests')
      .columns(['company_id', 'order_id', 'status'])
      .execute();
  },
};
