// The Prometheus figures of one server process: HTTP requests by route and status (counter and
// latency histogram, recorded in process), and gauges read from the database at scrape time (the
// work queues' depth and age, webhook deliveries by outcome, production backlog). The database
// gauges are the same whichever process answers the scrape, so they stay right with CASA_PROCESSES > 1.
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Backlog } from '../../db/lease-queue.js';
import type { ServiceDeps } from '../deps.js';
import { ordersRepo } from '../orders/orders-repo.js';
import { webhookDeliveriesRepo } from '../webhooks/webhook-deliveries-repo.js';
import { registerRequestMetrics } from './request-metrics.js';

export type MetricsDeps = Pick<ServiceDeps, 'db' | 'clock'>;

export interface Metrics {
  registry: Registry;
  /** One finished HTTP request; `route` is the route pattern (never the raw URL, which may hold tokens). */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  exposition(): Promise<string>;
  contentType: string;
}

const BACKLOG_STATUSES = ['Pending', 'Fixing'];

export function createMetrics(deps: MetricsDeps, { defaultMetrics = true } = {}): Metrics {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry });

  const requests = registerRequestMetrics(registry);

  // Both queue gauges read the same figures; one scrape collects them once.
  let queues: Promise<{ kind: string; backlog: Backlog }[]> | null = null;
  const queueFigures = (nowUs: number) =>
    (queues ??= Promise.all([ordersRepo.system.productionBacklog(deps.db, nowUs), webhookDeliveriesRepo.system.backlog(deps.db, nowUs)])
      .then(([production, webhook]) => [
        { kind: 'production', backlog: production },
        { kind: 'webhook', backlog: webhook },
      ])
      .finally(() => (queues = null)));

  new Gauge({
    name: 'casa_jobs_depth',
    help: 'Work due now, in hand or waiting for a worker, by kind: production (orders due and not held), webhook (deliveries to attempt).',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of await queueFigures(deps.clock.nowUs())) this.set({ kind: q.kind }, q.backlog.depth);
    },
  });
  new Gauge({
    name: 'casa_jobs_oldest_age_seconds',
    help: 'How long the longest-waiting work due now has been due, by kind (0 when nothing is due).',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const nowUs = deps.clock.nowUs();
      for (const q of await queueFigures(nowUs))
        this.set({ kind: q.kind }, q.backlog.oldestDueUs === null ? 0 : Math.max(0, (nowUs - q.backlog.oldestDueUs) / 1e6));
    },
  });
  new Gauge({
    name: 'casa_webhook_deliveries',
    help: 'Webhook deliveries by outcome: pending, retrying, delivered, failed, gone, cancelled.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await webhookDeliveriesRepo.system.countByStatus(deps.db)) this.set({ status: r.status }, r.count);
    },
  });
  new Gauge({
    name: 'casa_webhook_attempts',
    help: 'Webhook delivery attempts kept in the log, by result: 2xx, non_2xx (an HTTP answer) or error (no answer).',
    labelNames: ['result'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const { total, answered, ok } = await webhookDeliveriesRepo.system.attemptCounts(deps.db);
      this.set({ result: '2xx' }, ok);
      this.set({ result: 'non_2xx' }, answered - ok);
      this.set({ result: 'error' }, total - answered);
    },
  });
  new Gauge({
    name: 'casa_production_backlog',
    help: 'Orders in production (Pending or Fixing), by status.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of BACKLOG_STATUSES) this.set({ status: s }, 0);
      for (const r of await ordersRepo.system.countByStatus(deps.db, BACKLOG_STATUSES)) this.set({ status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'casa_production_overdue_seconds',
    help: 'How long past its due time the most overdue order in production is (0 when none is overdue).',
    registers: [registry],
    async collect() {
      const nowUs = deps.clock.nowUs();
      const due = await ordersRepo.system.earliestDue(deps.db);
      this.set(due === null ? 0 : Math.max(0, (nowUs - due) / 1e6));
    },
  });

  return {
    registry,
    observeRequest: requests.observe,
    exposition: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
