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

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const base = options.against ? checkout(options.against) : null;
  const sides = [
    { label: options.against ? `base (${options.against})` : 'base (working tree)', env: base ? { BENCH_ROOT: base.root } : {} },
    {
      label: `change (working tree${
        Object.keys(options.env).length
          ? `, ${Object.entries(options.env)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ')}`
          : ''
      })`,
      env: options.env,
    },
  ];
  const dirs = sides.map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'casa-bench-')));
  try {
    const targets = await Promise.all(sides.map((side, i) => startTarget(options.scenario, dirs[i]!, side.env)));
    try {
      for (const t of targets)
        if (t.ready.status !== 200) throw new Error(`${options.scenario}: the request answered ${t.ready.status}, not 200`);
      const unit = targets[0]!.ready.api.after ? 'pair' : 'request';
      console.log(`${options.scenario}: ${sides[0]!.label} against ${sides[1]!.label}`);
      console.log(
        `both loaded at once, ${CONNECTIONS} connections each; ${options.rounds} rounds of ${DURATION} s after ${WARMUP} s of warm-up\n`,
      );
      await Promise.all(targets.map((t) => load(t.ready.api, WARMUP)));
      const ratios: number[] = [];
      console.log(`round  base µs/${unit}  change µs/${unit}  change/base`);
      for (let round = 1; round <= options.rounds; round++) {
        const before = await Promise.all(targets.map((t) => serverCpuUs(t.child)));
        const results = await Promise.all(targets.map((t) => load(t.ready.api, DURATION)));
        const after = await Promise.all(targets.map((t) => serverCpuUs(t.child)));
        const perUnit = results.map((r, i) => {
          if (r.non2xx || r.errors) throw new Error(`${sides[i]!.label}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
          return (after[i]! - before[i]!) / Math.max(1, r.requests.total / steps(targets[i]!.ready.api).length);
        });
        const ratio = perUnit[1]! / perUnit[0]!;
        ratios.push(ratio);
        console.log(
          `${String(round).padStart(5)}  ${perUnit[0]!.toFixed(0).padStart(12)}  ${perUnit[1]!.toFixed(0).padStart(14)}  ${ratio.toFixed(3).padStart(11)}`,
        );
      }
      console.log(
        `\nchange/base CPU per ${unit}: median ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`,
      );
    } finally {
      await Promise.all(targets.map((t) => stopTarget(t.child)));
    }
  } finally {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    base?.remove();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
