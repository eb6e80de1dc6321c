// Companies: creation by the operator, and what a company's key can read and change about it.
import { ConflictError, NotFoundError } from '../../http/errors.js';
import { isUniqueViolation } from '../../db/dialect.js';
import { isUuid } from '../../domain/clock.js';
import { DEFAULT_PACKAGE, type CustomerType } from '../../domain/catalog.js';
import { paginate, type Page } from '../../domain/pagination.js';
import type { ServiceDeps } from '../deps.js';
import type { ApiKeysService } from '../api-keys/api-keys-service.js';
import { hashPassword } from '../users/passwords.js';
import { userView } from '../users/user-view.js';
import { companyRepo } from './company-repo.js';
import { companyView } from './company-view.js';

export interface CreateCompanyInput {
  name: string;
  manager_email: string;
  manager_password?: string;
  country?: string | null;
  customer_type?: CustomerType;
}

export function companyServiceFactory({
  db,
  clock,
  ids,
  apiKeys,
}: Pick<ServiceDeps, 'db' | 'clock' | 'ids'> & { apiKeys: Pick<ApiKeysService, 'issue'> }) {
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
          const company = {
            id: companyId,
            name: input.name,
            country: input.country ?? null,
            customer_type: input.customer_type ?? 'Other',
            main_office_id: officeId,
            allow_submission_without_draft: 1,
            allow_post_scan_upgrades: 1,
            webhook_urls: '[]',
            webhook_triggers: '[]',
            default_package_type: DEFAULT_PACKAGE,
            default_add_ons: '[]',
            merged_into: null,
            created_at: now,
          };
          await companyRepo.insert(tx, company);
          await companyRepo.insertOffice(tx, { id: officeId, company_id: companyId, name: 'Main office', name_key: 'main office', created_at: now });
          const manager = {
            id: managerId,
            company_id: companyId,
            office_id: officeId,
            email: input.manager_email.toLowerCase(),
            name: null,
            surname: null,
            role: 'Manager',
            email_confirmed: passwordHash ? 1 : 0,
            password_hash: passwordHash,
            created_at: now,
          };
          await companyRepo.insertUser(tx, manager);
          const key = await apiKeys.issue(tx, companyId, managerId);
          return { company: companyView(company), manager: userView(manager), api_key: key.api_key, api_key_id: key.id };
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('A user with this email already exists.');
        throw err;
      }
    },

    async info(companyId: string) {
      const row = isUuid(companyId) ? await companyRepo.findById(db, companyId) : undefined;
      if (!row) throw new NotFoundError('Company not found.');
      return companyView(row);
    },

    async list(page: Page, search?: string) {
      const rows = await companyRepo.list(db, { ...page, search });
      const result = paginate(rows, page);
      return { pagination: result.pagination, items: result.items.map(companyView) };
    },

    /** A new key for a company, attributed to its oldest Manager. */
    async issueKey(companyId: string) {
      const row = isUuid(companyId) ? await companyRepo.findById(db, companyId) : undefined;
      if (!row) throw new NotFoundError('Company not found.');
      const manager = await companyRepo.oldestManager(db, companyId);
      const key = await db.transaction().execute((tx) => apiKeys.issue(tx, companyId, manager?.id ?? null));
      return { id: key.id, api_key: key.api_key, prefix: key.prefix, created_at: key.created_at };
    },

    async count() {
      return companyRepo.count(db);
    },
  };
}

export type CompanyService = ReturnType<typeof companyServiceFactory>;
