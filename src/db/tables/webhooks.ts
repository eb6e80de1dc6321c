// Webhook secrets, deliveries (one per event and URL, claimed with a lease) and their attempts.
// Times are integer microseconds.
import type { Generated, Selectable } from 'kysely';

export interface WebhookSecretsTable {
  company_id: string;
  secret: string; // whsec_<base64 of 32 random bytes>
  previous_secret: string | null; // still signed with until previous_expires_at (rotation)
  previous_expires_at: number | null;
  created_at: number;
  rotated_at: number | null;
}

export interface WebhookDeliveriesTable {
  seq: Generated<number>;
  id: string; // UUID shown by the operator API
  event_id: string; // order_events.id; also the Standard Webhooks `webhook-id`
  event_seq: number; // order_events.seq: deliveries to one URL leave in this order per order id
  order_id: string;
  company_id: string;
  trigger: string;
  url: string;
  body: string; // the exact bytes sent
  status: string; // pending | retrying | delivered | failed | gone | cancelled
  attempt_count: number; // attempts made in the current run (a replay starts a new run)
  next_attempt_at: number;
  lease_until: number | null;
  lease_owner: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
  schedule: string | null; // JSON array of seconds: the company's sandbox schedule when queued; null: CASA_WEBHOOK_SCHEDULE
  chaos: string | null; // JSON: the sandbox chaos planned for this delivery and what was done (webhook-chaos.ts)
  holds_order: Generated<number>; // 1: later events of the order to the same URL wait for it; 0: a reordered or duplicate send
}

export interface WebhookAttemptsTable {
  seq: Generated<number>;
  delivery_id: string;
  company_id: string;
  attempted_at: number;
  url: string;
  request_headers: string; // JSON object: exactly the headers sent
  status_code: number | null;
  error: string | null; // network error, timeout or refusal by the address guard
  latency_ms: number;
  response_excerpt: string | null; // first 1 KiB of the answer
  chaos: string | null; // the sandbox chaos this attempt carried out (fail_first, duplicate), if any
}

export interface WebhookTables {
  webhook_secrets: WebhookSecretsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

export type WebhookSecretRow = Selectable<WebhookSecretsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>;
