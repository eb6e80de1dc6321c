// Stored answers to Idempotency-Key requests, kept per company and key.
import type { Db } from '../../db/dialect.js';
import type { IdempotencyKeysTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';

export type IdempotencyRow = Selectable<IdempotencyKeysTable>;

export const idempotencyRepo = {
  forCompany(companyId: string) {
    return {
      insert: async (db: Db, row: Omit<IdempotencyRow, 'company_id'>): Promise<void> => {
        await db
          .insertInto('idempotency_keys')
          .values({ ...row, company_id: companyId })
          .execute();
      },

      find: async (db: Db, key: string): Promise<IdempotencyRow | undefined> => {
        return db
          .selectFrom('idempotency_keys')
          .selectAll()
          .where('company_id', '=', companyId)
          .where('idem_key', '=', key)
          .executeTakeFirst();
      },

      /** Deletes the row only if it is still the one read (its creation time), so a newer claim survives. */
      deleteIfCreatedAt: async (db: Db, key: string, createdAt: number): Promise<void> => {
        await db
          .deleteFrom('idempotency_keys')
          .where('company_id', '=', companyId)
          .where('idem_key', '=', key)
          .where('created_at', '=', createdAt)
          .execute();
      },

      complete: async (
        db: Db,
        key: string,
        createdAt: number,
        response: { status_code: number; response_body: string; content_type: string | null; sealed: number },
      ): Promise<void> => {
        await db
          .updateTable('idempotency_keys')
          .set(response)
          .where('company_id', '=', companyId)
          .where('idem_key', '=', key)
          .where('created_at', '=', createdAt)
          .execute();
      },
    };
  },

  system: {
    /** Expiry across every company. */
    async deleteOlderThan(db: Db, before: number): Promise<number> {
      const res = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  },
};
