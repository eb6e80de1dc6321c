// The operator's view of webhooks: the delivery log with every attempt, replays, the signing
// secret of each company, and pruning of old attempts.
import { NotFoundError, ConflictError } from '../../errors.js';
import { isUuid, toEpochSeconds } from '../../domain/clock.js';
import { paginate, type Page } from '../../domain/pagination.js';
import type { WebhookSecretRow } from '../../db/tables/webhooks.js';
import type { ServiceDeps } from '../deps.js';
import { companyRepo } from '../company/company-repo.js';
import { webhookDeliveriesRepo, type DeliveryFilter, type WebhookAttempt, type WebhookDelivery } from './webhook-deliveries-repo.js';
import { webhookSecretsFactory } from './webhook-secrets.js';

export function attemptView(row: WebhookAttempt) {
  return {
    attempted_at: toEpochSeconds(row.attempted_at),
    url: row.url,
    request_headers: row.request_headers,
    status_code: row.status_code,
    error: row.error,
    latency_ms: row.latency_ms,
    response_excerpt: row.response_excerpt,
    chaos: row.chaos,
  };
}

export function deliveryView(row: WebhookDelivery, attempts: WebhookAttempt[]) {
  const active = row.status === 'pending' || row.status === 'retrying';
  return {
    id: row.id,
    webhook_id: row.event_id,
    order_id: row.order_id,
    company_id: row.company_id,
    trigger: row.trigger,
    url: row.url,
    status: row.status,
    body: row.body,
    attempt_count: row.attempt_count,
    next_attempt_at: active ? toEpochSeconds(row.next_attempt_at) : null,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    created_at: toEpochSeconds(row.created_at),
    completed_at: toEpochSeconds(row.completed_at),
    chaos: row.chaos,
    attempts: attempts.map(attemptView),
  };
}

export function secretView(row: WebhookSecretRow, nowUs: number) {
  const overlap = row.previous_secret !== null && row.previous_expires_at !== null && row.previous_expires_at > nowUs;
  return {
    secret: row.secret,
    previous_secret: overlap ? row.previous_secret : null,
    previous_secret_expires_at: overlap ? toEpochSeconds(row.previous_expires_at) : null,
    created_at: toEpochSeconds(row.created_at),
    rotated_at: toEpochSeconds(row.rotated_at),
  };
}

export function webhooksServiceFactory(deps: Pick<ServiceDeps, 'db' | 'clock' | 'config'>) {
  const { db, clock, config } = deps;
  const secrets = webhookSecretsFactory(deps);

  async function companyExists(companyId: string): Promise<void> {
    const row = isUuid(companyId) ? await companyRepo.system.findById(db, companyId) : undefined;
    if (!row) throw new NotFoundError('Company not found.');
  }

  const deliveries = webhookDeliveriesRepo.system;

  async function withAttempts(rows: WebhookDelivery[]) {
    const attempts = await deliveries.attemptsFor(
      db,
      rows.map((r) => r.id),
    );
    const byDelivery = new Map<string, WebhookAttempt[]>();
    for (const a of attempts) byDelivery.set(a.delivery_id, [...(byDelivery.get(a.delivery_id) ?? []), a]);
    return rows.map((r) => deliveryView(r, byDelivery.get(r.id) ?? []));
  }

  return {
    async listDeliveries(page: Page, filter: DeliveryFilter) {
      const result = paginate(await deliveries.list(db, filter, page), page);
      return { pagination: result.pagination, items: await withAttempts(result.items) };
    },

    async getDelivery(id: string) {
      const row = isUuid(id) ? await deliveries.findById(db, id) : undefined;
      if (!row) throw new NotFoundError('Webhook delivery not found.');
      return (await withAttempts([row]))[0]!;
    },

    /** Sends a finished delivery again: same body and webhook-id, a fresh run of the schedule. */
    async replay(id: string) {
      const row = isUuid(id) ? await deliveries.findById(db, id) : undefined;
      if (!row) throw new NotFoundError('Webhook delivery not found.');
      if (!(await deliveries.requeue(db, id, clock.nowUs()))) {
        throw new ConflictError('This delivery is still queued; it will be attempted without a replay.');
      }
      return this.getDelivery(id);
    },

    async getSecret(companyId: string) {
      await companyExists(companyId);
      const row = await db.transaction().execute((tx) => secrets.ensure(tx, companyId));
      return secretView(row, clock.nowUs());
    },

    async rotateSecret(companyId: string) {
      await companyExists(companyId);
      const row = await db.transaction().execute((tx) => secrets.rotate(tx, companyId));
      return secretView(row, clock.nowUs());
    },

    /** Deletes attempts, and finished deliveries, older than the retention period. */
    async prune() {
      return deliveries.pruneBefore(db, clock.nowUs() - config.webhookRetentionDays * 86_400 * 1e6);
    },

    /** Deliveries due now (in flight or waiting for a dispatcher) and the oldest due time. */
    async backlog() {
      return deliveries.backlog(db, clock.nowUs());
    },

    /** Attempts since `sinceUs`, and how many of them got a 2xx answer. */
    async attemptsSince(sinceUs: number) {
      const counts = await deliveries.attemptCounts(db, sinceUs);
      return { total: counts.total, ok: counts.ok };
    },
  };
}

export type WebhooksService = ReturnType<typeof webhooksServiceFactory>;
