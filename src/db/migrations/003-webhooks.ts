import type { Migration } from './helpers.js';
import { serialPrimaryKey } from './helpers.js';

export const webhooks: Migration = {
  async up(db, dialect) {
    await db.schema
      .createTable('webhook_secrets')
      .addColumn('company_id', 'text', (c) => c.primaryKey())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('previous_secret', 'text')
      .addColumn('previous_expires_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('rotated_at', 'bigint')
      .execute();

    await serialPrimaryKey(db.schema.createTable('webhook_deliveries'), 'seq', dialect)
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('event_seq', 'bigint', (c) => c.notNull())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('company_id', 'text', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempt_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_until', 'bigint')
      .addColumn('lease_owner', 'text')
      .addColumn('last_status_code', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('completed_at', 'bigint')
      .addUniqueConstraint('webhook_deliveries_event_url', ['event_id', 'url'])
      .execute();
    // The claim: due deliveries first; the ordering check looks up earlier events per order and URL.
    await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at', 'seq']).execute();
    await db.schema
      .createIndex('webhook_deliveries_order_url')
      .on('webhook_deliveries')
      .columns(['order_id', 'url', 'event_seq'])
      .execute();
    await db.schema.createIndex('webhook_deliveries_company').on('webhook_deliveries').columns(['company_id', 'status']).execute();
    await db.schema.createIndex('webhook_deliveries_created').on('webhook_deliveries').columns(['created_at', 'seq']).execute();
    await db.schema.createIndex('webhook_deliveries_completed').on('webhook_deliveries').columns(['completed_at']).execute();

    await serialPrimaryKey(db.schema.createTable('webhook_attempts'), 'seq', dialect)
      .addColumn('delivery_id', 'text', (c) => c.notNull())
      .addColumn('company_id', 'text', (c) => c.notNull())
      .addColumn('attempted_at', 'bigint', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('request_headers', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('error', 'text')
      .addColumn('latency_ms', 'double precision', (c) => c.notNull())
      .addColumn('response_excerpt', 'text')
      .execute();
    await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').columns(['delivery_id', 'seq']).execute();
    await db.schema.createIndex('webhook_attempts_time').on('webhook_attempts').columns(['attempted_at']).execute();
  },
};
