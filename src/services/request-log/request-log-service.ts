// The request log (issue 19): every customer API request of a company, kept for the operator.
// The hot path only appends what it saw to a buffer in memory; the buffer is written every 100 ms,
// or at once when FLUSH_ROWS wait, in one insert, and the work of keeping a body (redaction, the
// 16 KiB bound) is done then, off the request. A crash loses what the buffer held (fidelity.md).
import crypto from 'node:crypto';
import { isUuid, toEpochSeconds } from '../../domain/clock.js';
import { keptBody, type KeptBody } from '../../domain/body-redaction.js';
import { paginate, type Page } from '../../domain/pagination.js';
import { NotFoundError } from '../../errors.js';
import type { ServiceDeps } from '../deps.js';
import { assertCompanyExists } from '../company/company-must-exist.js';
import { requestLogRepo, type NewRequestLogEntry, type RequestLogEntry, type RequestLogFilter } from './request-log-repo.js';

export const BODY_MAX_BYTES = 16 * 1024;
const FLUSH_MS = 100;
const FLUSH_ROWS = 500;
/** Beyond this many rows waiting to be written (a database too slow to keep up), new ones are dropped and counted. */
const MAX_PENDING = 20_000;
/** Answers kept by the same text (a cached list page is one string for every request), and URLs: redacted once. */
const MEMO_ENTRIES = 64;

/** A kept body and the hash it is stored under. */
type StoredBody = KeptBody & { hash: string };

/** What the HTTP layer saw of one request. */
export interface RequestRecord {
  companyId: string;
  atUs: number;
  method: string;
  /** The URL after the API base, with its query. */
  url: string;
  operationId: string | null;
  /** Null: the connection was closed unanswered. */
  status: number | null;
  durationMs: number;
  requestId: string;
  idempotencyKey: string | null;
  injectedRule: string | null;
  /** The parsed JSON body, if any. */
  requestBody: unknown;
  /** The answer's text (JSON), or a note standing for a body that is not kept. */
  responseBody: string | null;
}

export interface RequestLogListFilter extends Omit<RequestLogFilter, 'status'> {
  /** `503`, or a class: `5xx`. */
  status?: string;
}

function entryView(e: RequestLogEntry) {
  return {
    id: e.id,
    at: toEpochSeconds(e.at),
    method: e.method,
    path: e.path,
    query: e.query,
    operation_id: e.operation_id,
    status: e.status,
    duration_ms: e.duration_ms,
    request_id: e.request_id,
    idempotency_key: e.idempotency_key,
    injected_rule: e.injected_rule,
  };
}

function entryWithBodies(e: RequestLogEntry) {
  return {
    ...entryView(e),
    request_body: e.request_body,
    request_truncated: e.request_truncated,
    response_body: e.response_body,
    response_truncated: e.response_truncated,
  };
}

export type RequestLogView = ReturnType<typeof entryView>;
export type RequestLogDetail = ReturnType<typeof entryWithBodies>;

function statusFilter(raw: string | undefined): RequestLogFilter['status'] {
  if (raw === undefined) return undefined;
  const cls = /^([1-5])xx$/i.exec(raw);
  return cls ? { hundreds: Number(cls[1]) } : { exact: Number(raw) };
}

function splitUrl(url: string): { path: string; query: string | null } {
  const q = url.indexOf('?');
  if (q === -1) return { path: url || '/', query: null };
  return { path: url.slice(0, q) || '/', query: url.slice(q + 1) || null };
}

/** `compute` remembered for the last MEMO_ENTRIES keys (the oldest forgotten first). */
function memoized<V>(compute: (key: string) => V): (key: string) => V {
  const kept = new Map<string, V>();
  return (key) => {
    if (kept.has(key)) return kept.get(key)!;
    const value = compute(key);
    if (kept.size >= MEMO_ENTRIES) kept.delete(kept.keys().next().value!);
    kept.set(key, value);
    return value;
  };
}

