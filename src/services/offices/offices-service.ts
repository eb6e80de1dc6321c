import { isUniqueViolation } from '../../db/dialect.js';
import { toEpochSeconds } from '../../domain/clock.js';
import { paginate, type Page } from '../../domain/pagination.js';
import { ConflictError } from '../../errors.js';
import type { OfficeRow } from '../../db/schema.js';
import type { ServiceDeps } from '../deps.js';
import { officesRepo } from './offices-repo.js';

export function officeView(row: Pick<OfficeRow, 'id' | 'name' | 'created_at'>) {
  return { id: row.id, name: row.name, created_at: toEpochSeconds(row.created_at) };
}

export function officesServiceFactory({ db, clock, ids }: Pick<ServiceDeps, 'db' | 'clock' | 'ids'>) {
  return {
    async list(companyId: string, page: Page) {
      const rows = await officesRepo.forCompany(companyId).list(db, page);
      const result = paginate(rows, page);
      return { pagination: result.pagination, items: result.items.map(officeView) };
    },

    async create(companyId: string, name: string) {
      const trimmed = name.trim();
      const row = { id: ids.uuid(), name: trimmed, name_key: trimmed.toLowerCase(), created_at: clock.nowUs() };
      try {
        await officesRepo.forCompany(companyId).insert(db, row);
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('An office with this name already exists.');
        throw err;
      }
      return officeView(row);
    },
  };
}

export type OfficesService = ReturnType<typeof officesServiceFactory>;
