// `npm run bench [-- scenario…]`: each scenario against a real server on an embedded SQLite file
// and against a bare Fastify route returning the same bytes from memory, over HTTP on loopback.
// Prints one table at the end: requests/s, p50 and p99 latency, the peak RSS of each server
// process under load, and the API's share of the bare throughput measured in the same run.
//
//   npm run bench                    every scenario below except mixed-pg (it needs PostgreSQL)
//   npm run bench -- mixed           80 % reads / 20 % writes, server as real processes, CASA_PROCESSES=2, SQLite
//   npm run bench -- prism           GET /orders?limit=20 against Stoplight Prism mocking our OpenAPI document
//   npm run bench -- mixed-pg-scaling the mixed load on PostgreSQL with 1, 2 and 4 API processes (BENCH_DURATION each)
//   npm run bench -- mixed-pg        the acceptance run: CASA_ROLE=api CASA_PROCESSES=2 + two CASA_ROLE=worker on
//                                    PostgreSQL (BENCH_PG_URL), 60 s by default; exits 1 when a check fails
//
//   BENCH_DURATION     seconds measured per target (default 10; mixed-pg: 60)
//   BENCH_WARMUP       seconds of warm-up per target, not measured (default 2)
//   BENCH_CONNECTIONS  concurrent connections (default 32)
//   BENCH_LOG_LEVEL    the server's log level (default warn: no per-request lines)
//   BENCH_PROFILE      a directory: the server writes a V8 CPU profile there (open it in Chrome DevTools)
//   BENCH_NODE_ARGS    more node options for the server processes run from dist/ (e.g. --max-old-space-size=200)
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { scenarios, type ScenarioTarget } from './scenarios/index.js';
import { WEBHOOKS_BENCH, formatWebhookBench, runWebhookBench } from './scenarios/webhooks.js';
import { formatDeliveryBench, runDeliveryBench } from './scenarios/delivery.js';
import { formatDownloadBench, runDownloadBench } from './scenarios/downloads.js';
import { MIXED_BENCH, MIXED_PG_BENCH, formatMixedBench, runMixedBench, type MixedResult } from './scenarios/mixed.js';
import { PRISM_BENCH, runPrismBench } from './scenarios/prism.js';
import { formatPeaks, sampleRss, type ProcessPeak } from './procs.js';
import { serverCpuUs, startTarget, stopTarget } from './target-process.js';

/** Scenarios that are not HTTP request loads: each runs, prints its own figures and verdict. */
const DELIVERY_BENCH = 'delivery';
import type { BenchTarget } from './target.js';

const DURATION = Number(process.env.BENCH_DURATION || 10);
const ACCEPTANCE_DURATION = Number(process.env.BENCH_DURATION || 60);
const WARMUP = Number(process.env.BENCH_WARMUP || 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 32);
/** The SQLite mix's share of as many bare Fastify processes under the same mix (issue 21). */
const MIXED_TARGET_SHARE_OF_BARE = 0.2;
/** mixed-pg's share of the SQLite mix measured in the same run (issue 21). */
const MIXED_PG_MIN_SHARE = 0.5;
const MIXED_PG_SCALING = 'mixed-pg-scaling';
const MIXED_TARGET_P99_MS = 40;
const MIXED_TARGET_RSS_MB = 250;
const MIXED_PG_TARGET_P99_MS = 80;

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  /** Server CPU time (user + system) per request, in microseconds. */
  cpuUs: number;
  non2xx: number;
  errors: number;
}

type Target = BenchTarget & { after?: BenchTarget };

function describeTarget(t: ScenarioTarget): string {
  const parts = [];
  if (t.minRatio !== undefined) parts.push(`API ≥ ${t.minRatio * 100} % of the bare route's req/s`);
  if (t.minRps !== undefined) parts.push(`≥ ${t.minRps.toLocaleString('en')} req/s`);
  if (t.maxP99Ms !== undefined) parts.push(`p99 < ${t.maxP99Ms} ms`);
  if (t.maxCpuUs !== undefined) parts.push(`≤ ${t.maxCpuUs} µs of server CPU per request`);
  return parts.join(', ');
}

