// The merge_requests table, and the move of the rows of other areas' tables an approval makes.
import type { Db } from '../../db/dialect.js';
import type { Page } from '../../domain/pagination.js';
import type { MergeRequestsTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';

export type MergeRequestRow = Selectable<MergeRequestsTable>;

export const mergeRequestsRepo = {
  /** The requests a company has made. */
  forCompany(companyId: string) {
    return {
      insert: async (db: Db, row: Omit<MergeRequestRow, 'company_id'>): Promise<void> => {
        await db
          .insertInto('merge_requests')
          .values({ ...row, company_id: companyId })
          .execute();
      },

      findPending: async (db: Db, targetCompanyId: string): Promise<MergeRequestRow | undefined> => {
        return db
          .selectFrom('merge_requests')
          .selectAll()
          .where('company_id', '=', companyId)
          .where('target_company_id', '=', targetCompanyId)
          .where('status', '=', 'pending')
          .executeTakeFirst();
      },
    };
  },

  /** The operator's side: every company's requests, and the approval. */
  system: {
    async findById(db: Db, id: string): Promise<MergeRequestRow | undefined> {
      return db.selectFrom('merge_requests').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async list(db: Db, page: Page, status?: string): Promise<MergeRequestRow[]> {
      let q = db.selectFrom('merge_requests').selectAll();
      if (status) q = q.where('status', '=', status);
      return q
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.limit + 1)
        .offset(page.offset)
        .execute();
    },

    /** Marks a pending request approved; false when it was no longer pending (a concurrent approval). */
    async markApproved(db: Db, id: string, at: number): Promise<boolean> {
      const res = await db
        .updateTable('merge_requests')
        .set({ status: 'approved', approved_at: at })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
  },
};
