// The Prometheus figures of one server process: HTTP requests by route and status (counter and
// latency histogram, recorded in process), and gauges read from the database at scrape time (job
// queue depth and age, webhook deliveries by outcome, production backlog). The database gauges are
// the same whichever process answers the scrape, so they stay right with CASA_PROCESSES > 1.
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Storage } from '../db/database.js';
import type { Clock } from '../domain/clock.js';
import { ordersRepo } from '../services/orders/orders-repo.js';
import type { JobQueue } from '../workers/job-queue.js';
import { registerRequestMetrics } from './request-metrics.js';

export interface MetricsDeps {
  db: Storage['db'];
  clock: Clock;
  jobs: Pick<JobQueue, 'stats'>;
}

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

  new Gauge({
    name: 'casa_jobs_depth',
    help: 'Background jobs waiting or running, by kind.',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of await deps.jobs.stats()) this.set({ kind: s.kind }, s.depth);
    },
  });
  new Gauge({
    name: 'casa_jobs_oldest_age_seconds',
    help: 'Age of the oldest due time among queued jobs, by kind (0 when it is not due yet).',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const nowUs = deps.clock.nowUs();
      for (const s of await deps.jobs.stats()) {
        if (s.oldestRunAtUs !== null) this.set({ kind: s.kind }, Math.max(0, (nowUs - s.oldestRunAtUs) / 1e6));
      }
    },
  });
  new Gauge({
    name: 'casa_webhook_deliveries',
    help: 'Webhook deliveries by outcome: pending, retrying, delivered, failed, gone, cancelled.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await deps.db
        .selectFrom('webhook_deliveries')
        .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      for (const r of rows) this.set({ status: r.status }, Number(r.n));
    },
  });
  new Gauge({
    name: 'casa_webhook_attempts',
    help: 'Webhook delivery attempts kept in the log, by result: 2xx, non_2xx (an HTTP answer) or error (no answer).',
    labelNames: ['result'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await deps.db
        .selectFrom('webhook_attempts')
        .select((eb) => [
          eb.fn.countAll<number>().as('total'),
          eb.fn.count<number>('status_code').as('answered'),
          eb.fn.sum<number>(eb.case().when(eb.and([eb('status_code', '>=', 200), eb('status_code', '<', 300)])).then(1).else(0).end()).as('ok'),
        ])
        .execute();
      const r = rows[0];
      const total = Number(r?.total ?? 0);
      const answered = Number(r?.answered ?? 0);
      const ok = Number(r?.ok ?? 0);
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
      const due = await ordersRepo.system.earliestDue(deps.db, BACKLOG_STATUSES);
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
