// `npm run bench:ab -- <scenario> [--against <git ref>] [--env NAME=value …] [--rounds n]`: one
// single-request scenario on two servers measured at the same time, so whatever else the host is
// doing hits both alike. The base is the server of `--against` (built from a git worktree), or the
// working tree's; the change is the working tree's server with the `--env` settings. Each round
// loads both for BENCH_DURATION seconds (default 5) and compares their CPU time per request (per
// pair, for a scenario that writes before each read). With neither option it is an A/A run, which
// shows the method's own spread on this host (docs/performance.md).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { scenarios } from './scenarios/index.js';
import { ROOT } from './procs.js';
import { serverCpuUs, startTarget, stopTarget } from './target-process.js';
import type { BenchTarget, TargetReady } from './target.js';

const DURATION = Number(process.env.BENCH_DURATION || 5);
const WARMUP = Number(process.env.BENCH_WARMUP || 3);
/** Per server: the two together put as many connections on the host as `npm run bench` does. */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 16);

interface Options {
  scenario: string;
  against: string | null;
  env: Record<string, string>;
  rounds: number;
}

function parseArgs(args: string[]): Options {
  const options: Options = { scenario: '', against: null, env: {}, rounds: 5 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--against') options.against = value();
    else if (arg === '--rounds') options.rounds = Math.max(1, Number(value()));
    else if (arg === '--env') {
      const [name, ...rest] = value().split('=');
      if (!name || rest.length === 0) throw new Error(`--env takes NAME=value`);
      options.env[name] = rest.join('=');
    } else if (!options.scenario) options.scenario = arg;
    else throw new Error(`unexpected argument ${arg}`);
  }
  if (!scenarios.some((s) => s.name === options.scenario)) {
    throw new Error(
      `usage: npm run bench:ab -- <scenario> [--against <git ref>] [--env NAME=value …] [--rounds n]; scenarios: ${scenarios.map((s) => s.name).join(', ')}`,
    );
  }
  return options;
}

/** A checkout of `ref` beside this one, sharing its node_modules, with its server compiled. */
function checkout(ref: string): { root: string; remove(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-bench-ab-'));
  execFileSync('git', ['worktree', 'add', '--detach', '--force', root, ref], { cwd: ROOT, stdio: 'ignore' });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'ignore' });
  return { root, remove: () => execFileSync('git', ['worktree', 'remove', '--force', root], { cwd: ROOT, stdio: 'ignore' }) };
}

type Target = TargetReady['api'];

/** The scenario's requests in the order each connection sends them. */
function steps(target: Target): { method: 'GET'; path: string; headers: Record<string, string>; body?: string }[] {
  const step = (t: BenchTarget) => {
    const url = new URL(t.url);
    return { method: t.method as 'GET', path: url.pathname + url.search, headers: t.headers ?? {}, body: t.body };
  };
  return target.after ? [step(target.after), step(target)] : [step(target)];
}

function load(target: Target, seconds: number) {
  return autocannon({
    url: new URL(target.url).origin,
    requests: steps(target),
    connections: CONNECTIONS,
    duration: seconds,
    pipelining: 1,
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One round: a fresh server of each side (two processes differ by a few per cent on their own), loaded at once. */
async function round(scenario: string, sides: Side[], first: number): Promise<{ perUnit: number[]; unit: string }> {
  const dirs = sides.map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'casa-bench-')));
  try {
    const targets = await Promise.all(sides.map((side, i) => startTarget(scenario, dirs[i]!, side.env)));
    try {
      for (const t of targets) if (t.ready.status !== 200) throw new Error(`${scenario}: the request answered ${t.ready.status}, not 200`);
      // Whichever load starts first may have an edge: the sides take turns.
      const both = (seconds: number) => {
        const started = new Map([first, 1 - first].map((i) => [i, load(targets[i]!.ready.api, seconds)]));
        return Promise.all(targets.map((_, i) => started.get(i)!));
      };
      await both(WARMUP);
      const before = await Promise.all(targets.map((t) => serverCpuUs(t.child)));
      const results = await both(DURATION);
      const after = await Promise.all(targets.map((t) => serverCpuUs(t.child)));
      const perUnit = results.map((r, i) => {
        if (r.non2xx || r.errors) throw new Error(`${sides[i]!.label}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
        return (after[i]! - before[i]!) / Math.max(1, r.requests.total / steps(targets[i]!.ready.api).length);
      });
      return { perUnit, unit: targets[0]!.ready.api.after ? 'pair' : 'request' };
    } finally {
      await Promise.all(targets.map((t) => stopTarget(t.child)));
    }
  } finally {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Side {
  label: string;
  env: Record<string, string>;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const base = options.against ? checkout(options.against) : null;
  const settings = Object.entries(options.env).map(([k, v]) => `${k}=${v}`);
  const sides: Side[] = [
    { label: `base (${options.against ?? 'working tree'})`, env: base ? { BENCH_ROOT: base.root } : {} },
    { label: `change (working tree${settings.length ? `, ${settings.join(' ')}` : ''})`, env: options.env },
  ];
  try {
    console.log(`${options.scenario}: ${sides[0]!.label} against ${sides[1]!.label}`);
    console.log(
      `${options.rounds} rounds, each a fresh server of each side loaded at once (${CONNECTIONS} connections each, ${WARMUP} s of warm-up, ${DURATION} s measured)\n`,
    );
    const ratios: number[] = [];
    for (let i = 1; i <= options.rounds; i++) {
      const { perUnit, unit } = await round(options.scenario, sides, i % 2);
      if (i === 1) console.log(`round  base µs/${unit}  change µs/${unit}  change/base`);
      const ratio = perUnit[1]! / perUnit[0]!;
      ratios.push(ratio);
      console.log(
        `${String(i).padStart(5)}  ${perUnit[0]!.toFixed(0).padStart(12)}  ${perUnit[1]!.toFixed(0).padStart(14)}  ${ratio.toFixed(3).padStart(11)}`,
      );
    }
    console.log(
      `\nchange/base CPU: median ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`,
    );
  } finally {
    base?.remove();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
