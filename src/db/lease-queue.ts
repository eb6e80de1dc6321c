// The one lease queue: a table whose rows are pieces of work (orders in production, webhook
// deliveries) is worked by any number of processes sharing the database. A worker claims due rows
// for a short lease, renews the lease while the work runs, and hands the row back (done, or to be
// retried) only while the lease is still its own. A worker that dies stops renewing, and its rows
// are claimed again once the lease runs out.
import {
  expressionBuilder,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  type SqlBool,
  type UpdateObject,
} from 'kysely';
import type { DialectName } from './database.js';
import { lockSkipLocked, type Db } from './dialect.js';
import type { Database } from './schema.js';

/** The tables worked as a queue; each has `lease_until` (µs) and `lease_owner`. */
export type LeasedTable = 'orders' | 'webhook_deliveries';

type Column<T extends LeasedTable> = keyof Database[T] & string;
type KeyValue<T extends LeasedTable, K extends Column<T>> = Selectable<Database[T]>[K & keyof Selectable<Database[T]>];

export interface LeaseSpec<T extends LeasedTable, K extends Column<T>> {
  table: T;
  /** The primary key: what renew and release address. */
  key: K;
  /** The rows whose work is due at `nowUs`, leased or not (the backlog). */
  due: (eb: ExpressionBuilder<Database, T>, nowUs: number) => Expression<SqlBool>;
  /** A further condition a due row must meet to be claimed (say, its turn in an order). */
  claimable?: (eb: ExpressionBuilder<Database, T>) => Expression<SqlBool>;
  /** When a row fell due: the claim takes the oldest first, and the backlog's age is read from it. */
  dueAt: Column<T>;
}

export interface ClaimOptions {
  nowUs: number;
  limit: number;
  leaseMs: number;
  owner: string;
}

export interface Backlog {
  /** Rows due now, leased or not. */
  depth: number;
  /** When the longest-waiting of them fell due; null when none is due. */
  oldestDueUs: number | null;
}

/**
 * The queue's view of whichever table it works on: the key, the lease columns and the due time.
 * Every statement below is built once against this view and runs on the real table and columns,
 * named at run time by the spec.
 */
interface LeaseView {
  work: { key: string | number; lease_until: number | null; lease_owner: string | null; due_at: number | null };
}

export interface LeaseQueue<T extends LeasedTable, K extends Column<T>> {
  /**
   * Leases up to `limit` due rows that no live lease holds, oldest due first, in one UPDATE … RETURNING.
   * On PostgreSQL the candidates are locked with SKIP LOCKED, so concurrent claims take disjoint
   * rows without waiting on each other; SQLite runs one writer at a time.
   */
  claim(db: Db, dialect: DialectName, opts: ClaimOptions): Promise<Selectable<Database[T]>[]>;
  /**
   * Extends to `untilUs` the leases among `keys` that `owner` still holds; answers how many. Rows
   * locked by a running transaction are skipped (PostgreSQL) rather than waited on: the next
   * renewal takes them, and a renewal never deadlocks with a multi-row update.
   */
  renew(db: Db, dialect: DialectName, keys: KeyValue<T, K>[], owner: string, untilUs: number): Promise<number>;
  /**
   * Ends `owner`'s lease on one row, writing `values` with it, only while the lease is still the
   * owner's (and `onlyIf` holds). Answers whether it was: false means another worker has the row.
   */
  release(
    db: Db,
    key: KeyValue<T, K>,
    owner: string,
    values?: UpdateObject<Database, T>,
    onlyIf?: (eb: ExpressionBuilder<Database, T>) => Expression<SqlBool>,
  ): Promise<boolean>;
  /** How much work is due at `nowUs` and how long the oldest has waited. */
  backlog(db: Db, nowUs: number): Promise<Backlog>;
}

export function leaseQueue<T extends LeasedTable, K extends Column<T>>(spec: LeaseSpec<T, K>): LeaseQueue<T, K> {
  type Row = Selectable<Database[T]>;
  // The real table's name, typed as the view's.
  const work = spec.table as unknown as 'work';
  const view = (db: Db) => db as unknown as Kysely<LeaseView>;
  const eb = expressionBuilder<Database, T>();
  const keyOf = (db: Db) => view(db).dynamic.ref<'key'>(spec.key);
  const dueAtOf = (db: Db) => view(db).dynamic.ref<'due_at'>(spec.dueAt);
  const free = (nowUs: number) => (w: ExpressionBuilder<LeaseView, 'work'>) =>
    w.or([w('lease_until', 'is', null), w('lease_until', '<', nowUs)]);
  const sortKey = (row: Row) =>
    [(row as Record<string, unknown>)[spec.dueAt], (row as Record<string, unknown>)[spec.key]] as (string | number)[];
  const byDue = (a: Row, b: Row) => {
    const [x, y] = [sortKey(a), sortKey(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  };

  return {
    async claim(db, dialect, { nowUs, limit, leaseMs, owner }) {
      const key = keyOf(db);
      let due = view(db).selectFrom(work).select(key).where(spec.due(eb, nowUs)).where(free(nowUs));
      if (spec.claimable) due = due.where(spec.claimable(eb));
      due = lockSkipLocked(dialect, due.orderBy(dueAtOf(db)).orderBy(key).limit(limit));
      const rows = await view(db)
        .updateTable(work)
        .set({ lease_until: nowUs + leaseMs * 1000, lease_owner: owner })
        .where(key, 'in', due)
        .where(free(nowUs))
        .returningAll()
        .execute();
      return (rows as unknown as Row[]).sort(byDue);
    },

    async renew(db, dialect, keys, owner, untilUs) {
      if (keys.length === 0) return 0;
      const key = keyOf(db);
      const held = (keys as unknown[]).map((k) => k as string | number);
      const ours = lockSkipLocked(dialect, view(db).selectFrom(work).select(key).where(key, 'in', held).where('lease_owner', '=', owner));
      const res = await view(db)
        .updateTable(work)
        .set({ lease_until: untilUs })
        .where(key, 'in', ours)
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      return Number(res.numUpdatedRows);
    },

    async release(db, key, owner, values, onlyIf) {
      const set = { ...(values as object), lease_until: null, lease_owner: null } as UpdateObject<LeaseView, 'work'>;
      let q = view(db)
        .updateTable(work)
        .set(set)
        .where(keyOf(db), '=', key as unknown as string | number)
        .where('lease_owner', '=', owner);
      if (onlyIf) q = q.where(onlyIf(eb));
      const res = await q.executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    async backlog(db, nowUs) {
      const row = await view(db)
        .selectFrom(work)
        .select((w) => [w.fn.countAll<number>().as('depth'), w.fn.min(dueAtOf(db)).as('oldest')])
        .where(spec.due(eb, nowUs))
        .executeTakeFirstOrThrow();
      return { depth: Number(row.depth), oldestDueUs: row.oldest === null || row.oldest === undefined ? null : Number(row.oldest) };
    },
  };
}
