// The orders and scan_files tables: every query on them is built here, and an order row's JSON
// columns are decoded here only (`decodeOrder`). `forCompany(id)` is what a company's api key may
// reach; `system` serves the operator, the production worker, the console and the metrics, which
// address orders across companies.
import { sql } from 'kysely';
import type { Db } from '../../db/dialect.js';
import type { DialectName } from '../../db/database.js';
import type { Order, OrderChanges, OrderRow, OrderUpdate, ScanFileRow } from '../../db/tables/orders.js';
import type { Page } from '../../domain/pagination.js';
import { insertRow } from '../../db/insert-row.js';
import { leaseQueue, type Backlog } from '../../db/lease-queue.js';
import { moveCompanyRows } from '../../db/company-rows.js';
import { allRows, compiledOnce, firstRow } from '../../db/compiled-once.js';

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

/** The console's filter: any company, or one. */
export interface OrderSearch {
  companyId?: string;
  status?: string;
  externalId?: string;
  ownerEmail?: string;
  createdFromUs?: number;
  createdToUs?: number;
}

const SUMMARY_COLUMNS = [
  'id',
  'company_id',
  'status',
  'held',
  'external_id',
  'owner_email',
  'full_address',
  'created_at',
  'updated_at',
  'first_delivered_at',
] as const;
/** An order as the console's table lists it. */
export type OrderSummary = Pick<Order, (typeof SUMMARY_COLUMNS)[number]>;

function list<T>(text: string): T[] {
  return text === '[]' ? [] : (JSON.parse(text) as T[]);
}

function parsed<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

function json(value: unknown): string | null {
  return value === null ? null : JSON.stringify(value);
}

/** A stored order row with its JSON columns parsed. */
export function decodeOrder(row: OrderRow): Order {
  return {
    ...row,
    style_template: parsed(row.style_template),
    add_ons: list(row.add_ons),
    source: parsed(row.source),
    order_preferences: parsed(row.order_preferences),
    go2scan_customer: parsed(row.go2scan_customer),
    delivered_products: list(row.delivered_products),
    pending_products: row.pending_products === null ? null : list(row.pending_products),
  };
}

function encodeOrder(order: Omit<Order, 'company_id'>, companyId: string): OrderRow {
  return {
    ...order,
    company_id: companyId,
    style_template: json(order.style_template),
    add_ons: JSON.stringify(order.add_ons),
    source: json(order.source),
    order_preferences: json(order.order_preferences),
    go2scan_customer: json(order.go2scan_customer),
    delivered_products: JSON.stringify(order.delivered_products),
    pending_products: json(order.pending_products),
  };
}

function encodeChanges(changes: OrderChanges): OrderUpdate {
  const { style_template, add_ons, source, order_preferences, go2scan_customer, delivered_products, pending_products, ...plain } = changes;
  const set: OrderUpdate = plain;
  if (style_template !== undefined) set.style_template = json(style_template);
  if (add_ons !== undefined) set.add_ons = JSON.stringify(add_ons);
  if (source !== undefined) set.source = json(source);
  if (order_preferences !== undefined) set.order_preferences = json(order_preferences);
  if (go2scan_customer !== undefined) set.go2scan_customer = json(go2scan_customer);
  if (delivered_products !== undefined) set.delivered_products = JSON.stringify(delivered_products);
  if (pending_products !== undefined) set.pending_products = json(pending_products);
  return set;
}

const byNewest = (a: { created_at: number; id: string }, b: { created_at: number; id: string }) =>
  b.created_at - a.created_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * Locks the order row for the rest of the transaction and reads it. A no-op UPDATE is the one
 * statement that locks in both dialects: a row lock on PostgreSQL, the write lock on SQLite
 * (so a read-then-write transaction never has to upgrade its lock).
 */
function lockQuery(db: Db, id: string) {
  return db
    .updateTable('orders')
    .set({ updated_at: sql`updated_at` })
    .where('id', '=', id);
}

function searched(db: Db, f: OrderSearch) {
  let q = db.selectFrom('orders');
  if (f.companyId !== undefined) q = q.where('company_id', '=', f.companyId);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.externalId !== undefined) q = q.where('external_id', '=', f.externalId);
  if (f.ownerEmail !== undefined) q = q.where('owner_email', '=', f.ownerEmail.toLowerCase());
  if (f.createdFromUs !== undefined) q = q.where('created_at', '>=', f.createdFromUs);
  if (f.createdToUs !== undefined) q = q.where('created_at', '<', f.createdToUs);
  return q;
}

