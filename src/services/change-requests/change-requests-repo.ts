// The change_requests table. Every request belongs to one company's order, so every query is
// made in that company's scope; `attachment_urls` is decoded here only.
import type { Db } from '../../db/dialect.js';
import type { ChangeRequest, ChangeRequestRow } from '../../db/tables/orders.js';
import type { Page } from '../../domain/pagination.js';
import { moveCompanyRows } from '../../db/company-rows.js';
import { allRows, compiledOnce } from '../../db/compiled-once.js';

function decodeChangeRequest(row: ChangeRequestRow): ChangeRequest {
  return { ...row, attachment_urls: JSON.parse(row.attachment_urls) as string[] };
}

export const changeRequestsRepo = {
  forCompany(companyId: string) {
    return {
      /** A company merge: every change request of this company joins `toCompanyId`; answers how many moved. */
      async moveAllTo(db: Db, toCompanyId: string): Promise<number> {
        return moveCompanyRows(db, 'change_requests', companyId, toCompanyId);
      },

      /** Inserts the request; its company is the scope's. */
      async insert(db: Db, request: Omit<ChangeRequest, 'company_id'>): Promise<void> {
        await db
          .insertInto('change_requests')
          .values({ ...request, company_id: companyId, attachment_urls: JSON.stringify(request.attachment_urls) })
          .execute();
      },

      async list(db: Db, orderId: string, page: Page): Promise<ChangeRequest[]> {
        const values = [companyId, orderId, page.limit + 1, page.offset];
        const query = compiledOnce(db, 'change requests page', values, ([company, order, limit, offset]) =>
          db
            .selectFrom('change_requests')
            .selectAll()
            .where('company_id', '=', company!)
            .where('order_id', '=', order!)
            .orderBy('created_at', 'desc')
            .orderBy('id', 'desc')
            .limit(limit as never)
            .offset(offset as never),
        );
        const rows = await allRows(db, query);
        return rows.map(decodeChangeRequest);
      },

      async find(db: Db, orderId: string, id: string): Promise<ChangeRequest | undefined> {
        const row = await db
          .selectFrom('change_requests')
          .selectAll()
          .where('company_id', '=', companyId)
          .where('order_id', '=', orderId)
          .where('id', '=', id)
          .executeTakeFirst();
        return row && decodeChangeRequest(row);
      },

      /** Marks the order's open requests Done (the fix was delivered). */
      async resolveOpen(db: Db, orderId: string, at: number): Promise<number> {
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
  },
};
