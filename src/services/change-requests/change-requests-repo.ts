import type { Db } from '../../db/dialect.js';
import type { ChangeRequestRow } from '../../db/tables/orders.js';
import type { Page } from '../../domain/pagination.js';

export const changeRequestsRepo = {
  async insert(db: Db, row: ChangeRequestRow): Promise<void> {
    await db.insertInto('change_requests').values(row).execute();
  },

  async list(db: Db, companyId: string, orderId: string, page: Page): Promise<ChangeRequestRow[]> {
    return db
      .selectFrom('change_requests')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('order_id', '=', orderId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit + 1)
      .offset(page.offset)
      .execute();
  },

  async find(db: Db, companyId: string, orderId: string, id: string): Promise<ChangeRequestRow | undefined> {
    return db
      .selectFrom('change_requests')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('order_id', '=', orderId)
      .where('id', '=', id)
      .executeTakeFirst();
  },

  /** Marks the order's open requests Done (the fix was delivered). */
  async resolveOpen(db: Db, companyId: string, orderId: string, at: number): Promise<number> {
    const res = await db
      .updateTable('change_requests')
      .set({ status: 'Done', resolved_at: at })
      .where('company_id', '=', companyId)
      .where('order_id', '=', orderId)
      .where('status', '=', 'Open')
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  },
};
