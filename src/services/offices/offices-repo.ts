// The offices table, reached for one company at a time.
import type { Db } from '../../db/dialect.js';
import type { OfficeRow } from '../../db/schema.js';
import type { Page } from '../../domain/pagination.js';

export const officesRepo = {
  forCompany(companyId: string) {
    return {
      list: async (db: Db, page: Page): Promise<OfficeRow[]> => {
        return db
          .selectFrom('offices')
          .selectAll()
          .where('company_id', '=', companyId)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(page.limit + 1)
          .offset(page.offset)
          .execute();
      },

      /** Every office of the company, oldest first. */
      all: async (db: Db): Promise<OfficeRow[]> => {
        return db
          .selectFrom('offices')
          .selectAll()
          .where('company_id', '=', companyId)
          .orderBy('created_at', 'asc')
          .orderBy('id', 'asc')
          .execute();
      },

      insert: async (db: Db, row: Omit<OfficeRow, 'company_id'>): Promise<void> => {
        await db
          .insertInto('offices')
          .values({ ...row, company_id: companyId })
          .execute();
      },

      findById: async (db: Db, officeId: string): Promise<OfficeRow | undefined> => {
        return db.selectFrom('offices').selectAll().where('company_id', '=', companyId).where('id', '=', officeId).executeTakeFirst();
      },

      /** A merge: the office joins `toCompanyId` under `name`. */
      moveTo: async (db: Db, officeId: string, toCompanyId: string, name: string): Promise<void> => {
        await db
          .updateTable('offices')
          .set({ company_id: toCompanyId, name, name_key: name.toLowerCase() })
          .where('id', '=', officeId)
          .where('company_id', '=', companyId)
          .execute();
      },
    };
  },
};
