// The console's own reads across companies: company names and the figures of the system page.
// (Orders and everything else the console shows come through the area services and repos.)
import type { Db } from '../../db/dialect.js';
import { companyRepo } from '../company/company-repo.js';
import { ACTIVE_STATUSES } from '../webhooks/webhook-deliveries-repo.js';
import type { OrderSearch, OrderSummary } from '../orders/orders-repo.js';

export type ConsoleOrderFilter = OrderSearch;

export type ConsoleOrderRow = OrderSummary & { company_name: string | null };

export const consoleRepo = {
  async companyNames(db: Db, ids: string[]): Promise<Map<string, string>> {
    return companyRepo.system.names(db, ids);
  },

  /** Webhook deliveries that still have attempts ahead of them. */
  async activeDeliveries(db: Db): Promise<number> {
    const row = await db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', 'in', ACTIVE_STATUSES)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** Webhook attempts since `sinceUs`, and how many of them got a 2xx answer. */
  async webhookAttemptsSince(db: Db, sinceUs: number): Promise<{ total: number; ok: number }> {
    const row = await db
      .selectFrom('webhook_attempts')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.sum<number>(eb.case().when(eb.and([eb('status_code', '>=', 200), eb('status_code', '<', 300)])).then(1).else(0).end()).as('ok'),
      ])
      .where('attempted_at', '>=', sinceUs)
      .executeTakeFirstOrThrow();
    return { total: Number(row.total), ok: Number(row.ok ?? 0) };
  },
};
