// The console's own reads across companies: the orders table with filters and a total, and company
// names. (Everything else the console shows comes through the area services.)
import type { Db } from '../../db/dialect.js';
import type { OrderRow } from '../../db/tables/orders.js';
import type { Page } from '../../domain/pagination.js';

export interface ConsoleOrderFilter {
  companyId?: string;
  status?: string;
  externalId?: string;
  ownerEmail?: string;
  createdFromUs?: number;
  createdToUs?: number;
}

export type ConsoleOrderRow = Pick<OrderRow, 'id' | 'company_id' | 'status' | 'held' | 'external_id' | 'owner_email' | 'full_address' | 'created_at' | 'updated_at' | 'first_delivered_at'> & {
  company_name: string | null;
};

function filtered(db: Db, f: ConsoleOrderFilter) {
  let q = db.selectFrom('orders');
  if (f.companyId !== undefined) q = q.where('company_id', '=', f.companyId);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.externalId !== undefined) q = q.where('external_id', '=', f.externalId);
  if (f.ownerEmail !== undefined) q = q.where('owner_email', '=', f.ownerEmail.toLowerCase());
  if (f.createdFromUs !== undefined) q = q.where('created_at', '>=', f.createdFromUs);
  if (f.createdToUs !== undefined) q = q.where('created_at', '<', f.createdToUs);
  return q;
}

export const consoleRepo = {
  /**
   * One page of orders of any company, newest first: the page's ids are found on an index first
   * (cheap at a deep offset), then only those rows are read with their company's name.
   */
  async listOrders(db: Db, f: ConsoleOrderFilter, page: Page): Promise<ConsoleOrderRow[]> {
    const ids = filtered(db, f).select('id').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).offset(page.offset);
    const rows = await db
      .selectFrom('orders as o')
      .leftJoin('companies as c', 'c.id', 'o.company_id')
      .select(['o.id', 'o.company_id', 'o.status', 'o.held', 'o.external_id', 'o.owner_email', 'o.full_address', 'o.created_at', 'o.updated_at', 'o.first_delivered_at', 'c.name as company_name'])
      .where('o.id', 'in', ids)
      .execute();
    return rows
      .map((r) => ({ ...r, created_at: Number(r.created_at), updated_at: Number(r.updated_at), first_delivered_at: r.first_delivered_at === null ? null : Number(r.first_delivered_at) }))
      .sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  },

  async countOrders(db: Db, f: ConsoleOrderFilter): Promise<number> {
    const row = await filtered(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async companyNames(db: Db, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('companies').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  },
};
