// A small in-process collector of HTTP request figures for the console's system page: request
// rate and p99 latency over the last minute, and a ten-minute series in 10-second buckets.
// It sits behind `RequestFigures`, so a Prometheus registry (/metrics) can feed the console later.

export interface RequestFiguresSnapshot {
  /** Requests per second over the last minute. */
  ratePerS: number;
  /** 99th percentile of response time over the last minute, in ms; null without requests. */
  p99Ms: number | null;
  /** Oldest first: one point per bucket (start time in ms since the epoch). */
  series: { at: number; ratePerS: number; p99Ms: number | null }[];
}

export interface RequestFigures {
  snapshot(nowMs?: number): RequestFiguresSnapshot;
}

export interface RequestStats extends RequestFigures {
  record(durationMs: number, nowMs?: number): void;
}

const BUCKET_MS = 10_000;
const BUCKETS = 60;
/** Latencies kept per bucket for the percentile; beyond it a reservoir sample keeps it fair. */
const SAMPLES_PER_BUCKET = 512;

interface Bucket {
  start: number;
  count: number;
  samples: number[];
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function createRequestStats(): RequestStats {
  const buckets: Bucket[] = [];

  function current(nowMs: number): Bucket {
    const start = nowMs - (nowMs % BUCKET_MS);
    let last = buckets[buckets.length - 1];
    if (!last || last.start !== start) {
      last = { start, count: 0, samples: [] };
      buckets.push(last);
      while (buckets.length > BUCKETS || (buckets.length && buckets[0]!.start <= start - BUCKETS * BUCKET_MS)) buckets.shift();
    }
    return last;
  }

  return {
    record(durationMs, nowMs = Date.now()) {
      const b = current(nowMs);
      b.count++;
      if (b.samples.length < SAMPLES_PER_BUCKET) b.samples.push(durationMs);
      else {
        const slot = Math.floor(Math.random() * b.count);
        if (slot < SAMPLES_PER_BUCKET) b.samples[slot] = durationMs;
      }
    },

    snapshot(nowMs = Date.now()) {
      const start = nowMs - (nowMs % BUCKET_MS);
      const byStart = new Map(buckets.map((b) => [b.start, b]));
      const series: RequestFiguresSnapshot['series'] = [];
      for (let i = BUCKETS - 1; i >= 0; i--) {
        const at = start - i * BUCKET_MS;
        const b = byStart.get(at);
        // The current bucket is still filling: its rate counts the time elapsed so far.
        const span = at === start ? Math.max(1, nowMs - at) : BUCKET_MS;
        series.push({ at, ratePerS: b ? (b.count * 1000) / span : 0, p99Ms: b ? percentile(b.samples, 99) : null });
      }
      const minuteAgo = nowMs - 60_000;
      const recent = buckets.filter((b) => b.start + BUCKET_MS > minuteAgo);
      const count = recent.reduce((n, b) => n + b.count, 0);
      return {
        ratePerS: count / 60,
        p99Ms: percentile(
          recent.flatMap((b) => b.samples),
          99,
        ),
        series,
      };
    },
  };
}
