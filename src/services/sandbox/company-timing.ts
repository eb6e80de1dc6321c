// A company's timing: its sandbox settings may override the server's production delay
// (CASA_PRODUCTION_DELAY_S) and webhook schedule (CASA_WEBHOOK_SCHEDULE), so one test company
// delivers at once while another behaves like production.
import type { Db } from '../../db/dialect.js';
import { sandboxRepo } from './sandbox-repo.js';

/** Seconds production waits for this company's orders: its sandbox setting, else the server's. */
export async function productionDelayFor(db: Db, companyId: string, serverDelayS: number): Promise<number> {
  const stored = await sandboxRepo.forCompany(companyId).find(db);
  return stored?.settings.production_delay_s ?? serverDelayS;
}
