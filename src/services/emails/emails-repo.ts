// The email outbox. Companies never read it: the operator lists it and the sender drains it, so
// every query works across companies.
import type { Db } from '../../db/dialect.js';
import type { EmailRow } from '../../db/schema.js';
import type { Page } from '../../domain/pagination.js';

export const emailsRepo = {
  system: {
    async insert(db: Db, row: EmailRow): Promise<void> {
      await db.insertInto('emails').values(row).execute();
    },

    async list(db: Db, page: Page, filter: { to?: string; companyId?: string; kind?: string }): Promise<EmailRow[]> {
      let q = db.selectFrom('emails').selectAll();
      if (filter.to) q = q.where('to_address', '=', filter.to.toLowerCase());
      if (filter.companyId) q = q.where('company_id', '=', filter.companyId);
      if (filter.kind) q = q.where('kind', '=', filter.kind);
      return q
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.limit + 1)
        .offset(page.offset)
        .execute();
    },

    async findById(db: Db, id: string): Promise<EmailRow | undefined> {
      return db.selectFrom('emails').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async unsent(db: Db, limit: number, maxAttempts: number): Promise<EmailRow[]> {
      return db
        .selectFrom('emails')
        .selectAll()
        .where('sent_at', 'is', null)
        .where('attempts', '<', maxAttempts)
        .orderBy('created_at', 'asc')
        .limit(limit)
        .execute();
    },

    async markSent(db: Db, id: string, at: number): Promise<void> {
      await db.updateTable('emails').set({ sent_at: at, last_error: null }).where('id', '=', id).execute();
    },

    /** Deletes every email created before `before`, sent or not; answers how many. */
    async deleteCreatedBefore(db: Db, before: number): Promise<number> {
      const res = await db.deleteFrom('emails').where('created_at', '<', before).executeTakeFirst();
      return Number(res.numDeletedRows);
    },

    async markFailed(db: Db, id: string, error: string): Promise<void> {
      await db
        .updateTable('emails')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 500) }))
        .where('id', '=', id)
        .execute();
    },
  },
};
