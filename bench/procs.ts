// Process helpers for the benches that run the server as real processes: starting the CLI, the
// resident memory of a process tree sampled while it is under load, and a free port.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The pid and every descendant (Linux /proc; only the pid elsewhere). */
export function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    let tasks: string[];
    try {
      tasks = fs.readdirSync(`/proc/${pids[i]}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        const children = fs.readFileSync(`/proc/${pids[i]}/task/${tid}/children`, 'utf8').trim();
        if (children) pids.push(...children.split(/\s+/).map(Number));
      } catch {
        // the task ended meanwhile
      }
    }
  }
  return pids;
}

function rssBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export interface ProcessPeak {
  pid: number;
  label: string;
  peakMb: number;
  /** CPU time (user + system) the process used while sampled, ms (Linux clock ticks, 10 ms). */
  cpuMs: number;
}

/** User + system CPU time of a process so far, ms; null when unknown. */
function cpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/**
 * Samples the resident set of every process under `roots` (and their children, found anew at
 * each sample) until stop(): the peak of each process while the load ran.
 */
export function sampleRss(roots: { pid: number; label: string; childLabel?: string }[], intervalMs = 200): { stop(): ProcessPeak[] } {
  const peaks = new Map<number, ProcessPeak>();
  const cpuFirst = new Map<number, number>();
  const sample = () => {
    for (const root of roots) {
      for (const pid of processTree(root.pid)) {
        const rss = rssBytes(pid);
        if (rss === null) continue;
        const label = pid === root.pid ? root.label : (root.childLabel ?? `${root.label} child`);
        const peak = peaks.get(pid) ?? { pid, label, peakMb: 0, cpuMs: 0 };
        peak.peakMb = Math.max(peak.peakMb, rss / 1e6);
        const cpu = cpuMs(pid);
        if (cpu !== null) {
          if (!cpuFirst.has(pid)) cpuFirst.set(pid, cpu);
          peak.cpuMs = cpu - cpuFirst.get(pid)!;
        }
        peaks.set(pid, peak);
      }
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return [...peaks.values()];
    },
  };
}

/** `412/138/140` (each process's peak, MB), or `n/a` where /proc is missing. */
export function formatPeaks(peaks: ProcessPeak[]): string {
  return peaks.length ? peaks.map((p) => p.peakMb.toFixed(0)).join('/') : 'n/a';
}

/** What `npm start` sets (package.json): large freed buffers go back to the system at once, two libuv threads. */
export const SERVER_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', UV_THREADPOOL_SIZE: '2' };
/** The V8 settings `npm start` passes (package.json): 4 MB semi-spaces, the old generation collected at 1.5× its live size. */
export const SERVER_NODE_ARGS = ['--max-semi-space-size=4', '--heap-growing-percent=50'];

/** Node options that make a server process write V8 CPU profiles (one per thread) into BENCH_PROFILE, when it is set. */
export function profileArgs(): string[] {
  const dir = process.env.BENCH_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : [];
}

let built = false;
/** Compiles the server into dist/ (once per bench run), as `npm start` does before it starts. */
export function buildServer(): void {
  if (built) return;
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'ignore' });
  built = true;
}

/** `node [V8 settings] [BENCH_NODE_ARGS] [nodeArgs] dist/cli.js <args>` (the server as `npm start` runs it) with stdout and stderr collected. */
export function spawnCli(args: string[], env: Record<string, string>, nodeArgs: string[] = []): ChildProcess & { output(): string } {
  buildServer();
  const childEnv: Record<string, string | undefined> = { ...process.env, ...SERVER_ENV, ...env };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL']) if (!(name in env)) delete childEnv[name];
  const extra = process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, ...extra, ...nodeArgs, path.join(ROOT, 'dist', 'cli.js'), ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-200_000)));
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-200_000)));
  return Object.assign(child, { output: () => output });
}

export function waitForOutput(child: ChildProcess & { output(): string }, pattern: RegExp, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const check = () => {
      if (pattern.test(child.output())) return resolve();
      if (child.exitCode !== null || child.signalCode !== null)
        return reject(
          new Error(`process exited (${child.exitCode ?? child.signalCode}) before ${pattern}:\n${child.output().slice(-4000)}`),
        );
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${pattern}:\n${child.output().slice(-4000)}`));
      setTimeout(check, 50);
    };
    check();
  });
}

/** SIGTERM (graceful stop), SIGKILL after `graceMs`; resolves to the exit code. */
export function stopProcess(child: ChildProcess, graceMs = 20_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}
