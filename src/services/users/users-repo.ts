// Queries about users and their single-use tokens. Every user query is scoped by company id;
// tokens are found by their hash alone, since the hash is the credential.
import type { Db } from '../../db/dialect.js';
import type { DialectName } from '../../db/database.js';
import type { NewUser, UserRow, UserUpdate } from '../../db/schema.js';
import type { Role } from '../../domain/catalog.js';
import type { Page } from '../../domain/pagination.js';

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
  async list(db: Db, companyId: string, page: Page, filter: UserListFilter = {}): Promise<ListedUserRow[]> {
    let q = db.selectFrom('users').select(LISTED_COLUMNS).where('company_id', '=', companyId);
    if (filter.roles && filter.roles.length > 0) q = q.where('role', 'in', filter.roles);
    if (filter.officeId) q = q.where('office_id', '=', filter.officeId);
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).offset(page.offset).execute();
  },

  /** Any company's user with this (lower-case) email: emails are unique across the system. */
  async existsWithEmail(db: Db, email: string): Promise<boolean> {
    const row = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    return row !== undefined;
  },

  async findByEmail(db: Db, companyId: string, email: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('company_id', '=', companyId).where('email', '=', email).executeTakeFirst();
  },

  async findById(db: Db, companyId: string, id: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
  },

  async insert(db: Db, row: NewUser): Promise<void> {
    await db.insertInto('users').values(row).execute();
  },

  async update(db: Db, companyId: string, id: string, values: UserUpdate): Promise<void> {
    await db.updateTable('users').set(values).where('company_id', '=', companyId).where('id', '=', id).execute();
  },

  async delete(db: Db, companyId: string, id: string): Promise<void> {
    await db.deleteFrom('users').where('company_id', '=', companyId).where('id', '=', id).execute();
  },

  /**
   * The ids of the company's Managers, locked until the transaction ends on PostgreSQL, so two
   * requests cannot each remove a different one of the last two. SQLite runs one writer at a time.
   */
  async lockManagerIds(db: Db, dialect: DialectName, companyId: string): Promise<string[]> {
    const q = db.selectFrom('users').select('id').where('company_id', '=', companyId).where('role', '=', 'Manager').orderBy('id');
    const rows = await (dialect === 'postgres' ? q.forUpdate() : q).execute();
    return rows.map((r) => r.id);
  },

  /** Keys stay valid for the company; they are no longer attributed to the deleted user. */
  async detachApiKeys(db: Db, companyId: string, userId: string): Promise<void> {
    await db.updateTable('api_keys').set({ user_id: null }).where('company_id', '=', companyId).where('user_id', '=', userId).execute();
  },

  async insertToken(db: Db, row: UserTokenRow): Promise<void> {
    await db.insertInto('user_tokens').values(row).execute();
  },

  async findTokenByHash(db: Db, tokenHash: string): Promise<UserTokenRow | undefined> {
    return db.selectFrom('user_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  },

  /** Marks one token used; false when another request used it first. */
  async useToken(db: Db, id: string, at: number): Promise<boolean> {
    const res = await db.updateTable('user_tokens').set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  },

  /** Kills every live token of these kinds for the user (a new link replaces older ones). */
  async killTokens(db: Db, userId: string, kinds: TokenKind[], at: number): Promise<void> {
    await db.updateTable('user_tokens').set({ used_at: at }).where('user_id', '=', userId).where('kind', 'in', kinds).where('used_at', 'is', null).execute();
  },

  async deleteTokens(db: Db, userId: string): Promise<void> {
    await db.deleteFrom('user_tokens').where('user_id', '=', userId).execute();
  },

  async userById(db: Db, id: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  },
};