export const ordersRepo = {
  /** What a company's api key may reach: every query carries the company id. */
  forCompany(companyId: string) {
    return {
      /** A company merge: every order of this company joins `toCompanyId`; answers how many moved. */
      async moveAllTo(db: Db, toCompanyId: string): Promise<number> {
        return moveCompanyRows(db, 'orders', companyId, toCompanyId);
      },

      /** Inserts the order; its company is the scope's. */
      async insert(db: Db, order: Omit<Order, 'company_id'>): Promise<void> {
        await insertRow(db, 'orders', encodeOrder(order, companyId));
      },

      async find(db: Db, id: string): Promise<Order | undefined> {
        const query = compiledOnce(db, 'order by id', [companyId, id], ([company, order]) =>
          db.selectFrom('orders').selectAll().where('company_id', '=', company!).where('id', '=', order!),
        );
        const row = await firstRow(db, query);
        return row && decodeOrder(row);
      },

      /** See `lockQuery`. */
      async lock(db: Db, id: string): Promise<Order | undefined> {
        const query = compiledOnce(db, 'order lock', [id, companyId], ([order, company]) =>
          lockQuery(db, order!).where('company_id', '=', company!).returningAll(),
        );
        const row = await firstRow(db, query);
        return row && decodeOrder(row);
      },

      async update(db: Db, id: string, changes: OrderChanges): Promise<Order> {
        const set = Object.entries(encodeChanges(changes)).filter(([, value]) => value !== undefined);
        const values = [...set.map(([, value]) => value), companyId, id];
        const query = compiledOnce(db, `order update ${set.map(([column]) => column).join(',')}`, values, (slots) =>
          db
            .updateTable('orders')
            .set(Object.fromEntries(set.map(([column], n) => [column, slots[n]])))
            .where('company_id', '=', slots[set.length]!)
            .where('id', '=', slots[set.length + 1]!)
            .returningAll(),
        );
        const row = await firstRow(db, query);
        if (!row) throw new Error(`order ${id} of company ${companyId} to update was not found`);
        return decodeOrder(row);
      },

      async delete(db: Db, id: string): Promise<void> {
        await db.deleteFrom('orders').where('company_id', '=', companyId).where('id', '=', id).execute();
      },

      /**
       * A page of orders, newest first. The ids of the page are found on the covering index first
       * (cheap even at a deep offset), then only those rows are read.
       */
      async list(db: Db, filter: OrderFilter, page: Page): Promise<Order[]> {
        // The filters given, in the order they are applied; each status once, so the shapes stay
        // few (one per combination and count of statuses), whatever the request repeats.
        const conditions: [column: string, op: '=' | 'in' | '>=' | '<', values: unknown[]][] = [];
        if (filter.statuses?.length) conditions.push(['status', 'in', [...new Set(filter.statuses)]]);
        if (filter.externalId !== undefined) conditions.push(['external_id', '=', [filter.externalId]]);
        if (filter.ownerEmail !== undefined) conditions.push(['owner_email', '=', [filter.ownerEmail.toLowerCase()]]);
        if (filter.createdAfterUs !== undefined) conditions.push(['created_at', '>=', [filter.createdAfterUs]]);
        if (filter.createdBeforeUs !== undefined) conditions.push(['created_at', '<', [filter.createdBeforeUs]]);
        const shape = `order page ${conditions.map(([column, op, v]) => `${column} ${op} ${v.length}`).join(', ')}`;
        const values = [companyId, page.limit + 1, page.offset, ...conditions.flatMap(([, , v]) => v)];
        const query = compiledOnce(db, shape, values, ([company, limit, offset, ...rest]) => {
          let ids = db.selectFrom('orders').select('id').where('company_id', '=', company!);
          let at = 0;
          for (const [column, op, v] of conditions) {
            const taken = rest.slice(at, (at += v.length));
            ids = ids.where(column as 'status', op, (op === 'in' ? taken : taken[0]) as never);
          }
          ids = ids
            .orderBy('created_at', 'desc')
            .orderBy('id', 'desc')
            .limit(limit as never)
            .offset(offset as never);
          return db.selectFrom('orders').selectAll().where('id', 'in', ids);
        });
        const rows = await allRows(db, query);
        return rows.sort(byNewest).map(decodeOrder);
      },

      /** The sandbox's "deliver everything due now": production of every order waiting (and not held) is due now; answers how many. */
      async makeProductionDueNow(db: Db, now: number): Promise<number> {
        const res = await db
          .updateTable('orders')
          .set({ due_at: now })
          .where('company_id', '=', companyId)
          .where('due_at', '>', now)
          .where('held', '=', 0)
          .executeTakeFirst();
        return Number(res.numUpdatedRows);
      },

      /** The user's orders stay with the company, with no owner. */
      async detachOwner(db: Db, user: { id: string; email: string }): Promise<void> {
        await db
          .updateTable('orders')
          .set({ owner_user_id: null, owner_email: null })
          .where('company_id', '=', companyId)
          .where((eb) => eb.or([eb('owner_user_id', '=', user.id), eb('owner_email', '=', user.email)]))
          .execute();
      },
    };
  },

  /** The operator, the production worker, the console and the metrics: across companies. */
  system: {
    async findById(db: Db, id: string): Promise<Order | undefined> {
      const row = await db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
      return row && decodeOrder(row);
    },

    /** The order behind a GoToScan link; the token hash alone addresses it. */
    async findByGo2scanHash(db: Db, tokenHash: string): Promise<Order | undefined> {
      const row = await db.selectFrom('orders').selectAll().where('go2scan_token_hash', '=', tokenHash).executeTakeFirst();
      return row && decodeOrder(row);
    },

    /** See `lockQuery`. */
    async lock(db: Db, id: string): Promise<Order | undefined> {
      const row = await lockQuery(db, id).returningAll().executeTakeFirst();
      return row && decodeOrder(row);
    },

    async update(db: Db, id: string, changes: OrderChanges): Promise<Order> {
      return decodeOrder(
        await db.updateTable('orders').set(encodeChanges(changes)).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),
      );
    },

    /** How many orders are in each of `statuses` (statuses with none are left out). */
    async countByStatus(db: Db, statuses: readonly string[]): Promise<{ status: string; n: number }[]> {
      const rows = await db
        .selectFrom('orders')
        .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
        .where('status', 'in', statuses)
        .groupBy('status')
        .execute();
      return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
    },

    /** The earliest due time of the orders production has to do (any status), or null. */
    async earliestDue(db: Db): Promise<number | null> {
      // The partial due_at index holds exactly these orders, however many others there are.
      const row = await db
        .selectFrom('orders')
        .select((eb) => eb.fn.min('due_at').as('due'))
        .where('due_at', 'is not', null)
        .where('held', '=', 0)
        .executeTakeFirst();
      return row?.due === null || row?.due === undefined ? null : Number(row.due);
    },

    /**
     * One page of orders of any company, newest first (one more than the page, to tell whether
     * another follows): the page's ids are found on an index first (cheap at a deep offset), then
     * only those rows are read.
     */
    async search(db: Db, f: OrderSearch, page: Page): Promise<OrderSummary[]> {
      const ids = searched(db, f)
        .select('id')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.limit + 1)
        .offset(page.offset);
      const rows = await db.selectFrom('orders').select(SUMMARY_COLUMNS).where('id', 'in', ids).execute();
      return rows
        .map((r) => ({
          ...r,
          created_at: Number(r.created_at),
          updated_at: Number(r.updated_at),
          first_delivered_at: r.first_delivered_at === null ? null : Number(r.first_delivered_at),
        }))
        .sort(byNewest);
    },

    async count(db: Db, f: OrderSearch): Promise<number> {
      const row = await searched(db, f)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /**
     * Takes up to `limit` orders whose production is due, not held and not leased, for `leaseMs`
     * (the lease queue: SKIP LOCKED on PostgreSQL, so concurrent workers take disjoint sets).
     */
    async claimDue(db: Db, dialect: DialectName, nowUs: number, limit: number, leaseMs: number, owner: string): Promise<Order[]> {
      return (await productionQueue.claim(db, dialect, { nowUs, limit, leaseMs, owner })).map(decodeOrder);
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

    /** A scan file of an order reached through its GoToScan link. */
    async insertScanFile(db: Db, row: ScanFileRow): Promise<void> {
      await db.insertInto('scan_files').values(row).execute();
    },

    /** Which of `keys` a scan file row names (the orphan sweep keeps those). */
    async scanKeysNamed(db: Db, keys: string[]): Promise<string[]> {
      if (keys.length === 0) return [];
      const rows = await db.selectFrom('scan_files').select('storage_key').where('storage_key', 'in', keys).execute();
      return rows.map((r) => r.storage_key);
    },
  },
};
