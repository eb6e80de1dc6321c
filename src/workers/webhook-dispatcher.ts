// The webhook dispatcher: claims due deliveries with a lease, sends them concurrently, then logs
// every attempt and moves each delivery on in one transaction. Any number of dispatchers can
// share one database; a crashed one's deliveries come back when their lease expires.
import os from 'node:os';
import { VERSION } from '../version.js';
import type { ServiceDeps } from '../services/deps.js';
import { webhookDeliveriesRepo, type AttemptResult } from '../services/webhooks/webhook-deliveries-repo.js';
import { webhookSecretsRepo } from '../services/webhooks/webhook-secrets-repo.js';
import { activeSecrets } from '../services/webhooks/webhook-secrets.js';
import { signatureHeader } from '../services/webhooks/webhook-signature.js';
import { nextStep } from '../services/webhooks/webhook-retry.js';
import { createWebhookSender, type WebhookSender } from '../services/webhooks/webhook-sender.js';
import type { WebhooksService } from '../services/webhooks/webhooks-service.js';
import type { WebhookDeliveryRow } from '../db/tables/webhooks.js';
import { startLoop, type WorkerLoop } from './loop.js';

export const USER_AGENT = `casa-integrate/${VERSION}`;
const PRUNE_EVERY_US = 3600 * 1e6;

export interface DispatcherOptions {
  /** Deliveries claimed (and sent concurrently) per round. */
  batchSize?: number;
  /** Poll interval when idle. */
  intervalMs?: number;
  owner?: string;
  /** Injected for tests; by default undici with the configured timeouts and SSRF guard. */
  sender?: WebhookSender;
}

export interface WebhookDispatcher {
  /** One round: claim, send, record. Resolves to the number of deliveries attempted. */
  dispatchOnce(): Promise<number>;
  /** Runs rounds until nothing is due (tests use it). */
  drain(): Promise<number>;
  /** Starts the polling loop. */
  start(): WorkerLoop;
  close(): Promise<void>;
}

export function createWebhookDispatcher(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock' | 'config' | 'log'> & { webhooks: Pick<WebhooksService, 'prune'> },
  opts: DispatcherOptions = {},
): WebhookDispatcher {
  const { db, dialect, clock, config, log } = deps;
  const batchSize = opts.batchSize ?? 200;
  const owner = opts.owner ?? `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
  const timeoutMs = Math.round(config.webhookTimeoutS * 1000);
  // Longer than the longest attempt (connect + answer), so a live lease is never taken over.
  const leaseUs = (2 * timeoutMs + 5_000) * 1000;
  const sender = opts.sender ?? createWebhookSender({ timeoutMs, allowPrivate: config.webhookAllowPrivate, connections: 64 });
  let lastPruneUs = 0;
  let loop: WorkerLoop | null = null;

  async function attempt(delivery: WebhookDeliveryRow, secrets: string[]): Promise<AttemptResult> {
    const attemptedAt = clock.nowUs();
    const timestampS = Math.floor(attemptedAt / 1e6);
    const headers = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'webhook-id': delivery.event_id,
      'webhook-timestamp': String(timestampS),
      'webhook-signature': signatureHeader(secrets, delivery.event_id, timestampS, delivery.body),
    };
    const outcome = await sender.send(delivery.url, headers, delivery.body);
    const attemptsMade = delivery.attempt_count + 1;
    const now = clock.nowUs();
    const step = nextStep(outcome, attemptsMade, config.webhookSchedule, now);
    return {
      seq: delivery.seq,
      owner,
      attempt: {
        delivery_id: delivery.id,
        company_id: delivery.company_id,
        attempted_at: attemptedAt,
        url: delivery.url,
        request_headers: JSON.stringify(headers),
        status_code: outcome.statusCode,
        error: outcome.error,
        latency_ms: outcome.latencyMs,
        response_excerpt: outcome.excerpt,
      },
      update: {
        status: step.status,
        attempt_count: attemptsMade,
        next_attempt_at: step.nextAttemptAt,
        last_status_code: outcome.statusCode,
        last_error: outcome.error,
        updated_at: now,
        completed_at: step.completed ? now : null,
      },
    };
  }

  async function dispatchOnce(): Promise<number> {
    const now = clock.nowUs();
    if (now - lastPruneUs >= PRUNE_EVERY_US) {
      lastPruneUs = now;
      await deps.webhooks.prune();
    }
    const claimed = await webhookDeliveriesRepo.claim(db, dialect, { now, limit: batchSize, leaseUntil: now + leaseUs, owner });
    if (claimed.length === 0) return 0;
    const secretRows = await webhookSecretsRepo.findMany(db, [...new Set(claimed.map((d) => d.company_id))]);
    const secretsByCompany = new Map(secretRows.map((r) => [r.company_id, activeSecrets(r, now)]));
    const results = await Promise.all(
      claimed.map((d) => {
        const secrets = secretsByCompany.get(d.company_id);
        // The outbox creates the secret with the first delivery; a missing one is a broken database.
        if (!secrets) throw new Error(`no webhook secret for company ${d.company_id}`);
        return attempt(d, secrets);
      }),
    );
    await webhookDeliveriesRepo.recordResults(db, results);
    return claimed.length;
  }

  return {
    dispatchOnce,
    async drain() {
      let total = 0;
      for (let n = await dispatchOnce(); n > 0; n = await dispatchOnce()) total += n;
      return total;
    },
    start() {
      loop ??= startLoop({
        name: 'webhooks',
        intervalMs: opts.intervalMs ?? 50,
        tick: dispatchOnce,
        onError: (err) => log.error({ err }, 'webhook dispatch failed'),
      });
      return loop;
    },
    async close() {
      await loop?.stop();
      await sender.close();
    },
  };
}
