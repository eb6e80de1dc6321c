// Companies: creation by the operator, and what a company's key can read and change about it.
import { ConflictError, NotFoundError, RequestValidationError, type ValidationEntry } from '../../errors.js';
import { isUniqueViolation } from '../../db/dialect.js';
import { isUuid } from '../../domain/clock.js';
import { ADD_ONS, DEFAULT_PACKAGE, PACKAGE_TYPES, type CustomerType, type WebhookTrigger } from '../../domain/catalog.js';
import { paginate, type Page } from '../../domain/pagination.js';
import type { ServiceDeps } from '../deps.js';
import type { ApiKeysService } from '../api-keys/api-keys-service.js';
import type { WebhookOutbox } from '../webhooks/webhook-outbox.js';
import { literalRefusal } from '../webhooks/address-guard.js';
import { officesRepo } from '../offices/offices-repo.js';
import { hashPassword } from '../users/passwords.js';
import { userView } from '../users/user-view.js';
import { usersRepo } from '../users/users-repo.js';
import { companyRepo, type Company } from './company-repo.js';
import { companyView } from './company-view.js';

export interface CreateCompanyInput {
  name: string;
  manager_email: string;
  manager_password?: string;
  country?: string | null;
  customer_type?: CustomerType;
}

export interface WebhookSettings {
  webhook_urls: string[];
  webhook_triggers: WebhookTrigger[];
}

/** What the server lets a webhook URL be (CASA_WEBHOOK_REQUIRE_HTTPS, CASA_WEBHOOK_ALLOW_PRIVATE). */
export interface WebhookUrlRules {
  requireHttps: boolean;
  allowPrivate: boolean;
}

/**
 * De-duplicates both lists (first occurrence wins) and applies the server's URL rules: https only
 * when configured, and no host written as a non-public address when private addresses are not
 * allowed. Host names are left to the delivery, which checks the addresses they resolve to then.
 */
export function normalizeWebhookSettings(input: WebhookSettings, rules: WebhookUrlRules): WebhookSettings {
  const urls = [...new Set(input.webhook_urls.map((u) => u.trim()))];
  const entries: ValidationEntry[] = [];
  input.webhook_urls.forEach((raw, i) => {
    const url = new URL(raw.trim());
    if (rules.requireHttps && url.protocol !== 'https:') {
      entries.push({ loc: ['webhook_urls', i], msg: 'URL scheme not permitted', type: 'value_error.url.scheme' });
      return;
    }
    const refusal = literalRefusal(url.hostname, rules.allowPrivate);
    if (refusal) {
      entries.push({ loc: ['webhook_urls', i], msg: `URL host is not a public address (${refusal.reason})`, type: 'value_error.url.host' });
    }
  });
  if (entries.length) throw new RequestValidationError('body_params', entries);
  return { webhook_urls: urls, webhook_triggers: [...new Set(input.webhook_triggers)] };
}

