// Queries on webhook deliveries and their attempts. The deliveries table is worked through the
// lease queue (src/db/lease-queue.ts): a delivery is claimed only when no earlier event of the
// same order is still waiting for the same URL, and its outcome is written only by the worker
// whose lease it is under.
import { sql, type Expression, type ExpressionBuilder, type Insertable, type SqlBool } from 'kysely';
import type { Db } from '../../db/dialect.js';
import type { DialectName } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { leaseQueue, type Backlog } from '../../db/lease-queue.js';
import type { WebhookAttemptRow, WebhookDeliveriesTable, WebhookDeliveryRow } from '../../db/tables/webhooks.js';
import { ACTIVE_STATUSES, type DeliveryStatus } from './delivery-status.js';
import { moveCompanyRows } from '../../db/company-rows.js';
import { encodeChaos, REORDER_MARK, type DeliveryChaos } from './webhook-chaos.js';
import { insertRows } from '../../db/insert-row.js';

export interface DeliveryFilter {
  orderId?: string;
  companyId?: string;
  status?: DeliveryStatus;
}

export type WebhookDelivery = Omit<WebhookDeliveryRow, 'status' | 'schedule' | 'chaos'> & {
  status: DeliveryStatus;
  /** The company's sandbox retry schedule when the delivery was queued; null: the server's. */
  schedule: number[] | null;
  /** The sandbox chaos planned and done; null for none. */
  chaos: DeliveryChaos | null;
};
/** A delivery to queue for the scope's company. */
export type NewDelivery = Omit<Insertable<WebhookDeliveriesTable>, 'company_id' | 'status' | 'schedule' | 'chaos'> & {
  status: DeliveryStatus;
  schedule?: number[] | null;
  chaos?: DeliveryChaos | null;
};

export type WebhookAttempt = Omit<WebhookAttemptRow, 'request_headers'> & {
  /** Exactly the headers the attempt sent. */
  request_headers: Record<string, string>;
};
export type NewAttempt = Omit<WebhookAttempt, 'seq' | 'chaos'> & { chaos?: string | null };

export interface AttemptResult {
  seq: number;
  owner: string;
  attempt: NewAttempt;
  /** What the delivery becomes; `null` fields are written as null. */
  update: {
    status: DeliveryStatus;
    attempt_count: number;
    next_attempt_at: number;
    last_status_code: number | null;
    last_error: string | null;
    updated_at: number;
    completed_at: number | null;
    /** The delivery's chaos as it stands after this attempt, when the attempt changed it. */
    chaos?: string;
    /** 0 while a duplicate copy waits: it holds back no later event of its order. */
    holds_order?: number;
  };
  /** A delivery that got through: reordered earlier events of its order to the same URL, held for it, go now. */
  overtakes?: { order_id: string; url: string; event_seq: number };
}

/** Attempts kept in the log: how many, how many got an HTTP answer, how many a 2xx one. */
export interface AttemptCounts {
  total: number;
  answered: number;
  ok: number;
}

const deliveries = leaseQueue({
  table: 'webhook_deliveries',
  key: 'seq',
  due: (eb, nowUs) => eb.and([eb('status', 'in', ACTIVE_STATUSES), eb('next_attempt_at', '<=', nowUs)]),
  // One at a time per order and URL, in event order.
  claimable: (eb) =>
    eb.not(
      eb.exists(
        eb
          .selectFrom('webhook_deliveries as e')
          .select(sql<number>`1`.as('one'))
          .whereRef('e.order_id', '=', 'webhook_deliveries.order_id')
          .whereRef('e.url', '=', 'webhook_deliveries.url')
          .whereRef('e.event_seq', '<', 'webhook_deliveries.event_seq')
          .where('e.status', 'in', ACTIVE_STATUSES)
          // A reordered delivery or a duplicate copy holds nothing back.
          .where('e.holds_order', '=', 1),
      ),
    ),
  dueAt: 'next_attempt_at',
});

/** A reordered delivery of this order to this URL still held back, waiting for a later event to overtake it. */
function reorderedWaiting(
  eb: ExpressionBuilder<Database, 'webhook_deliveries'>,
  orderId: string,
  url: string,
  now: number,
): Expression<SqlBool> {
  return eb.and([
    eb('order_id', '=', orderId),
    eb('url', '=', url),
    eb('status', 'in', ACTIVE_STATUSES),
    eb('holds_order', '=', 0),
    eb('next_attempt_at', '>', now),
    eb('chaos', 'like', `%${REORDER_MARK}%`),
  ]);
}

