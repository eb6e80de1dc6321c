import type { Migration } from './helpers.js';
import { serialPrimaryKey } from './helpers.js';

export const foundation: Migration = {
  async up(db, dialect) {
    await db.schema
      .createTable('companies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('country', 'text')
      .addColumn('customer_type', 'text', (c) => c.notNull())
      .addColumn('main_office_id', 'text', (c) => c.notNull())
      .addColumn('allow_submission_without_draft', 'integer', (c) => c.notNull())
      .addColumn('allow_post_scan_upgrades', 'integer', (c) => c.notNull())
      .addColumn('webhook_urls', 'text', (c) => c.notNull())
      .addColumn('webhook_triggers', 'text', (c) => c.notNull())
      .addColumn('default_package_type', 'text', (c) => c.notNull())
      .addColumn('default_add_ons', 'text', (c) => c.notNull())
      .addColumn('merged_into', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('companies_created').on('companies').columns(['created_at', 'id']).execute();

    await db.schema
      .createTable('offices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('offices_company_name', ['company_id', 'name_key'])
      .execute();
    await db.schema.createIndex('offices_company_created').on('offices').columns(['company_id', 'created_at', 'id']).execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull())
      .addColumn('office_id', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text')
      .addColumn('surname', 'text')
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('email_confirmed', 'integer', (c) => c.notNull())
      .addColumn('password_hash', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('users_company_created').on('users').columns(['company_id', 'created_at', 'id']).execute();

    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('api_keys_company').on('api_keys').columns(['company_id', 'created_at']).execute();

    await db.schema
      .createTable('user_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('user_tokens_user').on('user_tokens').columns(['user_id', 'kind']).execute();

    await db.schema
      .createTable('emails')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text')
      .addColumn('to_address', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('text_body', 'text', (c) => c.notNull())
      .addColumn('html_body', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('sent_at', 'bigint')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .execute();
    await db.schema.createIndex('emails_created').on('emails').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('emails_unsent').on('emails').columns(['sent_at', 'created_at']).execute();

    await db.schema
      .createTable('merge_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull())
      .addColumn('target_company_id', 'text', (c) => c.notNull())
      .addColumn('target_email', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('approved_at', 'bigint')
      .execute();

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('company_id', 'text', (c) => c.notNull())
      .addColumn('idem_key', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('response_body', 'text')
      .addColumn('content_type', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['company_id', 'idem_key'])
      .execute();
    await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();

    await db.schema
      .createTable('server_settings')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    await serialPrimaryKey(db.schema.createTable('jobs'), 'id', dialect)
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('ref_id', 'text', (c) => c.notNull())
      .addColumn('run_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_until', 'bigint')
      .addColumn('lease_owner', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('jobs_due').on('jobs').columns(['kind', 'run_at']).execute();
    await db.schema.createIndex('jobs_ref').on('jobs').columns(['kind', 'ref_id']).execute();
  },
};
