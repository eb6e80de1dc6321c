// The job table behind production and webhook dispatch: jobs are claimed with a lease, so any
// number of workers can share one database and a crashed worker's jobs come back when it expires.
import { sql } from 'kysely';
import type { Db } from '../db/dialect.js';
import type { DialectName } from '../db/database.js';
import type { JobRow } from '../db/schema.js';
import type { Clock } from '../domain/clock.js';

export interface NewJob {
  kind: string;
  refId: string;
  runAtUs: number;
  payload?: unknown;
}

export interface JobQueue {
  /** Adds a job inside the caller's transaction. */
  enqueue(tx: Db, job: NewJob): Promise<void>;
  /** Takes up to `limit` due jobs of `kind` for `leaseMs`; each claim counts an attempt. */
  claim(kind: string, limit: number, leaseMs: number, owner: string): Promise<JobRow[]>;
  /** Removes a finished job (only while its lease is still ours). */
  complete(id: number, owner: string, tx?: Db): Promise<boolean>;
  /** Puts a job back to run at `runAtUs`. */
  reschedule(id: number, owner: string, runAtUs: number, tx?: Db): Promise<void>;
  /** Counts and the age of the oldest due job, per kind. */
  stats(): Promise<{ kind: string; depth: number; oldestRunAtUs: number | null }[]>;
}

export function createJobQueue(db: Db, dialect: DialectName, clock: Clock): JobQueue {
  return {
    async enqueue(tx, job) {
      await tx
        .insertInto('jobs')
        .values({
          kind: job.kind,
          ref_id: job.refId,
          run_at: job.runAtUs,
          lease_until: null,
          lease_owner: null,
          attempts: 0,
          payload: JSON.stringify(job.payload ?? {}),
          created_at: clock.nowUs(),
        })
        .execute();
    },

    async claim(kind, limit, leaseMs, owner) {
      const now = clock.nowUs();
      let due = db
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', kind)
        .where('run_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .orderBy('run_at')
        .orderBy('id')
        .limit(limit);
      if (dialect === 'postgres') due = due.forUpdate().skipLocked();
      return db
        .updateTable('jobs')
        .set({ lease_until: now + leaseMs * 1000, lease_owner: owner, attempts: sql`attempts + 1` })
        .where('id', 'in', due)
        .returningAll()
        .execute()
        .then((rows) => rows.sort((a, b) => a.run_at - b.run_at || a.id - b.id));
    },

    async complete(id, owner, tx = db) {
      const res = await tx.deleteFrom('jobs').where('id', '=', id).where('lease_owner', '=', owner).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },

    async reschedule(id, owner, runAtUs, tx = db) {
      await tx.updateTable('jobs').set({ run_at: runAtUs, lease_until: null, lease_owner: null }).where('id', '=', id).where('lease_owner', '=', owner).execute();
    },

    async stats() {
      const rows = await db
        .selectFrom('jobs')
        .select((eb) => ['kind', eb.fn.countAll<number>().as('depth'), eb.fn.min('run_at').as('oldest')])
        .groupBy('kind')
        .execute();
      return rows.map((r) => ({ kind: r.kind, depth: Number(r.depth), oldestRunAtUs: r.oldest === null ? null : Number(r.oldest) }));
    },
  };
}
