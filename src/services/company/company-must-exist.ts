// The operator's per-company routes (sandbox, request log) answer 404 for an id that names no company.
import type { Db } from '../../db/dialect.js';
import { isUuid } from '../../domain/clock.js';
import { NotFoundError } from '../../errors.js';
import { companyRepo } from './company-repo.js';

export async function assertCompanyExists(db: Db, companyId: string): Promise<void> {
  if (!isUuid(companyId) || !(await companyRepo.system.exists(db, companyId))) throw new NotFoundError('Company not found.');
}