export function requestLogServiceFactory(deps: Pick<ServiceDeps, 'db' | 'clock' | 'ids' | 'config' | 'log'>) {
  const { db, clock, ids, config, log } = deps;
  let buffer: RequestRecord[] = [];
  let pending = 0;
  let dropped = 0;
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;

  function stored(kept: KeptBody | null): StoredBody | null {
    return kept && { ...kept, hash: crypto.createHash('sha256').update(kept.text).digest('base64url') };
  }

  const keptAnswerText = memoized((text) => stored(keptBody(text, BODY_MAX_BYTES)));
  const keptAnswer = (text: string | null): StoredBody | null => (text === null ? null : keptAnswerText(text));

  // Paths and queries redacted, by URL: an integration asks the same few URLs again and again.
  const keptUrl = memoized((url) => {
    const { path, query } = splitUrl(url);
    return { path: keptBody(path, 2048)!.text, query: query === null ? null : keptBody(`?${query}`, 4096)!.text.slice(1) };
  });

  function toRow(r: RequestRecord, bodies: Map<string, string>): NewRequestLogEntry {
    const { path, query } = keptUrl(r.url);
    const request = stored(keptBody(r.requestBody, BODY_MAX_BYTES));
    const response = keptAnswer(r.responseBody);
    if (request) bodies.set(request.hash, request.text);
    if (response) bodies.set(response.hash, response.text);
    return {
      id: ids.uuid(),
      company_id: r.companyId,
      at: r.atUs,
      method: r.method,
      path,
      query,
      operation_id: r.operationId,
      status: r.status,
      duration_ms: Math.round(r.durationMs * 1000) / 1000,
      request_id: r.requestId,
      idempotency_key: r.idempotencyKey,
      injected_rule: r.injectedRule,
      request_body: request?.hash ?? null,
      request_truncated: request?.truncated ?? false,
      response_body: response?.hash ?? null,
      response_truncated: response?.truncated ?? false,
    };
  }

  async function write(batch: RequestRecord[]): Promise<void> {
    try {
      const bodies = new Map<string, string>();
      const rows = batch.map((r) => toRow(r, bodies));
      await requestLogRepo.system.insertMany(db, rows, bodies, clock.nowUs());
    } catch (err) {
      log.warn({ err: (err as Error).message, rows: batch.length }, 'writing the request log failed; these rows are lost');
    } finally {
      pending -= batch.length;
    }
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (buffer.length === 0) return writing;
    const batch = buffer;
    buffer = [];
    writing = writing.then(() => write(batch));
    return writing;
  }

  return {
    /** Whether requests are logged at all (CASA_REQUEST_LOG). */
    enabled: config.requestLog,

    /** Keeps one request; never waits and never throws. */
    record(r: RequestRecord): void {
      if (!config.requestLog || closed) return;
      if (pending >= MAX_PENDING) {
        if (dropped++ % 1000 === 0) log.warn({ dropped }, 'the request log is behind: requests are not being logged');
        return;
      }
      buffer.push(r);
      pending++;
      if (buffer.length >= FLUSH_ROWS) void flush();
      else if (timer === null) {
        timer = setTimeout(() => void flush(), FLUSH_MS);
        timer.unref();
      }
    },

    /** Writes what the buffer holds; resolves once it is in the database. */
    flush,

    /** Writes what is left and takes no more (the server is closing). */
    async close(): Promise<void> {
      closed = true;
      await flush();
    },

    async list(companyId: string, page: Page, filter: RequestLogListFilter) {
      await assertCompanyExists(db, companyId);
      const rows = await requestLogRepo.forCompany(companyId).list(db, { ...filter, status: statusFilter(filter.status) }, page);
      const result = paginate(rows, page);
      return { pagination: result.pagination, items: result.items.map(entryView) };
    },

    /** Entries written after `afterSeq`, oldest first, with the seq to follow on from (the CLI's --follow). */
    async follow(companyId: string, afterSeq: number | null, limit = 100) {
      await assertCompanyExists(db, companyId);
      const rows = await requestLogRepo
        .forCompany(companyId)
        .list(db, afterSeq === null ? {} : { afterSeq }, { limit: afterSeq === null ? limit : 10_000, offset: 0 });
      const taken = rows.slice(0, afterSeq === null ? limit : rows.length).reverse();
      return { items: taken.map(entryView), lastSeq: taken.at(-1)?.seq ?? afterSeq };
    },

    async get(companyId: string, id: string): Promise<RequestLogDetail> {
      await assertCompanyExists(db, companyId);
      const row = isUuid(id) ? await requestLogRepo.forCompany(companyId).find(db, id) : undefined;
      if (!row) throw new NotFoundError('Logged request not found.');
      return entryWithBodies(row);
    },

    /** The worker's trimming: entries past CASA_REQUEST_LOG_RETENTION_DAYS, then each company's oldest past the row cap. */
    async prune(): Promise<{ expired: number; over_cap: number }> {
      const expired = await requestLogRepo.system.pruneBefore(db, clock.nowUs() - config.requestLogRetentionDays * 86_400 * 1e6);
      const over_cap = await requestLogRepo.system.capPerCompany(db, config.requestLogMaxRows);
      return { expired, over_cap };
    },
  };
}

export type RequestLogService = ReturnType<typeof requestLogServiceFactory>;
