// The api_keys table. A key is found by its hash alone (the hash is the credential), so that
// lookup, like the operator's revocation by id, lives under `system`.
import type { Db } from '../../db/dialect.js';
import type { ApiKeyRow } from '../../db/schema.js';
import { compiledOnce, firstRow } from '../../db/compiled-once.js';

export interface KeyOwner {
  keyId: string;
  companyId: string;
  userId: string | null;
  userEmail: string | null;
  /**
   * The company's sandbox settings document (JSON), or null when it has none: read with the key,
   * so the fault check costs a request no second query.
   */
  sandbox: string | null;
  /** When those settings were last written (the version their random streams start from). */
  sandboxAt: number | null;
}

export const apiKeysRepo = {
  forCompany(companyId: string) {
    return {
      insert: async (db: Db, row: Omit<ApiKeyRow, 'company_id'>): Promise<void> => {
        await db
          .insertInto('api_keys')
          .values({ ...row, company_id: companyId })
          .execute();
      },

      list: async (db: Db): Promise<ApiKeyRow[]> => {
        return db
          .selectFrom('api_keys')
          .selectAll()
          .where('company_id', '=', companyId)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .execute();
      },

      revokeAll: async (db: Db, at: number): Promise<void> => {
        await db
          .updateTable('api_keys')
          .set({ revoked_at: at })
          .where('company_id', '=', companyId)
          .where('revoked_at', 'is', null)
          .execute();
      },

      /** The keys of a user being deleted stay valid for the company, attributed to `toUserId`. */
      reassignUser: async (db: Db, fromUserId: string, toUserId: string): Promise<void> => {
        await db
          .updateTable('api_keys')
          .set({ user_id: toUserId })
          .where('company_id', '=', companyId)
          .where('user_id', '=', fromUserId)
          .execute();
      },
    };
  },

  system: {
    /** The authentication of every request: one query, the key with its user's email and its company's sandbox settings. */
    async findActiveByHash(db: Db, keyHash: string): Promise<KeyOwner | undefined> {
      const query = compiledOnce(db, 'api key by hash', [keyHash], ([hash]) =>
        db
          .selectFrom('api_keys as k')
          .leftJoin('users as u', 'u.id', 'k.user_id')
          .leftJoin('sandbox_settings as s', 's.company_id', 'k.company_id')
          .select([
            'k.id as keyId',
            'k.company_id as companyId',
            'k.user_id as userId',
            'u.email as userEmail',
            's.document as sandbox',
            's.updated_at as sandboxAt',
          ])
          .where('k.key_hash', '=', hash!)
          .where('k.revoked_at', 'is', null),
      );
      return firstRow(db, query);
    },

    async revoke(db: Db, keyId: string, at: number): Promise<boolean> {
      const res = await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('id', '=', keyId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
  },
};
