import type { Migration } from './helpers.js';
import { serialPrimaryKey } from './helpers.js';

export const orders: Migration = {
  async up(db, dialect) {
    await db.schema
      .createTable('orders')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('owner_user_id', 'text')
      .addColumn('owner_email', 'text')
      .addColumn('order_type', 'text', (c) => c.notNull())
      .addColumn('is_scan_order', 'integer', (c) => c.notNull())
      .addColumn('external_id', 'text')
      .addColumn('add_info', 'text', (c) => c.notNull())
      .addColumn('style_template', 'text')
      .addColumn('package_type', 'text', (c) => c.notNull())
      .addColumn('add_ons', 'text', (c) => c.notNull())
      .addColumn('total_scanned_area', 'double precision', (c) => c.notNull())
      .addColumn('first_delivered_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('status_changed_at', 'bigint', (c) => c.notNull())
      .addColumn('due_at', 'bigint')
      .addColumn('model_id', 'text', (c) => c.notNull())
      .addColumn('street', 'text', (c) => c.notNull())
      .addColumn('number', 'text')
      .addColumn('suite', 'text')
      .addColumn('city', 'text', (c) => c.notNull())
      .addColumn('state', 'text')
      .addColumn('postal_code', 'text')
      .addColumn('country', 'text', (c) => c.notNull())
      .addColumn('latitude', 'double precision')
      .addColumn('longitude', 'double precision')
      .addColumn('full_address', 'text', (c) => c.notNull())
      .addColumn('source', 'text')
      .addColumn('order_preferences', 'text')
      .addColumn('go2scan_token_hash', 'text', (c) => c.unique())
      .addColumn('go2scan_expires_at', 'bigint')
      .addColumn('go2scan_customer', 'text')
      .addColumn('go2scan_invitation_sent_at', 'bigint')
      .addColumn('go2scan_uploaded_at', 'bigint')
      .addColumn('delivered_products', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('pending_delivery_type', 'text')
      .execute();
    await db.schema.createIndex('orders_company_created').on('orders').columns(['company_id', 'created_at', 'id']).execute();
    await db.schema
      .createIndex('orders_company_status_created')
      .on('orders')
      .columns(['company_id', 'status', 'created_at', 'id'])
      .execute();
    await db.schema.createIndex('orders_company_external').on('orders').columns(['company_id', 'external_id']).execute();
    await db.schema.createIndex('orders_company_owner').on('orders').columns(['company_id', 'owner_email']).execute();
    await db.schema.createIndex('orders_due').on('orders').columns(['status', 'due_at']).execute();

    await serialPrimaryKey(db.schema.createTable('order_events'), 'seq', dialect)
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('company_id', 'text', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('current_status', 'text', (c) => c.notNull())
      .addColumn('previous_status', 'text')
      .addColumn('model_id', 'text', (c) => c.notNull())
      .addColumn('product_type', 'text', (c) => c.notNull())
      .addColumn('delivery_type', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('order_events_order').on('order_events').columns(['order_id', 'seq']).execute();

    await db.schema
      .createTable('change_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('company_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('product_type', 'text', (c) => c.notNull())
      .addColumn('attachment_urls', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('resolved_at', 'bigint')
      .execute();
    await db.schema.createIndex('change_requests_order').on('change_requests').columns(['order_id', 'created_at', 'id']).execute();

    await db.schema
      .createTable('scan_files')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('storage_key', 'text', (c) => c.notNull())
      .addColumn('original_name', 'text', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('scan_files_order').on('scan_files').column('order_id').execute();
  },
};
