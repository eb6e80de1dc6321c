// A company merge moves every row of the source company to the target; each table's repo offers
// it for its own table, and they share this one statement.
import type { Db } from './dialect.js';

export type CompanyOwnedTable = 'users' | 'orders' | 'change_requests' | 'order_events' | 'webhook_deliveries' | 'webhook_attempts';

/** Moves every row of `table` from one company to another; answers how many moved. */
export async function moveCompanyRows(db: Db, table: CompanyOwnedTable, fromCompanyId: string, toCompanyId: string): Promise<number> {
  const res = await db.updateTable(table).set({ company_id: toCompanyId }).where('company_id', '=', fromCompanyId).executeTakeFirst();
  return Number(res.numUpdatedRows);
}
