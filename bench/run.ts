// `npm run bench [-- scenario…]`: each scenario against a real server on an embedded SQLite file
// and against a bare Fastify route returning the same bytes from memory, over HTTP on loopback.
// Prints one table: requests/s, p50 and p99 latency, and the API's share of the bare throughput.
//
//   BENCH_DURATION     seconds measured per target (default 10)
//   BENCH_WARMUP       seconds of warm-up per target, not measured (default 2)
//   BENCH_CONNECTIONS  concurrent connections (default 32)
//   BENCH_LOG_LEVEL    the server's log level (default warn: no per-request lines)
//   BENCH_PROFILE      a directory: the server writes a V8 CPU profile there (open it in Chrome DevTools)
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { scenarios } from './scenarios/index.js';
import { WEBHOOKS_BENCH, formatWebhookBench, runWebhookBench } from './scenarios/webhooks.js';
import { formatDeliveryBench, runDeliveryBench } from './scenarios/delivery.js';

/** Scenarios that are not HTTP request loads: each runs, prints its own figures and verdict. */
const DELIVERY_BENCH = 'delivery';
import type { TargetReady } from './target.js';

const DURATION = Number(process.env.BENCH_DURATION || 10);
const WARMUP = Number(process.env.BENCH_WARMUP || 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 32);
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 20;

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  /** Server CPU time (user + system) per request, in microseconds. */
  cpuUs: number;
  non2xx: number;
  errors: number;
}

interface Target {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
}

function serverCpuUs(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (m: { type?: string; us?: number }) => {
      if (m.type !== 'cpu') return;
      child.off('message', onMessage);
      resolve(m.us!);
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

async function load(child: ChildProcess, target: Target, duration: number): Promise<Measured> {
  const cpuBefore = await serverCpuUs(child);
  const result = await autocannon({ url: target.url, method: target.method as 'GET', headers: target.headers ?? {}, body: target.body, connections: CONNECTIONS, duration, pipelining: 1 });
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

/** Warms both up, then measures them in turn, in slices, so a change in machine load hits both alike. */
async function measurePair(child: ChildProcess, bare: Target, api: Target): Promise<[Measured, Measured]> {
  if (WARMUP > 0) {
    await load(child, bare, WARMUP);
    await load(child, api, WARMUP);
  }
  const slices = Math.max(1, Math.min(5, Math.floor(DURATION / 2)));
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
  return [combine(runs[0]), combine(runs[1])];
}

function startTarget(name: string, dataDir: string): Promise<{ child: ChildProcess; ready: TargetReady }> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`] : [];
  const child = fork(path.join(here, 'target.ts'), [name, dataDir], { execArgv: ['--import', 'tsx', ...profile], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, ready: m as TargetReady }));
    child.once('exit', (code) => reject(new Error(`bench target for ${name} exited with ${code}`)));
  });
}

function stopTarget(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.send('stop');
  });
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const selected = wanted.length ? scenarios.filter((s) => wanted.includes(s.name)) : scenarios;
  const webhooks = wanted.length === 0 || wanted.includes(WEBHOOKS_BENCH);
  const delivery = wanted.length === 0 || wanted.includes(DELIVERY_BENCH);
  if (selected.length === 0 && !webhooks && !delivery) {
    throw new Error(`no scenario named ${wanted.join(', ')}; known: ${[...scenarios.map((s) => s.name), WEBHOOKS_BENCH, DELIVERY_BENCH].join(', ')}`);
  }
  console.log(`casa-integrate bench: ${CONNECTIONS} connections, ${DURATION} s measured (+${WARMUP} s warm-up) per target, Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})\n`);

  const rows: string[][] = [['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'API/bare req/s', 'verdict']];
  let missed = false;
  for (const scenario of selected) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-bench-'));
    try {
      console.log(`- ${scenario.name}: ${scenario.description}`);
      const { child, ready } = await startTarget(scenario.name, dataDir);
      try {
        if (ready.status !== 200) throw new Error(`${scenario.name}: the request answered ${ready.status}, not 200`);
        console.log(`  response: ${ready.bytes} bytes; measuring the bare route, then the API…`);
        const [bare, api] = await measurePair(child, ready.bare, ready.api);
        for (const [label, m] of [['bare', bare], ['api', api]] as const) {
          if (m.non2xx || m.errors) throw new Error(`${scenario.name} ${label}: ${m.non2xx} non-2xx answers, ${m.errors} errors`);
        }
        const ratio = api.rps / bare.rps;
        const ok = ratio >= TARGET_RATIO && api.p99 < TARGET_P99_MS;
        missed ||= !ok;
        rows.push([scenario.name, 'bare route', bare.rps.toFixed(0), bare.p50.toFixed(1), bare.p99.toFixed(1), bare.cpuUs.toFixed(0), '', '']);
        rows.push(['', 'API', api.rps.toFixed(0), api.p50.toFixed(1), api.p99.toFixed(1), api.cpuUs.toFixed(0), `${(ratio * 100).toFixed(0)} %`, ok ? 'meets target' : 'MISSES target']);
      } finally {
        await stopTarget(child);
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (selected.length) console.log(`\n${table(rows)}\n\ntargets: API ≥ ${TARGET_RATIO * 100} % of the bare route's req/s, API p99 < ${TARGET_P99_MS} ms`);
  if (webhooks) {
    const result = await runWebhookBench();
    console.log(`\n${formatWebhookBench(result)}`);
    missed ||= !result.meetsTargets;
  }
  if (delivery) {
    const result = await runDeliveryBench();
    console.log(`\n${formatDeliveryBench(result)}`);
    missed ||= !result.meetsTargets;
  }
  console.log(`load average now: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs (figures from a busy machine understate both targets; the CPU column is steadier)`);
  if (missed) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
