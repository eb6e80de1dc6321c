// The webhook dispatcher: claims due deliveries with a lease, sends them concurrently, then logs
// every attempt and moves each delivery on in one transaction. Any number of dispatchers can
// share one database; the delivery service renews the leases of what is in flight, so a crashed
// dispatcher's deliveries come back when their short lease expires.
import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { VERSION } from '../version.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { AttemptResult, ClaimedDelivery, WebhookDeliveryService } from '../services/webhooks/webhook-delivery-service.js';
import { signatureHeader } from '../services/webhooks/webhook-signature.js';
import { nextStep } from '../services/webhooks/webhook-retry.js';
import { createWebhookSender, type AttemptOutcome, type WebhookSender } from '../services/webhooks/webhook-sender.js';
import { attemptChaos, chaosAfterAttempt, failsFirstNow } from '../services/webhooks/webhook-chaos.js';
import { secondsToUs } from '../domain/clock.js';
import type { WebhooksService } from '../services/webhooks/webhooks-service.js';
import { startLoop, type WorkerLoop } from './loop.js';

export const USER_AGENT = `casa-integrate/${VERSION}`;
const FAILED_ON_PURPOSE: AttemptOutcome = {
  statusCode: null,
  error: 'sandbox fail_first: this first attempt failed on purpose and was not sent',
  latencyMs: 0,
  excerpt: null,
  retryAfterS: null,
};
const PRUNE_EVERY_US = 3600 * 1e6;
const FLUSH_AFTER_MS = 20;

