// The request_log table: written in batches by the request log's buffer, read by the operator
// (API, console, CLI), trimmed by the worker (retention and a row cap per company).
import type { Insertable } from 'kysely';
import type { Db } from '../../db/dialect.js';
import { insertRows } from '../../db/insert-row.js';
import type { RequestLogRow, RequestLogTable } from '../../db/tables/request-log.js';

/** An entry; read by id, its bodies are their texts, in a list their hashes. */
export type RequestLogEntry = Omit<RequestLogRow, 'request_truncated' | 'response_truncated'> & {
  request_truncated: boolean;
  response_truncated: boolean;
};
export type NewRequestLogEntry = Omit<Insertable<RequestLogTable>, 'seq' | 'request_truncated' | 'response_truncated'> & {
  request_truncated: boolean;
  response_truncated: boolean;
};

export interface RequestLogFilter {
  /** An exact status, or a class: 4 for 4xx, 5 for 5xx. */
  status?: { exact: number } | { hundreds: number };
  method?: string;
  /** The path itself, or any path below it (`/orders` takes `/orders/…` too). */
  path?: string;
  /** Requests that arrived at or after this time (µs). */
  sinceUs?: number;
  requestId?: string;
  /** Only entries written after this one (the CLI's --follow). */
  afterSeq?: number;
}

const decode = (row: RequestLogRow): RequestLogEntry => ({
  ...row,
  seq: Number(row.seq),
  at: Number(row.at),
  request_truncated: row.request_truncated === 1,
  response_truncated: row.response_truncated === 1,
});

export const requestLogRepo = {
  /** One company's log, as the operator reads it. */
  forCompany(companyId: string) {
    return {
      /** Newest first; reads `limit + 1` rows for paging. */
      async list(db: Db, filter: RequestLogFilter, page: { limit: number; offset: number }): Promise<RequestLogEntry[]> {
        let q = db.selectFrom('request_log').selectAll().where('company_id', '=', companyId);
        const { status } = filter;
        if (status && 'exact' in status) q = q.where('status', '=', status.exact);
        if (status && 'hundreds' in status)
          q = q.where('status', '>=', status.hundreds * 100).where('status', '<', status.hundreds * 100 + 100);
        if (filter.method !== undefined) q = q.where('method', '=', filter.method);
        if (filter.path !== undefined) {
          const base = filter.path.replace(/\/+$/, '') || '/';
          const below = `${base === '/' ? '' : base}/`;
          q = q.where((eb) =>
            eb.or([eb('path', '=', base), eb(eb.fn<string>('substr', ['path', eb.val(1), eb.val(below.length)]), '=', below)]),
          );
        }
        if (filter.sinceUs !== undefined) q = q.where('at', '>=', filter.sinceUs);
        if (filter.requestId !== undefined) q = q.where('request_id', '=', filter.requestId);
        if (filter.afterSeq !== undefined) q = q.where('seq', '>', filter.afterSeq);
        const rows = await q
          .orderBy('seq', 'desc')
          .limit(page.limit + 1)
          .offset(page.offset)
          .execute();
        return rows.map(decode);
      },

      /** One entry with its bodies' texts in place of their hashes. */
      async find(db: Db, id: string): Promise<RequestLogEntry | undefined> {
        const row = await db
          .selectFrom('request_log as r')
          .leftJoin('request_log_bodies as q', 'q.hash', 'r.request_body')
          .leftJoin('request_log_bodies as a', 'a.hash', 'r.response_body')
          .selectAll('r')
          .select(['q.body as request_text', 'a.body as response_text'])
          .where('r.company_id', '=', companyId)
          .where('r.id', '=', id)
          .executeTakeFirst();
        if (!row) return undefined;
        const { request_text, response_text, ...entry } = row;
        return decode({ ...entry, request_body: request_text, response_body: response_text });
      },
    };
  },

  /** The buffer's flush and the worker's trimming: across companies. */
  system: {
    /**
     * One transaction for the batch: the bodies it names (each stored once by its hash, its last
     * use moved on), then the entries, with a few multi-row statements.
     */
    async insertMany(db: Db, entries: NewRequestLogEntry[], bodies: ReadonlyMap<string, string>, nowUs: number): Promise<void> {
      if (entries.length === 0) return;
      await db.transaction().execute(async (tx) => {
        await insertRows(
          tx,
          'request_log_bodies',
          [...bodies].map(([hash, body]) => ({ hash, body, last_used_at: nowUs })),
          { key: 'hash', update: ['last_used_at'] },
        );
        await insertRows(
          tx,
          'request_log',
          entries.map((e) => ({ ...e, request_truncated: e.request_truncated ? 1 : 0, response_truncated: e.response_truncated ? 1 : 0 })),
        );
      });
    },

    /** Deletes entries older than `cutoffUs`; answers how many. */
    async pruneBefore(db: Db, cutoffUs: number): Promise<number> {
      const res = await db.deleteFrom('request_log').where('at', '<', cutoffUs).executeTakeFirst();
      await db.deleteFrom('request_log_bodies').where('last_used_at', '<', cutoffUs).execute();
      return Number(res.numDeletedRows);
    },

    /** Keeps each company's newest `maxRows` entries; answers how many were deleted. */
    async capPerCompany(db: Db, maxRows: number): Promise<number> {
      const over = await db
        .selectFrom('request_log')
        .select('company_id')
        .groupBy('company_id')
        .having((eb) => eb.fn.countAll(), '>', maxRows)
        .execute();
      let deleted = 0;
      for (const { company_id } of over) {
        const oldestKept = await db
          .selectFrom('request_log')
          .select('seq')
          .where('company_id', '=', company_id)
          .orderBy('seq', 'desc')
          .limit(1)
          .offset(maxRows - 1)
          .executeTakeFirst();
        if (!oldestKept) continue;
        const res = await db
          .deleteFrom('request_log')
          .where('company_id', '=', company_id)
          .where('seq', '<', oldestKept.seq)
          .executeTakeFirst();
        deleted += Number(res.numDeletedRows);
      }
      return deleted;
    },
  },
};
