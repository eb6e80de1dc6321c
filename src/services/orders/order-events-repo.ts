// The order_events table. Events have no JSON columns; a company's events are written in its
// scope, and the operator reads any order's events.
import type { Db } from '../../db/dialect.js';
import { insertRowReturning } from '../../db/insert-row.js';
import type { OrderEventRow } from '../../db/tables/orders.js';
import { moveCompanyRows } from '../../db/company-rows.js';

export type NewOrderEvent = Omit<OrderEventRow, 'seq' | 'company_id'>;

export const orderEventsRepo = {
  forCompany(companyId: string) {
    return {
      /** A company merge: every event of this company joins `toCompanyId`; answers how many moved. */
      async moveAllTo(db: Db, toCompanyId: string): Promise<number> {
        return moveCompanyRows(db, 'order_events', companyId, toCompanyId);
      },

      /** Inserts the event of one of the company's orders; answers it with its `seq`. */
      async insert(db: Db, event: NewOrderEvent): Promise<OrderEventRow> {
        return insertRowReturning(db, 'order_events', { ...event, company_id: companyId });
      },
    };
  },

  system: {
    /** An order's events, oldest first. */
    async listForOrder(db: Db, orderId: string): Promise<OrderEventRow[]> {
      return db.selectFrom('order_events').selectAll().where('order_id', '=', orderId).orderBy('seq').execute();
    },
  },
};