async function load(child: ChildProcess, target: Target, duration: number): Promise<Measured> {
  if (target.after) return loadAfterWrite(child, target.after, target, duration);
  const cpuBefore = await serverCpuUs(child);
  const result = await autocannon({
    url: target.url,
    method: target.method as 'GET',
    headers: target.headers ?? {},
    body: target.body,
    connections: CONNECTIONS,
    duration,
    pipelining: 1,
  });
  const cpu = (await serverCpuUs(child)) - cpuBefore;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuUs: cpu / Math.max(1, result.requests.total),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * `read` sent right after `write` on every connection, in a loop. The writes alone are measured
 * first, and their CPU per request is taken off the pair's: what is left is the read's. Rates count
 * reads; latencies are those of both requests of the pair.
 */
async function loadAfterWrite(child: ChildProcess, write: BenchTarget, read: BenchTarget, duration: number): Promise<Measured> {
  const writes = await load(child, write, duration / 2);
  const step = (t: BenchTarget) => {
    const url = new URL(t.url);
    return { method: t.method as 'GET', path: url.pathname + url.search, headers: t.headers ?? {}, body: t.body };
  };
  const cpuBefore = await serverCpuUs(child);
  const result = await autocannon({
    url: new URL(read.url).origin,
    requests: [step(write), step(read)],
    connections: CONNECTIONS,
    duration: duration / 2,
    pipelining: 1,
  });
  const cpu = (await serverCpuUs(child)) - cpuBefore;
  const reads = Math.max(1, result.requests.total / 2);
  return {
    rps: result.requests.average / 2,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuUs: Math.max(0, cpu - reads * writes.cpuUs) / reads,
    non2xx: result.non2xx + writes.non2xx,
    errors: result.errors + result.timeouts + writes.errors,
  };
}

/** Warms both up, then measures them in turn, in slices, so a change in machine load hits both alike. */
async function measurePair(child: ChildProcess, bare: Target, api: Target): Promise<[Measured, Measured, ProcessPeak[]]> {
  if (WARMUP > 0) {
    await load(child, bare, WARMUP);
    await load(child, api, WARMUP);
  }
  const slices = Math.max(1, Math.min(5, Math.floor(DURATION / 2)));
  const sampler = sampleRss([{ pid: child.pid!, label: 'server' }]);
  const runs: [Measured[], Measured[]] = [[], []];
  for (let i = 0; i < slices; i++) {
    runs[0].push(await load(child, bare, DURATION / slices));
    runs[1].push(await load(child, api, DURATION / slices));
  }
  const combine = (ms: Measured[]): Measured => ({
    rps: ms.reduce((a, m) => a + m.rps, 0) / ms.length,
    p50: ms.reduce((a, m) => a + m.p50, 0) / ms.length,
    p99: Math.max(...ms.map((m) => m.p99)),
    cpuUs: ms.reduce((a, m) => a + m.cpuUs, 0) / ms.length,
    non2xx: ms.reduce((a, m) => a + m.non2xx, 0),
    errors: ms.reduce((a, m) => a + m.errors, 0),
  });
  return [combine(runs[0]), combine(runs[1]), sampler.stop()];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 || i === widths.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** One line of the final table. */
interface Row {
  scenario: string;
  /** req/s, or what the scenario counts instead (events/s). */
  rate: string;
  p50: string;
  p99: string;
  /** Peak RSS of each server process under load, MB. */
  rss: string;
  bare: string;
  ratio: string;
  cpu: string;
  verdict: string;
}

const f0 = (n: number) => n.toFixed(0);
const f1 = (n: number) => n.toFixed(1);

/** A mixed run's line of the table, but for its verdict. */
function mixedRow(scenario: string, r: MixedResult): Omit<Row, 'verdict'> {
  return {
    scenario,
    rate: f0(r.rps),
    p50: f1(r.p50),
    p99: f1(r.p99),
    rss: formatPeaks(r.peaks),
    bare: r.bareRps === null ? '' : f0(r.bareRps),
    ratio: r.bareRps === null ? '' : `${f0((r.rps / r.bareRps) * 100)} %`,
    cpu: `${f0(r.apiCpuUs)} API, ${f0(r.allCpuUs)} all`,
  };
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const runAll = wanted.length === 0;
  // A baseline and the scenario measured against it always run together.
  const paired = (s: (typeof scenarios)[number]) =>
    wanted.includes(s.name) ||
    (s.baselineOf !== undefined && wanted.includes(s.baselineOf.scenario)) ||
    scenarios.some((b) => b.baselineOf?.scenario === s.name && wanted.includes(b.name));
  const selected = runAll ? scenarios : scenarios.filter(paired);
  const known = [
    ...scenarios.map((s) => s.name),
    MIXED_BENCH,
    PRISM_BENCH,
    WEBHOOKS_BENCH,
    DELIVERY_BENCH,
    MIXED_PG_BENCH,
    MIXED_PG_SCALING,
  ];
  const unknown = wanted.filter((w) => !known.includes(w));
  if (unknown.length) throw new Error(`no scenario named ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const wants = (name: string) => runAll || wanted.includes(name);
  console.log(
    `casa-integrate bench: ${CONNECTIONS} connections, ${DURATION} s measured (+${WARMUP} s warm-up) per target, Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os.loadavg().map(f1).join(' ')}\n`,
  );

  const rows: Row[] = [];
  const notes: string[] = [];
  let missed = false;
  const measuredPairs = new Map<string, { api: Measured; bare: Measured }>();
  for (const scenario of selected) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-bench-'));
    try {
      console.log(`- ${scenario.name}: ${scenario.description}`);
      const { child, ready } = await startTarget(scenario.name, dataDir);
      try {
        if (ready.status !== 200) throw new Error(`${scenario.name}: the request answered ${ready.status}, not 200`);
        console.log(`  response: ${ready.bytes} bytes; measuring the bare route, then the API…`);
        const [bare, api, peaks] = await measurePair(child, ready.bare, ready.api);
        for (const [label, m] of [
          ['bare', bare],
          ['api', api],
        ] as const) {
          if (m.non2xx || m.errors) throw new Error(`${scenario.name} ${label}: ${m.non2xx} non-2xx answers, ${m.errors} errors`);
        }
        const ratio = api.rps / bare.rps;
        measuredPairs.set(scenario.name, { api, bare });
        const { minRatio = 0, minRps = 0, maxP99Ms = Infinity, maxCpuUs = Infinity } = scenario.target;
        const ok = ratio >= minRatio && api.rps >= minRps && api.p99 < maxP99Ms && api.cpuUs <= maxCpuUs;
        missed ||= !ok;
        notes.push(`${scenario.name}: target ${describeTarget(scenario.target)}`);
        rows.push({
          scenario: scenario.name,
          rate: f0(api.rps),
          p50: f1(api.p50),
          p99: f1(api.p99),
          rss: formatPeaks(peaks),
          bare: f0(bare.rps),
          ratio: `${f0(ratio * 100)} %`,
          cpu: `${f0(api.cpuUs)} (bare ${f0(bare.cpuUs)})`,
          verdict: ok ? 'meets target' : 'MISSES target',
        });
      } finally {
        await stopTarget(child);
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (selected.length) notes.push(`single-request scenarios: RSS is the one process holding both the API and the bare route`);
  for (const baseline of selected) {
    const pair = baseline.baselineOf;
    const off = measuredPairs.get(baseline.name);
    const on = pair && measuredPairs.get(pair.scenario);
    if (!pair || !off || !on) continue;
    // Each side's share of its own bare route (measured in interleaved slices) cancels the load
    // other processes put on the machine between the two scenarios; the raw share is shown beside.
    const share = on.api.rps / on.bare.rps / (off.api.rps / off.bare.rps);
    const ok = share >= pair.minShare;
    missed ||= !ok;
    rows.push({
      scenario: `${pair.scenario} with ${pair.what} vs ${baseline.name}`,
      rate: `${f0((on.api.rps / off.api.rps) * 100)} % raw`,
      p50: '',
      p99: '',
      rss: '',
      bare: '',
      ratio: `${f0(share * 100)} %`,
      cpu: `${f0(on.api.cpuUs)} vs ${f0(off.api.cpuUs)}`,
      verdict: ok ? 'meets target' : 'MISSES target',
    });
    notes.push(
      `${pair.scenario} vs ${baseline.name}: target ≥ ${f0(pair.minShare * 100)} % of the baseline's throughput (each taken as its share of the bare route)`,
    );
  }

  let sqliteMixedRps: number | null = null;
  for (const [name, database] of [
    [MIXED_BENCH, 'sqlite'],
    [MIXED_PG_BENCH, 'postgres'],
  ] as const) {
    // mixed-pg needs PostgreSQL: only when named.
    if (database === 'postgres' ? !wanted.includes(name) : !wants(name)) continue;
    console.log(
      `- ${name}: 80 % reads / 20 % writes, webhooks to a loopback receiver, server as real processes (${database === 'postgres' ? 'PostgreSQL' : 'SQLite'})`,
    );
    const duration = database === 'postgres' ? ACCEPTANCE_DURATION : DURATION;
    const r = await runMixedBench({
      database,
      durationS: duration,
      warmupS: WARMUP,
      connections: CONNECTIONS,
      bare: true,
      log: (l) => console.log(l),
    });
    console.log(`\n${formatMixedBench(r)}\n`);
    const maxRss = Math.max(...r.peaks.map((p) => p.peakMb));
    let meets: boolean;
    if (database === 'sqlite') {
      sqliteMixedRps = r.rps;
      meets =
        r.bareRps !== null &&
        r.rps >= MIXED_TARGET_SHARE_OF_BARE * r.bareRps &&
        r.p99 < MIXED_TARGET_P99_MS &&
        maxRss < MIXED_TARGET_RSS_MB;
      missed ||= !meets;
    } else {
      // Judged against the SQLite mix of this run when there is one; reported only otherwise.
      meets = sqliteMixedRps !== null && r.rps >= MIXED_PG_MIN_SHARE * sqliteMixedRps && r.p99 < MIXED_PG_TARGET_P99_MS;
    }
    if (!r.ok) missed = true;
    rows.push({
      ...mixedRow(`${name} (${r.requests} req)`, r),
      verdict: `${database === 'postgres' && sqliteMixedRps === null ? 'reported only' : meets ? 'meets target' : 'MISSES target'}; checks ${r.ok ? 'pass' : 'FAIL'}`,
    });
    notes.push(
      database === 'sqlite'
        ? `${name}: target ≥ ${MIXED_TARGET_SHARE_OF_BARE * 100} % of bare, p99 < ${MIXED_TARGET_P99_MS} ms, RSS < ${MIXED_TARGET_RSS_MB} MB per process; RSS order: ${r.peaks.map((p) => p.label).join(', ')}; bare = as many bare Fastify processes under the same mix`
        : `${name}: target ≥ ${MIXED_PG_MIN_SHARE * 100} % of the SQLite mix of the same run${sqliteMixedRps === null ? ' (not run: name mixed too)' : ` (${f0(sqliteMixedRps)} req/s, so ${f0(sqliteMixedRps * MIXED_PG_MIN_SHARE)})`}, p99 < ${MIXED_PG_TARGET_P99_MS} ms, every check passing; RSS order: ${r.peaks.map((p) => p.label).join(', ')}`,
    );
  }
  if (rows.some((r) => r.scenario.startsWith('mixed')))
    notes.push(
      'mixed rows, CPU column: µs per request in the API processes, then in all processes (workers and production renders included)',
    );

  if (wanted.includes(MIXED_PG_SCALING)) {
    for (const apiProcesses of [1, 2, 4]) {
      console.log(`- ${MIXED_PG_SCALING}: the mixed load on PostgreSQL, CASA_ROLE=api CASA_PROCESSES=${apiProcesses}, two workers`);
      const r = await runMixedBench({
        database: 'postgres',
        durationS: DURATION,
        warmupS: WARMUP,
        connections: CONNECTIONS,
        bare: false,
        apiProcesses,
        log: (l) => console.log(l),
      });
      console.log(`\n${formatMixedBench(r)}\n`);
      if (!r.ok) missed = true;
      rows.push({
        ...mixedRow(`${MIXED_PG_SCALING}, ${apiProcesses} API process${apiProcesses > 1 ? 'es' : ''}`, r),
        verdict: `reported; checks ${r.ok ? 'pass' : 'FAIL'}`,
      });
    }
  }

  if (wants(PRISM_BENCH)) {
    console.log(`- ${PRISM_BENCH}: GET /orders?limit=20 against Stoplight Prism 5.14 mocking packages/client/openapi.json`);
    const r = await runPrismBench({ durationS: DURATION, warmupS: WARMUP, connections: CONNECTIONS });
    if (r.non2xx || r.errors) throw new Error(`prism: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
    rows.push({
      scenario: 'prism (GET /orders?limit=20)',
      rate: f0(r.rps),
      p50: f1(r.p50),
      p99: f1(r.p99),
      rss: formatPeaks(r.peaks),
      bare: f0(r.bareRps),
      ratio: `${f0((r.rps / r.bareRps) * 100)} %`,
      cpu: f0((r.peaks.reduce((sum, p) => sum + p.cpuMs, 0) * 1000) / Math.max(1, r.requests)),
      verdict: 'reported only',
    });
    notes.push(`prism: static examples (${r.bytes} bytes), log level warn; bare = 1 bare Fastify process answering Prism's bytes`);
  }

  if (wants(WEBHOOKS_BENCH)) {
    const result = await runWebhookBench();
    console.log(`\n${formatWebhookBench(result)}`);
    missed ||= !result.meetsTargets;
    rows.push({
      scenario: 'webhooks (events/s; transition → receipt)',
      rate: `${f0(result.eventsPerSecond)} ev/s`,
      p50: f1(result.p50Ms),
      p99: f1(result.p99Ms),
      rss: '',
      bare: '',
      ratio: '',
      cpu: `${f0(result.cpuUsPerEvent)}/event`,
      verdict: result.meetsTargets ? 'meets target' : 'MISSES target',
    });
  }
  if (wants(DELIVERY_BENCH)) {
    // Local disk, and S3 beside it in the same run when an S3 server is given.
    const stores: ('local' | 's3')[] = process.env.S3_ENDPOINT ? ['local', 's3'] : ['local'];
    if (!process.env.S3_ENDPOINT)
      notes.push('delivery on S3 and file downloads: skipped (set S3_ENDPOINT, e.g. `. <dir>/s3.env` after scripts/ceph-rgw/start.sh)');
    for (const storage of stores) {
      const result = await runDeliveryBench({ storage });
      console.log(`\n${formatDeliveryBench(result)}`);
      missed ||= !result.meetsTargets;
      rows.push({
        scenario: `delivery (plus_3d, ${storage === 's3' ? 'S3' : 'local disk'}; median / max ms)`,
        rate: '',
        p50: f0(result.medianMs),
        p99: `max ${f0(result.maxMs)}`,
        rss: f0(result.peakRssMb),
        bare: '',
        ratio: '',
        cpu: `${f0(result.medianCpuMs)} ms/order`,
        verdict: result.meetsTargets ? 'meets target' : 'MISSES target',
      });
    }
    if (process.env.S3_ENDPOINT) {
      const downloads = await runDownloadBench();
      console.log(`\n${formatDownloadBench(downloads)}`);
      for (const d of downloads.ways)
        rows.push({
          scenario: `download (${d.name})`,
          rate: `${f0(d.mibPerS)} MiB/s`,
          p50: f1(d.p50Ms),
          p99: '',
          rss: '',
          bare: '',
          ratio: '',
          cpu: '',
          verdict: '',
        });
    }
  }

  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS MB/process', 'bare req/s', 'vs bare', 'server CPU µs/req', 'verdict'];
  console.log(`\n${table([header, ...rows.map((r) => [r.scenario, r.rate, r.p50, r.p99, r.rss, r.bare, r.ratio, r.cpu, r.verdict])])}\n`);
  for (const note of notes) console.log(note);
  console.log(
    `load average now: ${os.loadavg().map(f1).join(' ')} on ${os.cpus().length} CPUs (figures from a busy machine understate every target; the CPU column is steadier)`,
  );
  if (missed) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