export function companyServiceFactory({
  db,
  clock,
  ids,
  config,
  reads,
  apiKeys,
  webhookOutbox,
}: Pick<ServiceDeps, 'db' | 'clock' | 'ids' | 'config' | 'reads'> & {
  apiKeys: Pick<ApiKeysService, 'issue'>;
  webhookOutbox: Pick<WebhookOutbox, 'cancelQueuedForCompany'>;
}) {
  async function existing(companyId: string): Promise<Company> {
    const row = isUuid(companyId) ? await companyRepo.forCompany(companyId).get(db) : undefined;
    if (!row) throw new NotFoundError('Company not found.');
    return row;
  }

  return {
    /** Creates a company with its main office, its first Manager and an api key, in one transaction. */
    async create(input: CreateCompanyInput) {
      const now = clock.nowUs();
      const companyId = ids.uuid();
      const officeId = ids.uuid();
      const managerId = ids.uuid();
      const passwordHash = input.manager_password ? await hashPassword(input.manager_password) : null;
      try {
        return await db.transaction().execute(async (tx) => {
          const company: Company = {
            id: companyId,
            name: input.name,
            country: input.country ?? null,
            customer_type: input.customer_type ?? 'Other',
            main_office_id: officeId,
            allow_submission_without_draft: 1,
            allow_post_scan_upgrades: 1,
            webhook_urls: [],
            webhook_triggers: [],
            default_package_type: DEFAULT_PACKAGE,
            default_add_ons: [],
            merged_into: null,
            created_at: now,
          };
          await companyRepo.system.insert(tx, company);
          await officesRepo
            .forCompany(companyId)
            .insert(tx, { id: officeId, name: 'Main office', name_key: 'main office', created_at: now });
          const manager = {
            id: managerId,
            office_id: officeId,
            email: input.manager_email.toLowerCase(),
            name: null,
            surname: null,
            role: 'Manager',
            email_confirmed: passwordHash ? 1 : 0,
            password_hash: passwordHash,
            created_at: now,
          };
          await usersRepo.forCompany(companyId).insert(tx, manager);
          const key = await apiKeys.issue(tx, companyId, managerId);
          return { company: companyView(company), manager: userView(manager), api_key: key.api_key, api_key_id: key.id };
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('A user with this email already exists.');
        throw err;
      }
    },

    /** Reads the companies table only, so it is kept until a company, user or key changes. */
    async info(companyId: string) {
      return reads.read(`company ${companyId}`, async () => companyView(await existing(companyId)), 'identity');
    },

    /**
     * Replaces both webhook lists at once and answers what is stored. A URL dropped from the list
     * gets nothing more: its queued deliveries and retries are cancelled, as DELETE cancels all.
     */
    async setWebhook(companyId: string, input: Partial<WebhookSettings>): Promise<WebhookSettings> {
      const stored = input.webhook_urls && input.webhook_triggers ? null : await existing(companyId);
      const settings = normalizeWebhookSettings(
        { webhook_urls: input.webhook_urls ?? stored!.webhook_urls, webhook_triggers: input.webhook_triggers ?? stored!.webhook_triggers },
        { requireHttps: config.webhookRequireHttps, allowPrivate: config.webhookAllowPrivate },
      );
      await db.transaction().execute(async (tx) => {
        await companyRepo.forCompany(companyId).setWebhook(tx, settings);
        await webhookOutbox.cancelQueuedForCompany(tx, companyId, settings.webhook_urls);
      });
      return settings;
    },

    async clearWebhook(companyId: string): Promise<WebhookSettings> {
      const settings: WebhookSettings = { webhook_urls: [], webhook_triggers: [] };
      await db.transaction().execute(async (tx) => {
        await companyRepo.forCompany(companyId).setWebhook(tx, settings);
        await webhookOutbox.cancelQueuedForCompany(tx, companyId);
      });
      return settings;
    },

    /** The company's default product for new orders, and what it may choose from. */
    async package(companyId: string) {
      const row = await existing(companyId);
      return {
        package_type: row.default_package_type,
        add_ons: row.default_add_ons,
        available_package_types: [...PACKAGE_TYPES],
        available_add_ons: [...ADD_ONS],
      };
    },

    async list(page: Page, search?: string) {
      const rows = await companyRepo.system.list(db, { ...page, search });
      const result = paginate(rows, page);
      return { pagination: result.pagination, items: result.items.map(companyView) };
    },

    /** A new key for a company, attributed to its oldest Manager. */
    async issueKey(companyId: string) {
      const row = await existing(companyId);
      if (row.merged_into) throw new ConflictError('This company was merged into another company.');
      const manager = await usersRepo.forCompany(companyId).oldestManager(db);
      const key = await db.transaction().execute((tx) => apiKeys.issue(tx, companyId, manager?.id ?? null));
      return { id: key.id, api_key: key.api_key, prefix: key.prefix, created_at: key.created_at };
    },

    async count() {
      return companyRepo.system.count(db);
    },
  };
}

export type CompanyService = ReturnType<typeof companyServiceFactory>;
