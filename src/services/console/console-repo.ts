// The console's own reads across companies: company names and the figures of the system page.
// (Orders and everything else the console shows come through the area services and repos.)
import type { Db } from '../../db/dialect.js';
import { companyRepo } from '../company/company-repo.js';
import type { OrderSearch, OrderSummary } from '../orders/orders-repo.js';

export type ConsoleOrderFilter = OrderSearch;

export type ConsoleOrderRow = OrderSummary & { company_name: string | null };

export const consoleRepo = {
  async companyNames(db: Db, ids: string[]): Promise<Map<string, string>> {
    return companyRepo.system.names(db, ids);
  },
};
