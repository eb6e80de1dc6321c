import type { Db } from '../../db/dialect.js';
import type { OfficeRow } from '../../db/schema.js';
import type { Page } from '../../domain/pagination.js';

export const officesRepo = {
  async list(db: Db, companyId: string, page: Page): Promise<OfficeRow[]> {
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

  async insert(db: Db, row: OfficeRow): Promise<void> {
    await db.insertInto('offices').values(row).execute();
  },

  async findInCompany(db: Db, companyId: string, officeId: string): Promise<OfficeRow | undefined> {
    return db.selectFrom('offices').selectAll().where('company_id', '=', companyId).where('id', '=', officeId).executeTakeFirst();
  },
};
