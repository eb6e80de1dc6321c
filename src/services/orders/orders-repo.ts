// Order queries. Every customer-facing query is scoped by company id; the operator and the
// production worker address orders by id alone (they act across companies).
import { sql } from 'kysely';
import type { Db } from '../../db/dialect.js';
import type { DialectName } from '../../db/database.js';
import type { OrderRow, OrderUpdate } from '../../db/tables/orders.js';
import type { Page } from '../../domain/pagination.js';
import { insertRow } from '../../db/insert-row.js';
import { leaseQueue, type Backlog } from '../../db/lease-queue.js';

/** Production's work queue: an order is due from `due_at` unless the operator holds it. */
const productionQueue = leaseQueue({
  table: 'orders',
  key: 'id',
  due: (eb, nowUs) => eb.and([eb('due_at', '<=', nowUs), eb('held', '=', 0)]),
  dueAt: 'due_at',
});

export interface OrderFilter {
  statuses?: string[];
  externalId?: string;
  ownerEmail?: string;
  createdAfterUs?: number;
  createdBeforeUs?: number;
}

export const ordersRepo = {
  async insert(db: Db, row: OrderRow): Promise<void> {
    await insertRow(db, 'orders', row);
  },

  async find(db: Db, companyId: string, id: string): Promise<OrderRow | undefined> {
    return db.selectFrom('orders').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
  },

  async findAny(db: Db, id: string): Promise<OrderRow | undefined> {
    return db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /**
   * Locks the order row for the rest of the transaction and reads it. A no-op UPDATE is the one
   * statement that locks in both dialects: a row lock on PostgreSQL, the write lock on SQLite
   * (so a read-then-write transaction never has to upgrade its lock).
   */
  async lock(db: Db, id: string, companyId?: string): Promise<OrderRow | undefined> {
    let q = db.updateTable('orders').set({ updated_at: sql`updated_at` }).where('id', '=', id);
    if (companyId !== undefined) q = q.where('company_id', '=', companyId);
    return q.returningAll().executeTakeFirst();
  },

  async update(db: Db, id: string, values: OrderUpdate): Promise<OrderRow> {
    return db.updateTable('orders').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },

  async delete(db: Db, companyId: string, id: string): Promise<void> {
    await db.deleteFrom('orders').where('company_id', '=', companyId).where('id', '=', id).execute();
  },

  /**
   * A page of orders, newest first. The ids of the page are found on the covering index first
   * (cheap even at a deep offset), then only those rows are read.
   */
  async list(db: Db, companyId: string, filter: OrderFilter, page: Page): Promise<OrderRow[]> {
    let ids = db.selectFrom('orders').select('id').where('company_id', '=', companyId);
    if (filter.statuses?.length) ids = ids.where('status', 'in', filter.statuses);
    if (filter.externalId !== undefined) ids = ids.where('external_id', '=', filter.externalId);
    if (filter.ownerEmail !== undefined) ids = ids.where('owner_email', '=', filter.ownerEmail.toLowerCase());
    if (filter.createdAfterUs !== undefined) ids = ids.where('created_at', '>=', filter.createdAfterUs);
    if (filter.createdBeforeUs !== undefined) ids = ids.where('created_at', '<', filter.createdBeforeUs);
    ids = ids.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).offset(page.offset);
    const rows = await db.selectFrom('orders').selectAll().where('id', 'in', ids).execute();
    return rows.sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  },

  async findUserByEmail(db: Db, companyId: string, email: string): Promise<{ id: string; email: string } | undefined> {
    return db.selectFrom('users').select(['id', 'email']).where('company_id', '=', companyId).where('email', '=', email.toLowerCase()).executeTakeFirst();
  },

  async companyDefaults(db: Db, companyId: string): Promise<{ packageType: string; addOns: string[] } | undefined> {
    const row = await db.selectFrom('companies').select(['default_package_type', 'default_add_ons']).where('id', '=', companyId).executeTakeFirst();
    return row ? { packageType: row.default_package_type, addOns: JSON.parse(row.default_add_ons) as string[] } : undefined;
  },

  async findByGo2scanHash(db: Db, tokenHash: string): Promise<OrderRow | undefined> {
    return db.selectFrom('orders').selectAll().where('go2scan_token_hash', '=', tokenHash).executeTakeFirst();
  },

  /**
   * Takes up to `limit` orders whose production is due, not held and not leased, for `leaseMs`
   * (the lease queue: SKIP LOCKED on PostgreSQL, so concurrent workers take disjoint sets).
   */
  async claimDue(db: Db, dialect: DialectName, nowUs: number, limit: number, leaseMs: number, owner: string): Promise<OrderRow[]> {
    return productionQueue.claim(db, dialect, { nowUs, limit, leaseMs, owner });
  },

  /** Extends to `untilUs` the production leases `owner` still holds among `ids`. */
  async renewLeases(db: Db, dialect: DialectName, ids: string[], owner: string, untilUs: number): Promise<number> {
    return productionQueue.renew(db, dialect, ids, owner, untilUs);
  },

  /** Ends `owner`'s production lease, writing `values` with it; false when the lease is no longer the owner's. */
  async releaseLease(db: Db, id: string, owner: string, values?: OrderUpdate): Promise<boolean> {
    return productionQueue.release(db, id, owner, values);
  },

  /** Orders whose production is due and not held, and the earliest due time among them. */
  async productionBacklog(db: Db, nowUs: number): Promise<Backlog> {
    return productionQueue.backlog(db, nowUs);
  },

  async insertScanFile(db: Db, row: { id: string; order_id: string; storage_key: string; original_name: string; content_type: string; size: number; created_at: number }): Promise<void> {
    await db.insertInto('scan_files').values(row).execute();
  },
};
