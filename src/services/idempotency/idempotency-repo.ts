import type { Db } from '../../db/dialect.js';
import type { IdempotencyKeysTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';

export type IdempotencyRow = Selectable<IdempotencyKeysTable>;

export const idempotencyRepo = {
  async insert(db: Db, row: IdempotencyRow): Promise<void> {
    await db.insertInto('idempotency_keys').values(row).execute();
  },

  async find(db: Db, companyId: string, key: string): Promise<IdempotencyRow | undefined> {
    return db.selectFrom('idempotency_keys').selectAll().where('company_id', '=', companyId).where('idem_key', '=', key).executeTakeFirst();
  },

  /** Deletes the row only if it is still the one read (its creation time), so a newer claim survives. */
  async deleteIfCreatedAt(db: Db, companyId: string, key: string, createdAt: number): Promise<void> {
    await db.deleteFrom('idempotency_keys').where('company_id', '=', companyId).where('idem_key', '=', key).where('created_at', '=', createdAt).execute();
  },

  async complete(db: Db, companyId: string, key: string, createdAt: number, response: { status_code: number; response_body: string; content_type: string | null }): Promise<void> {
    await db
      .updateTable('idempotency_keys')
      .set(response)
      .where('company_id', '=', companyId)
      .where('idem_key', '=', key)
      .where('created_at', '=', createdAt)
      .execute();
  },

  async deleteOlderThan(db: Db, before: number): Promise<number> {
    const res = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
    return Number(res.numDeletedRows);
  },
};
