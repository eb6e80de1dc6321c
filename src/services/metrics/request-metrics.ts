// Requests answered by method, route pattern and status: a counter and a latency histogram for
// /metrics. prom-client's labelled metrics validate and hash their labels on every observation
// (more than a cached read's own work; docs/performance.md), so the figures are kept here in plain arrays, one
// series per label set, and handed to the registry as metric values only when it is scraped.
import type { Registry } from 'prom-client';

export const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  labels: { method: string; route: string; status: string };
  count: number;
  sum: number;
  /** Observations per bucket (not cumulative); beyond the last bound only `count` holds them. */
  inBucket: Uint32Array;
}

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  metricName?: string;
}

/** What the registry needs of a metric: its name, help and type, and its values on scrape. */
interface CollectedMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: MetricValue[] }>;
  reset(): void;
}

export interface RequestMetrics {
  observe(method: string, route: string, status: number, seconds: number): void;
}

const REQUESTS = 'casa_http_requests_total';
const LATENCY = 'casa_http_request_duration_seconds';

export function registerRequestMetrics(registry: Registry): RequestMetrics {
  const series = new Map<string, Series>();

  const metric = (name: string, help: string, type: CollectedMetric['type'], values: () => MetricValue[]): CollectedMetric => ({
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
    reset: () => series.clear(),
  });

  const requests = metric(REQUESTS, 'HTTP requests answered, by method, route pattern and status code.', 'counter', () =>
    [...series.values()].map((s) => ({ value: s.count, labels: s.labels })),
  );
  const latency = metric(
    LATENCY,
    'Time from request received to response sent, by method, route pattern and status code.',
    'histogram',
    () => {
      const values: MetricValue[] = [];
      for (const s of series.values()) {
        let cumulative = 0;
        LATENCY_BUCKETS_S.forEach((le, i) => {
          cumulative += s.inBucket[i]!;
          values.push({ value: cumulative, labels: { le }, sharedLabels: s.labels, metricName: `${LATENCY}_bucket` });
        });
        values.push({ value: s.count, labels: { le: '+Inf' }, sharedLabels: s.labels, metricName: `${LATENCY}_bucket` });
        values.push({ value: s.sum, labels: s.labels, metricName: `${LATENCY}_sum` });
        values.push({ value: s.count, labels: s.labels, metricName: `${LATENCY}_count` });
      }
      return values;
    },
  );
  // The registry takes any object shaped like its metrics (it calls get() and reset()).
  registry.registerMetric(requests as never);
  registry.registerMetric(latency as never);

  return {
    observe(method, route, status, seconds) {
      const key = `${method} ${status} ${route}`;
      let s = series.get(key);
      if (s === undefined) {
        s = { labels: { method, route, status: String(status) }, count: 0, sum: 0, inBucket: new Uint32Array(LATENCY_BUCKETS_S.length) };
        series.set(key, s);
      }
      s.count++;
      s.sum += seconds;
      for (let i = 0; i < LATENCY_BUCKETS_S.length; i++) {
        if (seconds <= LATENCY_BUCKETS_S[i]!) {
          s.inBucket[i]!++;
          break;
        }
      }
    },
  };
}
