// What an integrator would otherwise use: Stoplight Prism (`prism mock`, static examples) serving
// our own OpenAPI document (packages/client/openapi.json, which `npm run client:check` keeps equal
// to the server's /api/integrate/v3/openapi.json), under the same GET /orders?limit=20 load as
// the orders-list scenario, with the api-key header its security scheme asks for. Prism logs at
// warn, as the bench runs our server. Its baseline: one bare Fastify process answering Prism's
// own response bytes.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { startBareCluster } from '../bare-cluster.js';
import { ROOT, freePort, sampleRss, stopProcess, type ProcessPeak } from '../procs.js';

export const PRISM_BENCH = 'prism';
const DOCUMENT = path.join(ROOT, 'packages', 'client', 'openapi.json');
const PRISM = path.join(ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
const PATH = '/orders?limit=20';
const HEADERS = { 'api-key': 'bench-prism-key' };

export interface PrismResult {
  rps: number;
  p50: number;
  p99: number;
  bareRps: number;
  peaks: ProcessPeak[];
  bytes: number;
  non2xx: number;
  errors: number;
  requests: number;
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prism exited with ${child.exitCode}`);
    try {
      return await fetch(url, { headers: HEADERS });
    } catch {
      if (Date.now() > deadline) throw new Error(`prism did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function load(url: string, connections: number, duration: number) {
  const r = await autocannon({ url, headers: HEADERS, connections, duration, pipelining: 1 });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    requests: r.requests.total,
  };
}

export async function runPrismBench(opts: { durationS: number; warmupS: number; connections: number }): Promise<PrismResult> {
  if (!fs.existsSync(PRISM)) throw new Error('@stoplight/prism-cli is not installed (npm ci installs it as a devDependency)');
  const port = await freePort();
  const prism = spawn(process.execPath, [PRISM, 'mock', DOCUMENT, '-p', String(port), '-h', '127.0.0.1', '-v', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-bench-prism-'));
  try {
    const url = `http://127.0.0.1:${port}${PATH}`;
    const sample = await waitUntilAnswering(url, prism, 60_000);
    if (sample.status !== 200) throw new Error(`prism answered ${sample.status} to GET ${PATH}`);
    const bytes = Buffer.from(await sample.arrayBuffer());
    fs.writeFileSync(path.join(dir, 'body.json'), bytes);

    const barePort = await freePort();
    const bare = await startBareCluster(1, barePort, path.join(dir, 'body.json'));
    let bareRps: number;
    try {
      const bareUrl = `http://127.0.0.1:${barePort}${PATH}`;
      if (opts.warmupS > 0) await load(bareUrl, opts.connections, opts.warmupS);
      bareRps = (await load(bareUrl, opts.connections, opts.durationS)).rps;
    } finally {
      await stopProcess(bare);
    }

    if (opts.warmupS > 0) await load(url, opts.connections, opts.warmupS);
    const sampler = sampleRss([{ pid: prism.pid!, label: 'prism' }]);
    const m = await load(url, opts.connections, opts.durationS);
    return { ...m, bareRps, peaks: sampler.stop(), bytes: bytes.length };
  } finally {
    await stopProcess(prism, 5_000);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
