// Queries on webhook deliveries and attempts. The deliveries table is its own job queue: a
// delivery is claimed with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL), and only when no
// earlier event of the same order is still waiting for the same URL.
import { sql } from 'kysely';
import type { Db } from '../../db/dialect.js';
import { lockSkipLocked } from '../../db/dialect.js';
import type { DialectName } from '../../db/database.js';
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookDeliveriesTable, WebhookAttemptsTable } from '../../db/tables/webhooks.js';
import type { Insertable } from 'kysely';

/** Statuses of a delivery that still has attempts ahead of it. */
export const ACTIVE_STATUSES = ['pending', 'retrying'] as const;
export const DELIVERY_STATUSES = ['pending', 'retrying', 'delivered', 'failed', 'gone', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryFilter {
  orderId?: string;
  companyId?: string;
  status?: DeliveryStatus;
}

export interface AttemptResult {
  seq: number;
  owner: string;
  attempt: Insertable<WebhookAttemptsTable>;
  /** What the delivery becomes; `null` fields are written as null. */
  update: { status: DeliveryStatus; attempt_count: number; next_attempt_at: number; last_status_code: number | null; last_error: string | null; updated_at: number; completed_at: number | null };
}

export const webhookDeliveriesRepo = {
  async insertMany(db: Db, rows: Insertable<WebhookDeliveriesTable>[]): Promise<void> {
    if (rows.length) await db.insertInto('webhook_deliveries').values(rows).execute();
  },

  /** Leases up to `limit` due deliveries that are first in line for their order and URL. */
  async claim(db: Db, dialect: DialectName, opts: { now: number; limit: number; leaseUntil: number; owner: string }): Promise<WebhookDeliveryRow[]> {
    const due = lockSkipLocked(
      dialect,
      db
        .selectFrom('webhook_deliveries as d')
        .select('d.seq')
        .where('d.status', 'in', ACTIVE_STATUSES)
        .where('d.next_attempt_at', '<=', opts.now)
        .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', opts.now)]))
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('webhook_deliveries as e')
                .select(sql<number>`1`.as('one'))
                .whereRef('e.order_id', '=', 'd.order_id')
                .whereRef('e.url', '=', 'd.url')
                .whereRef('e.event_seq', '<', 'd.event_seq')
                .where('e.status', 'in', ACTIVE_STATUSES),
            ),
          ),
        )
        .orderBy('d.next_attempt_at')
        .orderBy('d.seq')
        .limit(opts.limit),
    );
    const rows = await db
      .updateTable('webhook_deliveries')
      .set({ lease_until: opts.leaseUntil, lease_owner: opts.owner })
      .where('seq', 'in', due)
      .returningAll()
      .execute();
    return rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.seq - b.seq);
  },

  /** Logs each attempt and moves its delivery on, in one transaction for the whole batch. */
  async recordResults(db: Db, results: AttemptResult[]): Promise<void> {
    if (results.length === 0) return;
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('webhook_attempts').values(results.map((r) => r.attempt)).execute();
      for (const r of results) {
        let q = tx
          .updateTable('webhook_deliveries')
          .set({ ...r.update, lease_until: null, lease_owner: null })
          .where('seq', '=', r.seq)
          .where('lease_owner', '=', r.owner);
        // A delivery cancelled while in flight stays cancelled unless the attempt got through.
        if (r.update.status !== 'delivered') q = q.where('status', 'in', ACTIVE_STATUSES);
        await q.execute();
      }
    });
  },

  async cancelActiveForCompany(db: Db, companyId: string, now: number): Promise<number> {
    const res = await db
      .updateTable('webhook_deliveries')
      .set({ status: 'cancelled', completed_at: now, updated_at: now })
      .where('company_id', '=', companyId)
      .where('status', 'in', ACTIVE_STATUSES)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  },

  async list(db: Db, filter: DeliveryFilter, page: { limit: number; offset: number }): Promise<WebhookDeliveryRow[]> {
    let q = db.selectFrom('webhook_deliveries').selectAll();
    if (filter.orderId !== undefined) q = q.where('order_id', '=', filter.orderId);
    if (filter.companyId !== undefined) q = q.where('company_id', '=', filter.companyId);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    return q.orderBy('created_at', 'desc').orderBy('seq', 'desc').limit(page.limit + 1).offset(page.offset).execute();
  },

  async findById(db: Db, id: string): Promise<WebhookDeliveryRow | undefined> {
    return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async attemptsFor(db: Db, deliveryIds: string[]): Promise<WebhookAttemptRow[]> {
    if (deliveryIds.length === 0) return [];
    return db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('seq').execute();
  },

  /** Queues a finished delivery again: a fresh run of the schedule, same body and webhook-id. */
  async requeue(db: Db, id: string, now: number): Promise<boolean> {
    const res = await db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', attempt_count: 0, next_attempt_at: now, completed_at: null, updated_at: now, lease_until: null, lease_owner: null })
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
};
