// Full delivery of one `plus_3d` order with every add-on: every file rendered and stored, the order
// moved to Ready (the operator's "deliver now", which runs production's own code). Each run uses a
// fresh process on an embedded SQLite file, so the peak RSS is that of a server doing one delivery
// at a time; the first delivery of a process is reported apart (it loads fonts and native code).
//
//   BENCH_DELIVERY_RUNS  deliveries measured per process after the first (default 7)
//   BENCH_DELIVERY_SQFT  scanned area of the orders (default 2,600 ft²: two or three floors)
//   BENCH_PROFILE        a directory: the measured process writes V8 CPU profiles there (one per thread)
//   S3_ENDPOINT          (with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) also deliver into that S3 server
//
// The measured process (bench/delivery-measure.mjs) runs the server code as `npm start` does:
// compiled into dist/ (built first) with the glibc settings of package.json's start script.
//
// Run alone with `npx tsx bench/scenarios/delivery.ts`; targets: median < 1.5 s, peak RSS < 300 MB.
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, SERVER_ENV, SERVER_NODE_ARGS, buildServer, profileArgs } from '../procs.js';

export const TARGET_MEDIAN_MS = 1500;
export const TARGET_PEAK_RSS_MB = 300;

export interface DeliveryBenchResult {
  /** Where the files went: local disk, or the S3 server of S3_ENDPOINT. */
  storage: 'local' | 's3';
  runs: number;
  firstMs: number;
  medianMs: number;
  maxMs: number;
  /** CPU time (user + system, every thread) of the median delivery: steadier than wall time on a busy machine. */
  medianCpuMs: number;
  files: number;
  megabytes: number;
  floors: number[];
  baselineRssMb: number;
  peakRssMb: number;
  meetsTargets: boolean;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function runDeliveryBench(
  opts: { runs?: number; sqft?: number; storage?: 'local' | 's3' } = {},
): Promise<DeliveryBenchResult> {
  const storage = opts.storage ?? 'local';
  const runs = opts.runs ?? Number(process.env.BENCH_DELIVERY_RUNS || 7);
  const sqft = opts.sqft ?? Number(process.env.BENCH_DELIVERY_SQFT || 2600);
  buildServer();
  const child = fork(path.join(ROOT, 'bench/delivery-measure.mjs'), [String(runs), String(sqft), storage], {
    execArgv: [...SERVER_NODE_ARGS, ...profileArgs()],
    env: { ...process.env, ...SERVER_ENV },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const m = await new Promise<{
    times: number[];
    cpuTimes: number[];
    floors: number[];
    files: number;
    bytes: number;
    baselineRss: number;
    peakRss: number;
  }>((resolve, reject) => {
    child.once('message', (msg) => resolve(msg as never));
    child.once('exit', (code) => reject(new Error(`the delivery bench process exited with ${code}`)));
  });
  child.removeAllListeners('exit');
  const [first, ...rest] = m.times;
  const medianMs = median(rest);
  const medianCpuMs = median(m.cpuTimes.slice(1));
  const peakRssMb = m.peakRss / 1e6;
  return {
    storage,
    runs: rest.length,
    firstMs: first!,
    medianMs,
    maxMs: Math.max(...rest),
    medianCpuMs,
    files: m.files,
    megabytes: m.bytes / 1e6,
    floors: m.floors,
    baselineRssMb: m.baselineRss / 1e6,
    peakRssMb,
    meetsTargets: medianMs < TARGET_MEDIAN_MS && peakRssMb < TARGET_PEAK_RSS_MB,
  };
}

export function formatDeliveryBench(r: DeliveryBenchResult): string {
  return [
    `delivery (plus_3d + every add-on, SQLite, ${r.storage === 's3' ? `S3 at ${process.env.S3_ENDPOINT}` : 'local disk'}; ${r.files} files, ${r.megabytes.toFixed(1)} MB per order; floors per order: ${r.floors.join(', ')})`,
    `  time:    median ${r.medianMs.toFixed(0)} ms, max ${r.maxMs.toFixed(0)} ms over ${r.runs} deliveries (first of the process: ${r.firstMs.toFixed(0)} ms) (target median < ${TARGET_MEDIAN_MS} ms)`,
    `  cpu:     median ${r.medianCpuMs.toFixed(0)} ms of CPU per delivery (all threads)`,
    `  memory:  peak RSS ${r.peakRssMb.toFixed(0)} MB (process before the first delivery: ${r.baselineRssMb.toFixed(0)} MB) (target < ${TARGET_PEAK_RSS_MB} MB)`,
    `  verdict: ${r.meetsTargets ? 'meets targets' : 'MISSES targets'} (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs)`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runDeliveryBench()
    .then((r) => {
      console.log(formatDeliveryBench(r));
      if (!r.meetsTargets) process.exitCode = 1;
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
