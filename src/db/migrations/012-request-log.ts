import { serialPrimaryKey, type Migration } from './helpers.js';

// The request log: every customer API request per company, newest first by seq. One index only
// (company, seq): each index is written on every logged request. An entry is found by id within
// its company's rows (at most the row cap); the worker's retention pass scans the table once a minute.
// request_body and response_body name a row of request_log_bodies by its hash.
export const requestLog: Migration = {
  async up(db, dialect) {
    await serialPrimaryKey(db.schema.createTable('request_log'), 'seq', dialect)
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('company_id', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('query', 'text')
      .addColumn('operation_id', 'text')
      .addColumn('status', 'integer')
      .addColumn('duration_ms', 'double precision', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text')
      .addColumn('injected_rule', 'text')
      .addColumn('request_body', 'text')
      .addColumn('request_truncated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('response_body', 'text')
      .addColumn('response_truncated', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    // Bodies by content: a cached list page answered 10,000 times is stored once. `last_used_at` is
    // moved on each batch that names the body, so the retention pass may delete a body once its
    // last use is past the retention period (no entry kept can name it then).
    await db.schema
      .createTable('request_log_bodies')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('request_log_company').on('request_log').columns(['company_id', 'seq']).execute();
  },
};