const decodeDelivery = (row: WebhookDeliveryRow): WebhookDelivery => ({
  ...row,
  status: row.status as DeliveryStatus,
  schedule: row.schedule === null ? null : (JSON.parse(row.schedule) as number[]),
  chaos: row.chaos === null ? null : (JSON.parse(row.chaos) as DeliveryChaos),
});
const decodeAttempt = (row: WebhookAttemptRow): WebhookAttempt => ({
  ...row,
  request_headers: JSON.parse(row.request_headers) as Record<string, string>,
});
const encodeAttempt = (attempt: NewAttempt) => ({ ...attempt, request_headers: JSON.stringify(attempt.request_headers) });

export const webhookDeliveriesRepo = {
  /** What one company's events and settings reach: its own deliveries. */
  forCompany(companyId: string) {
    return {
      /** A company merge: every delivery (and its attempts) of this company joins `toCompanyId`; answers how many moved. */
      async moveAllTo(db: Db, toCompanyId: string): Promise<number> {
        const moved = await moveCompanyRows(db, 'webhook_deliveries', companyId, toCompanyId);
        await moveCompanyRows(db, 'webhook_attempts', companyId, toCompanyId);
        return moved;
      },

      async insertMany(db: Db, rows: NewDelivery[]): Promise<void> {
        await insertRows(
          db,
          'webhook_deliveries',
          rows.map((r) => ({
            ...r,
            company_id: companyId,
            schedule: r.schedule ? JSON.stringify(r.schedule) : null,
            chaos: encodeChaos(r.chaos ?? null),
          })),
        );
      },

      /** Whether a reordered delivery of this order to this URL is still waiting to be overtaken. */
      async reorderWaiting(db: Db, orderId: string, url: string, now: number): Promise<boolean> {
        const row = await db
          .selectFrom('webhook_deliveries')
          .select('seq')
          .where('company_id', '=', companyId)
          .where((eb) => reorderedWaiting(eb, orderId, url, now))
          .executeTakeFirst();
        return row !== undefined;
      },

      /** The sandbox's "deliver everything due now": every delivery waiting for a later time is due now; answers how many. */
      async makeDueNow(db: Db, now: number): Promise<number> {
        const res = await db
          .updateTable('webhook_deliveries')
          .set({ next_attempt_at: now, updated_at: now })
          .where('company_id', '=', companyId)
          .where('status', 'in', ACTIVE_STATUSES)
          .where('next_attempt_at', '>', now)
          .executeTakeFirst();
        return Number(res.numUpdatedRows);
      },

      /** Cancels every delivery still waiting, or only those to a URL not in `keepUrls`; answers how many. */
      async cancelActive(db: Db, now: number, keepUrls: readonly string[] = []): Promise<number> {
        let query = db
          .updateTable('webhook_deliveries')
          .set({ status: 'cancelled', completed_at: now, updated_at: now })
          .where('company_id', '=', companyId)
          .where('status', 'in', ACTIVE_STATUSES);
        if (keepUrls.length) query = query.where('url', 'not in', keepUrls);
        const res = await query.executeTakeFirst();
        return Number(res.numUpdatedRows);
      },
    };
  },

  /** The dispatcher, the operator, the console and the metrics: across companies. */
  system: {
    /** Leases up to `limit` due deliveries that are first in line for their order and URL. */
    async claim(
      db: Db,
      dialect: DialectName,
      opts: { nowUs: number; limit: number; leaseMs: number; owner: string },
    ): Promise<WebhookDelivery[]> {
      return (await deliveries.claim(db, dialect, opts)).map(decodeDelivery);
    },

    /** Extends the leases `owner` still holds among `seqs` to `untilUs`. */
    async renewLeases(db: Db, dialect: DialectName, seqs: number[], owner: string, untilUs: number): Promise<number> {
      return deliveries.renew(db, dialect, seqs, owner, untilUs);
    },

    /**
     * Moves each delivery on and logs its attempt, in one transaction for the whole batch, for the
     * deliveries whose lease is still the sender's: an attempt is logged once, by the lease holder.
     */
    async recordResults(db: Db, results: AttemptResult[]): Promise<void> {
      if (results.length === 0) return;
      await db.transaction().execute(async (tx) => {
        const attempts: NewAttempt[] = [];
        for (const r of results) {
          // A delivery cancelled while in flight stays cancelled unless the attempt got through.
          const delivered = r.update.status === 'delivered';
          let ours = await deliveries.release(
            tx,
            r.seq,
            r.owner,
            r.update,
            delivered ? undefined : (eb) => eb('status', 'in', ACTIVE_STATUSES),
          );
          if (!ours && !delivered) ours = await deliveries.release(tx, r.seq, r.owner);
          if (ours) attempts.push(r.attempt);
          const { overtakes } = r;
          if (ours && overtakes) {
            // Reordered deliveries held for a later event go as soon as one is through.
            await tx
              .updateTable('webhook_deliveries')
              .set({ next_attempt_at: r.update.updated_at })
              .where((eb) => reorderedWaiting(eb, overtakes.order_id, overtakes.url, r.update.updated_at))
              .where('event_seq', '<', overtakes.event_seq)
              .execute();
          }
        }
        if (attempts.length) await tx.insertInto('webhook_attempts').values(attempts.map(encodeAttempt)).execute();
      });
    },

    async list(db: Db, filter: DeliveryFilter, page: { limit: number; offset: number }): Promise<WebhookDelivery[]> {
      let q = db.selectFrom('webhook_deliveries').selectAll();
      if (filter.orderId !== undefined) q = q.where('order_id', '=', filter.orderId);
      if (filter.companyId !== undefined) q = q.where('company_id', '=', filter.companyId);
      if (filter.status !== undefined) q = q.where('status', '=', filter.status);
      const rows = await q
        .orderBy('created_at', 'desc')
        .orderBy('seq', 'desc')
        .limit(page.limit + 1)
        .offset(page.offset)
        .execute();
      return rows.map(decodeDelivery);
    },

    async findById(db: Db, id: string): Promise<WebhookDelivery | undefined> {
      const row = await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
      return row && decodeDelivery(row);
    },

    async attemptsFor(db: Db, deliveryIds: string[]): Promise<WebhookAttempt[]> {
      if (deliveryIds.length === 0) return [];
      const rows = await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('seq').execute();
      return rows.map(decodeAttempt);
    },

    /** Queues a finished delivery again: a fresh run of the schedule, same body and webhook-id. */
    async requeue(db: Db, id: string, now: number): Promise<boolean> {
      const res = await db
        .updateTable('webhook_deliveries')
        .set({
          status: 'pending',
          attempt_count: 0,
          next_attempt_at: now,
          completed_at: null,
          updated_at: now,
          lease_until: null,
          lease_owner: null,
        })
        .where('id', '=', id)
        .where('status', 'not in', ACTIVE_STATUSES)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    async pruneBefore(db: Db, cutoff: number): Promise<{ attempts: number; deliveries: number }> {
      const attempts = await db.deleteFrom('webhook_attempts').where('attempted_at', '<', cutoff).executeTakeFirst();
      const deliveries = await db
        .deleteFrom('webhook_deliveries')
        .where('status', 'not in', ACTIVE_STATUSES)
        .where('completed_at', '<', cutoff)
        .executeTakeFirst();
      return { attempts: Number(attempts.numDeletedRows), deliveries: Number(deliveries.numDeletedRows) };
    },

    /** Deliveries due now (in flight or waiting for a dispatcher), and the oldest due time. */
    async backlog(db: Db, nowUs: number): Promise<Backlog> {
      return deliveries.backlog(db, nowUs);
    },

    /** Every delivery kept, by status. */
    async countByStatus(db: Db): Promise<{ status: DeliveryStatus; count: number }[]> {
      const rows = await db
        .selectFrom('webhook_deliveries')
        .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      return rows.map((r) => ({ status: r.status as DeliveryStatus, count: Number(r.n) }));
    },

    /** The attempts kept in the log (since `sinceUs`, when given) by result. */
    async attemptCounts(db: Db, sinceUs?: number): Promise<AttemptCounts> {
      let q = db.selectFrom('webhook_attempts').select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.count<number>('status_code').as('answered'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(eb.and([eb('status_code', '>=', 200), eb('status_code', '<', 300)]))
              .then(1)
              .else(0)
              .end(),
          )
          .as('ok'),
      ]);
      if (sinceUs !== undefined) q = q.where('attempted_at', '>=', sinceUs);
      const row = await q.executeTakeFirst();
      return { total: Number(row?.total ?? 0), answered: Number(row?.answered ?? 0), ok: Number(row?.ok ?? 0) };
    },
  },
};
