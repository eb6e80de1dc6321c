// The companies table. Its JSON list columns are decoded here and encoded here on writes, so a
// company leaves this module with arrays.
import type { Db } from '../../db/dialect.js';
import type { CompanyRow } from '../../db/schema.js';
import type { AddOn, CustomerType, PackageType, WebhookLists, WebhookTrigger } from '../../domain/catalog.js';
import { compiledOnce, firstRow } from '../../db/compiled-once.js';
import { storedSandbox, type StoredSandbox } from '../sandbox/sandbox-repo.js';

/** A company row with its list columns decoded. */
export interface Company {
  id: string;
  name: string;
  country: string | null;
  customer_type: CustomerType;
  main_office_id: string;
  allow_submission_without_draft: number;
  allow_post_scan_upgrades: number;
  webhook_urls: string[];
  webhook_triggers: WebhookTrigger[];
  default_package_type: PackageType;
  default_add_ons: AddOn[];
  merged_into: string | null;
  created_at: number;
}

/** A stored JSON list; anything but strings is dropped, so a hand-edited row cannot break a reader. */
function stringList<T extends string = string>(text: string): T[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((v): v is T => typeof v === 'string') : [];
}

function decode(row: CompanyRow): Company {
  return {
    ...row,
    customer_type: row.customer_type as CustomerType,
    default_package_type: row.default_package_type as PackageType,
    webhook_urls: stringList(row.webhook_urls),
    webhook_triggers: stringList<WebhookTrigger>(row.webhook_triggers),
    default_add_ons: stringList<AddOn>(row.default_add_ons),
  };
}

function encodeWebhooks(lists: WebhookLists) {
  return { webhook_urls: JSON.stringify(lists.webhook_urls), webhook_triggers: JSON.stringify(lists.webhook_triggers) };
}

export const companyRepo = {
  /** One company's own row and settings. */
  forCompany(companyId: string) {
    return {
      get: async (db: Db): Promise<Company | undefined> => {
        const query = compiledOnce(db, 'company', [companyId], ([company]) =>
          db.selectFrom('companies').selectAll().where('id', '=', company!),
        );
        const row = await firstRow(db, query);
        return row && decode(row);
      },

      /**
       * What an order event needs to queue its webhooks, read inside the transition for every
       * event in one statement: the webhook lists and the company's sandbox document (its retry
       * schedule and webhook chaos), if it has one.
       */
      webhookSettings: async (db: Db): Promise<{ urls: string[]; triggers: string[]; sandbox: StoredSandbox | undefined } | undefined> => {
        const query = compiledOnce(db, 'company webhooks', [companyId], ([company]) =>
          db
            .selectFrom('companies')
            .leftJoin('sandbox_settings', 'sandbox_settings.company_id', 'companies.id')
            .select(['companies.webhook_urls', 'companies.webhook_triggers', 'sandbox_settings.document', 'sandbox_settings.updated_at'])
            .where('companies.id', '=', company!),
        );
        const row = await firstRow(db, query);
        if (!row) return undefined;
        const sandbox = row.document === null ? undefined : storedSandbox({ document: row.document, updated_at: row.updated_at! });
        return { urls: stringList(row.webhook_urls), triggers: stringList(row.webhook_triggers), sandbox };
      },

      /** The product a new order gets when it names none. */
      orderDefaults: async (db: Db): Promise<{ packageType: PackageType; addOns: AddOn[] } | undefined> => {
        const query = compiledOnce(db, 'company order defaults', [companyId], ([company]) =>
          db.selectFrom('companies').select(['default_package_type', 'default_add_ons']).where('id', '=', company!),
        );
        const row = await firstRow(db, query);
        return row && { packageType: row.default_package_type as PackageType, addOns: stringList<AddOn>(row.default_add_ons) };
      },

      setWebhook: async (db: Db, lists: WebhookLists): Promise<void> => {
        await db.updateTable('companies').set(encodeWebhooks(lists)).where('id', '=', companyId).execute();
      },
    };
  },

  /** The operator and the merge: companies by id, the whole list, new companies. */
  system: {
    async insert(db: Db, company: Company): Promise<void> {
      await db
        .insertInto('companies')
        .values({ ...company, ...encodeWebhooks(company), default_add_ons: JSON.stringify(company.default_add_ons) })
        .execute();
    },

    async findById(db: Db, id: string): Promise<Company | undefined> {
      const row = await db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
      return row && decode(row);
    },

    async exists(db: Db, id: string): Promise<boolean> {
      const row = await db.selectFrom('companies').select('id').where('id', '=', id).executeTakeFirst();
      return row !== undefined;
    },

    async list(db: Db, opts: { limit: number; offset: number; search?: string }): Promise<Company[]> {
      let q = db.selectFrom('companies').selectAll();
      // Case-insensitive on both databases (PostgreSQL's LIKE is case-sensitive).
      if (opts.search) q = q.where((eb) => eb(eb.fn('lower', ['name']), 'like', `%${opts.search!.toLowerCase().replace(/[%_\\]/g, '')}%`));
      const rows = await q
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(opts.limit + 1)
        .offset(opts.offset)
        .execute();
      return rows.map(decode);
    },

    async count(db: Db): Promise<number> {
      const row = await db
        .selectFrom('companies')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** The names of these companies, for lists that show which company a row belongs to. */
    async names(db: Db, ids: string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('companies').select(['id', 'name']).where('id', 'in', ids).execute();
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    /** The webhook URLs of these companies, for the merge requests the operator decides on. */
    async webhookUrls(db: Db, ids: string[]): Promise<Map<string, string[]>> {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('companies').select(['id', 'webhook_urls']).where('id', 'in', ids).execute();
      return new Map(rows.map((r) => [r.id, stringList(r.webhook_urls)]));
    },

    async setMergedInto(db: Db, id: string, targetId: string): Promise<void> {
      await db.updateTable('companies').set({ merged_into: targetId }).where('id', '=', id).execute();
    },
  },
};
