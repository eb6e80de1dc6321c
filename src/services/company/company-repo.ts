import type { Db } from '../../db/dialect.js';
import type { CompanyRow, OfficeRow, UserRow } from '../../db/schema.js';

export const companyRepo = {
  async insert(db: Db, row: CompanyRow): Promise<void> {
    await db.insertInto('companies').values(row).execute();
  },

  async findById(db: Db, id: string): Promise<CompanyRow | undefined> {
    return db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async list(db: Db, opts: { limit: number; offset: number; search?: string }): Promise<CompanyRow[]> {
    let q = db.selectFrom('companies').selectAll();
    // Case-insensitive on both databases (PostgreSQL's LIKE is case-sensitive).
    if (opts.search) q = q.where((eb) => eb(eb.fn('lower', ['name']), 'like', `%${opts.search!.toLowerCase().replace(/[%_\\]/g, '')}%`));
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit + 1).offset(opts.offset).execute();
  },

  async count(db: Db): Promise<number> {
    const row = await db.selectFrom('companies').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async update(db: Db, id: string, values: Partial<CompanyRow>): Promise<void> {
    await db.updateTable('companies').set(values).where('id', '=', id).execute();
  },

  async setWebhook(db: Db, id: string, settings: { webhook_urls: string[]; webhook_triggers: string[] }): Promise<void> {
    await db
      .updateTable('companies')
      .set({ webhook_urls: JSON.stringify(settings.webhook_urls), webhook_triggers: JSON.stringify(settings.webhook_triggers) })
      .where('id', '=', id)
      .execute();
  },

  async oldestManager(db: Db, companyId: string): Promise<UserRow | undefined> {
    return db
      .selectFrom('users')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('role', '=', 'Manager')
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .executeTakeFirst();
  },

  async insertOffice(db: Db, row: OfficeRow): Promise<void> {
    await db.insertInto('offices').values(row).execute();
  },

  async insertUser(db: Db, row: UserRow): Promise<void> {
    await db.insertInto('users').values(row).execute();
  },

  /** The company's webhook subscription, decoded; undefined when there is no such company. */
  async webhookSettings(db: Db, companyId: string): Promise<{ urls: string[]; triggers: string[] } | undefined> {
    const row = await db.selectFrom('companies').select(['webhook_urls', 'webhook_triggers']).where('id', '=', companyId).executeTakeFirst();
    if (!row) return undefined;
    const list = (text: string): string[] => {
      const value: unknown = JSON.parse(text);
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    };
    return { urls: list(row.webhook_urls), triggers: list(row.webhook_triggers) };
  },
};
