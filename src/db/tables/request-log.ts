// The request log (issue 19): every customer API request of a company, kept for
// CASA_REQUEST_LOG_RETENTION_DAYS and up to a row cap per company. Times are integer microseconds.
import type { Generated, Selectable } from 'kysely';

export interface RequestLogTable {
  seq: Generated<number>;
  id: string; // UUID shown by the operator API
  company_id: string;
  at: number; // when the request arrived
  method: string;
  path: string; // after /api/integrate/v3, without the query
  query: string | null; // the query string without `?`, credential-like values redacted
  operation_id: string | null;
  status: number | null; // null: the connection was closed unanswered (a sandbox hang)
  duration_ms: number;
  request_id: string;
  idempotency_key: string | null;
  injected_rule: string | null; // the sandbox fault rules applied, comma-separated
  request_body: string | null; // request_log_bodies.hash of the body (redacted, at most 16 KiB)
  request_truncated: number; // 1: request_body was cut at 16 KiB
  response_body: string | null; // request_log_bodies.hash
  response_truncated: number;
}

/** Bodies by content (SHA-256 of the kept text), shared by every entry that sent or got the same. */
export interface RequestLogBodiesTable {
  hash: string;
  body: string;
  last_used_at: number;
}

export interface RequestLogTables {
  request_log: RequestLogTable;
  request_log_bodies: RequestLogBodiesTable;
}

export type RequestLogRow = Selectable<RequestLogTable>;
