// Queries about users and their single-use tokens. A company's users are reached through
// `forCompany`; `system` holds what works across companies: an email is unique across the system,
// and a token found by its hash (the hash is the credential) leads to a user of any company.
import type { Db } from '../../db/dialect.js';
import type { DialectName } from '../../db/database.js';
import type { NewUser, UserRow, UserUpdate } from '../../db/schema.js';
import type { Role } from '../../domain/catalog.js';
import type { Page } from '../../domain/pagination.js';
import { moveCompanyRows } from '../../db/company-rows.js';
import { allRows, compiledOnce, firstRow } from '../../db/compiled-once.js';

export type TokenKind = 'invite' | 'reset';

export interface UserTokenRow {
  id: string;
  user_id: string;
  kind: string;
  token_hash: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface UserListFilter {
  roles?: Role[];
  officeId?: string;
}

/** What the user item shows: lists never read password hashes. */
const LISTED_COLUMNS = ['id', 'office_id', 'email', 'name', 'surname', 'role', 'email_confirmed', 'created_at'] as const;

export type ListedUserRow = Pick<UserRow, (typeof LISTED_COLUMNS)[number]>;

export const usersRepo = {
  /** One company's users, and the tokens of those users. */
  forCompany(companyId: string) {
    /** user_tokens carry no company id: a token write names a user of this company or touches nothing. */
    const ownUser = (db: Db, userId: string) =>
      db.selectFrom('users').select('id').where('company_id', '=', companyId).where('id', '=', userId);
    const managersOldestFirst = (db: Db) =>
      db
        .selectFrom('users')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('role', '=', 'Manager')
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc');
    return {
      list: async (db: Db, page: Page, filter: UserListFilter = {}): Promise<ListedUserRow[]> => {
        const roles = [...new Set(filter.roles ?? [])];
        const office = filter.officeId ? [filter.officeId] : [];
        const values = [companyId, page.limit + 1, page.offset, ...office, ...roles];
        const query = compiledOnce(db, `users page ${office.length} ${roles.length}`, values, ([company, limit, offset, ...rest]) => {
          let q = db.selectFrom('users').select(LISTED_COLUMNS).where('company_id', '=', company!);
          if (office.length) q = q.where('office_id', '=', rest[0]!);
          if (roles.length) q = q.where('role', 'in', rest.slice(office.length));
          return q
            .orderBy('created_at', 'desc')
            .orderBy('id', 'desc')
            .limit(limit as never)
            .offset(offset as never);
        });
        return allRows(db, query);
      },

      findByEmail: async (db: Db, email: string): Promise<UserRow | undefined> => {
        const query = compiledOnce(db, 'user by email', [companyId, email.toLowerCase()], ([company, address]) =>
          db.selectFrom('users').selectAll().where('company_id', '=', company!).where('email', '=', address!),
        );
        return firstRow(db, query);
      },

      findById: async (db: Db, id: string): Promise<UserRow | undefined> => {
        return db.selectFrom('users').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
      },

      /** The company's Managers, oldest first. */
      managers: async (db: Db): Promise<UserRow[]> => {
        return managersOldestFirst(db).execute();
      },

      oldestManager: async (db: Db): Promise<UserRow | undefined> => {
        return managersOldestFirst(db).executeTakeFirst();
      },

      insert: async (db: Db, row: Omit<NewUser, 'company_id'>): Promise<void> => {
        await db
          .insertInto('users')
          .values({ ...row, company_id: companyId })
          .execute();
      },

      update: async (db: Db, id: string, values: Omit<UserUpdate, 'id' | 'company_id'>): Promise<void> => {
        await db.updateTable('users').set(values).where('company_id', '=', companyId).where('id', '=', id).execute();
      },

      delete: async (db: Db, id: string): Promise<void> => {
        await db.deleteFrom('users').where('company_id', '=', companyId).where('id', '=', id).execute();
      },

      /**
       * The ids of the company's Managers, locked until the transaction ends on PostgreSQL, so two
       * requests cannot each remove a different one of the last two. SQLite runs one writer at a time.
       */
      lockManagerIds: async (db: Db, dialect: DialectName): Promise<string[]> => {
        const q = db.selectFrom('users').select('id').where('company_id', '=', companyId).where('role', '=', 'Manager').orderBy('id');
        const rows = await (dialect === 'postgres' ? q.forUpdate() : q).execute();
        return rows.map((r) => r.id);
      },

      /** A merge: every user of this company joins `toCompanyId`; answers how many moved. */
      moveAllTo: async (db: Db, toCompanyId: string): Promise<number> => {
        return moveCompanyRows(db, 'users', companyId, toCompanyId);
      },

      /** For a user this scope just created or found. */
      insertToken: async (db: Db, row: UserTokenRow): Promise<void> => {
        await db.insertInto('user_tokens').values(row).execute();
      },

      /** Kills every live token of these kinds for the user (a new link replaces older ones). */
      killTokens: async (db: Db, userId: string, kinds: TokenKind[], at: number): Promise<void> => {
        await db
          .updateTable('user_tokens')
          .set({ used_at: at })
          .where('user_id', 'in', ownUser(db, userId))
          .where('kind', 'in', kinds)
          .where('used_at', 'is', null)
          .execute();
      },

      deleteTokens: async (db: Db, userId: string): Promise<void> => {
        await db.deleteFrom('user_tokens').where('user_id', 'in', ownUser(db, userId)).execute();
      },
    };
  },

  /** Across companies: email uniqueness, lookups by email or id, tokens by their hash. */
  system: {
    /** Whether any company has a user with this email: emails are unique across the system. */
    async emailExists(db: Db, email: string): Promise<boolean> {
      const row = await db.selectFrom('users').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst();
      return row !== undefined;
    },

    async findByEmail(db: Db, email: string): Promise<UserRow | undefined> {
      return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    },

    async findById(db: Db, id: string): Promise<UserRow | undefined> {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async findTokenByHash(db: Db, tokenHash: string): Promise<UserTokenRow | undefined> {
      return db.selectFrom('user_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    },

    /** Marks one token used; false when another request used it first. */
    async useToken(db: Db, id: string, at: number): Promise<boolean> {
      const res = await db
        .updateTable('user_tokens')
        .set({ used_at: at })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
  },
};
