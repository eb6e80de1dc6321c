import type { Db } from '../../db/dialect.js';
import type { ApiKeyRow } from '../../db/schema.js';

export interface KeyOwner {
  keyId: string;
  companyId: string;
  userId: string | null;
  userEmail: string | null;
}

export const apiKeysRepo = {
  async insert(db: Db, row: ApiKeyRow): Promise<void> {
    await db.insertInto('api_keys').values(row).execute();
  },

  async findActiveByHash(db: Db, keyHash: string): Promise<KeyOwner | undefined> {
    const row = await db
      .selectFrom('api_keys as k')
      .leftJoin('users as u', 'u.id', 'k.user_id')
      .select(['k.id as keyId', 'k.company_id as companyId', 'k.user_id as userId', 'u.email as userEmail'])
      .where('k.key_hash', '=', keyHash)
      .where('k.revoked_at', 'is', null)
      .executeTakeFirst();
    return row ?? undefined;
  },

  async listForCompany(db: Db, companyId: string): Promise<ApiKeyRow[]> {
    return db.selectFrom('api_keys').selectAll().where('company_id', '=', companyId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  },

  async revoke(db: Db, keyId: string, at: number): Promise<boolean> {
    const res = await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', keyId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  },

  async revokeAllForCompany(db: Db, companyId: string, at: number): Promise<void> {
    await db.updateTable('api_keys').set({ revoked_at: at }).where('company_id', '=', companyId).where('revoked_at', 'is', null).execute();
  },

  async findById(db: Db, keyId: string): Promise<ApiKeyRow | undefined> {
    return db.selectFrom('api_keys').selectAll().where('id', '=', keyId).executeTakeFirst();
  },
};
