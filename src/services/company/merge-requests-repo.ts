// Queries behind merge requests, including the moves an approval makes.
import type { Db } from '../../db/dialect.js';
import type { Page } from '../../domain/pagination.js';
import type { MergeRequestsTable, OfficeRow, UserRow } from '../../db/schema.js';
import type { Selectable } from 'kysely';

export type MergeRequestRow = Selectable<MergeRequestsTable>;

/**
 * Tables whose rows belong to a company and follow it into the target company on a merge (offices
 * move one by one, renamed on a clash). Kept with the merged company: its api keys (revoked), its
 * webhook secret, its emails and idempotency answers.
 */
const MOVED_WITH_COMPANY = ['users', 'orders', 'change_requests', 'order_events', 'webhook_deliveries', 'webhook_attempts'] as const;

export const mergeRequestsRepo = {
  async insert(db: Db, row: MergeRequestRow): Promise<void> {
    await db.insertInto('merge_requests').values(row).execute();
  },

  async findById(db: Db, id: string): Promise<MergeRequestRow | undefined> {
    return db.selectFrom('merge_requests').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async findPending(db: Db, companyId: string, targetCompanyId: string): Promise<MergeRequestRow | undefined> {
    return db
      .selectFrom('merge_requests')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('target_company_id', '=', targetCompanyId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
  },

  async list(db: Db, page: Page, status?: string): Promise<MergeRequestRow[]> {
    let q = db.selectFrom('merge_requests').selectAll();
    if (status) q = q.where('status', '=', status);
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).offset(page.offset).execute();
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

  async userByEmail(db: Db, email: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  },

  async managers(db: Db, companyId: string): Promise<UserRow[]> {
    return db.selectFrom('users').selectAll().where('company_id', '=', companyId).where('role', '=', 'Manager').orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
  },

  async offices(db: Db, companyId: string): Promise<OfficeRow[]> {
    return db.selectFrom('offices').selectAll().where('company_id', '=', companyId).orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
  },

  async moveOffice(db: Db, officeId: string, fromCompanyId: string, toCompanyId: string, name: string): Promise<void> {
    await db
      .updateTable('offices')
      .set({ company_id: toCompanyId, name, name_key: name.toLowerCase() })
      .where('id', '=', officeId)
      .where('company_id', '=', fromCompanyId)
      .execute();
  },

  /** Moves every company-owned row; answers how many rows of each table moved. */
  async moveOwnedRows(db: Db, fromCompanyId: string, toCompanyId: string): Promise<Record<(typeof MOVED_WITH_COMPANY)[number], number>> {
    const moved = {} as Record<(typeof MOVED_WITH_COMPANY)[number], number>;
    for (const table of MOVED_WITH_COMPANY) {
      const res = await db.updateTable(table).set({ company_id: toCompanyId }).where('company_id', '=', fromCompanyId).executeTakeFirst();
      moved[table] = Number(res.numUpdatedRows);
    }
    return moved;
  },
};