export interface DispatcherOptions {
  /** Deliveries claimed per round, and the most attempts in flight at once. */
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

export interface DispatcherDeps {
  config: Pick<Config, 'webhookTimeoutS' | 'webhookAllowPrivate' | 'webhookSchedule'>;
  clock: Clock;
  log: FastifyBaseLogger;
  webhooks: Pick<WebhooksService, 'prune'>;
  deliveries: Pick<WebhookDeliveryService, 'claim' | 'record' | 'abandon'>;
}

export function createWebhookDispatcher(deps: DispatcherDeps, opts: DispatcherOptions = {}): WebhookDispatcher {
  const { clock, config, log, deliveries } = deps;
  const batchSize = opts.batchSize ?? 200;
  const owner = opts.owner ?? `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
  const timeoutMs = Math.round(config.webhookTimeoutS * 1000);
  const sender = opts.sender ?? createWebhookSender({ timeoutMs, allowPrivate: config.webhookAllowPrivate, connections: 64 });
  let lastPruneUs = 0;
  let loop: WorkerLoop | null = null;

  async function attempt({ delivery, secrets }: ClaimedDelivery): Promise<AttemptResult> {
    const attemptedAt = clock.nowUs();
    const timestampS = Math.floor(attemptedAt / 1e6);
    const headers = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'webhook-id': delivery.event_id,
      'webhook-timestamp': String(timestampS),
      'webhook-signature': signatureHeader(secrets, delivery.event_id, timestampS, delivery.body),
    };
    // Sandbox chaos: the first attempt may fail on purpose, unsent, as if the receiver were down.
    const failsNow = failsFirstNow(delivery.chaos, delivery.attempt_count);
    const outcome = failsNow ? FAILED_ON_PURPOSE : await sender.send(delivery.url, headers, delivery.body);
    const attemptsMade = delivery.attempt_count + 1;
    const now = clock.nowUs();
    let step = nextStep(outcome, attemptsMade, delivery.schedule ?? config.webhookSchedule, now);
    const through = step.status === 'delivered';
    const { duplicateInS, ...chaosUpdate } = chaosAfterAttempt(delivery.chaos, failsNow, through);
    if (duplicateInS !== undefined) step = { status: 'pending', nextAttemptAt: now + secondsToUs(duplicateInS), completed: false };
    return {
      seq: delivery.seq,
      owner,
      attempt: {
        delivery_id: delivery.id,
        company_id: delivery.company_id,
        attempted_at: attemptedAt,
        url: delivery.url,
        request_headers: headers,
        status_code: outcome.statusCode,
        error: outcome.error,
        latency_ms: outcome.latencyMs,
        response_excerpt: outcome.excerpt,
        chaos: attemptChaos(delivery.chaos, delivery.attempt_count, failsNow),
      },
      update: {
        status: step.status,
        // The duplicate copy starts a fresh run of the schedule.
        attempt_count: duplicateInS !== undefined ? 0 : attemptsMade,
        next_attempt_at: step.nextAttemptAt,
        last_status_code: outcome.statusCode,
        last_error: outcome.error,
        updated_at: now,
        completed_at: step.completed ? now : null,
        ...chaosUpdate,
      },
      ...(through && delivery.holds_order === 1
        ? { overtakes: { order_id: delivery.order_id, url: delivery.url, event_seq: delivery.event_seq } }
        : {}),
    };
  }

  async function pruneWhenDue(now: number): Promise<void> {
    if (now - lastPruneUs < PRUNE_EVERY_US) return;
    lastPruneUs = now;
    await deps.webhooks.prune();
  }

  async function claim(limit: number): Promise<ClaimedDelivery[]> {
    await pruneWhenDue(clock.nowUs());
    return deliveries.claim(limit, owner);
  }

  /** An attempt that threw (never a receiver's failure, which is a result): its delivery is left to its lease. */
  function attemptFailed(claimed: ClaimedDelivery, err: unknown): null {
    log.error({ err }, 'webhook attempt failed');
    deliveries.abandon([claimed.delivery.seq]);
    return null;
  }

  /** One round: claim a batch, send it, record every result in one transaction. */
  async function dispatchOnce(): Promise<number> {
    const claimed = await claim(batchSize);
    const results = await Promise.all(claimed.map((c) => attempt(c).catch((err: unknown) => attemptFailed(c, err))));
    await deliveries.record(results.filter((r): r is AttemptResult => r !== null));
    return claimed.length;
  }

  // The running loop keeps up to `batchSize` attempts in flight and claims again as soon as half
  // are done, so one slow receiver never holds back the others; results are written in batches.
  let inFlight = 0;
  let slotFreed: (() => void) | null = null;
  let unrecorded: AttemptResult[] = [];
  let recording: Promise<void> | null = null;

  function flushResults(): Promise<void> {
    if (recording || unrecorded.length === 0) return recording ?? Promise.resolve();
    recording = (async () => {
      try {
        while (unrecorded.length) {
          const batch = unrecorded;
          unrecorded = [];
          await deliveries.record(batch).catch((err: unknown) => log.error({ err }, 'recording webhook attempts failed'));
        }
      } finally {
        // Cleared in the same step that saw the queue empty, so no result is left behind.
        recording = null;
      }
    })();
    return recording;
  }

  // Each write is a commit (an fsync on SQLite): results are gathered for a moment, or until
  // a quarter batch is ready, and written together.
  let flushTimer: NodeJS.Timeout | null = null;
  function scheduleFlush(): void {
    if (unrecorded.length >= batchSize / 4 || inFlight <= 1) {
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
      void flushResults();
    } else {
      flushTimer ??= setTimeout(() => {
        flushTimer = null;
        void flushResults();
      }, FLUSH_AFTER_MS);
    }
  }

  async function tick(): Promise<number> {
    // Claim when half the slots are free: one claim (a write) serves many deliveries.
    while (inFlight > batchSize / 2) await new Promise<void>((resolve) => (slotFreed = resolve));
    const claimed = await claim(batchSize - inFlight);
    for (const c of claimed) {
      inFlight++;
      void attempt(c)
        .then((result) => {
          unrecorded.push(result);
          scheduleFlush();
        })
        .catch((err: unknown) => attemptFailed(c, err))
        .finally(() => {
          inFlight--;
          slotFreed?.();
          slotFreed = null;
        });
    }
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
        tick,
        onError: (err) => log.error({ err }, 'webhook dispatch failed'),
      });
      return loop;
    },
    async close() {
      await loop?.stop();
      while (inFlight > 0) await new Promise<void>((resolve) => (slotFreed = resolve));
      if (flushTimer) clearTimeout(flushTimer);
      await flushResults();
      await sender.close();
    },
  };
}
