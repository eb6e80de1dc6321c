// The measured side of a single-request scenario as a child process (target.ts): started, asked
// for its CPU time, stopped. Shared by `npm run bench` and `npm run bench:ab`.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_ENV, SERVER_NODE_ARGS, buildServer, profileArgs } from './procs.js';
import type { TargetReady } from './target.js';

/** Starts target.ts for `name` on a fresh data dir; `env` adds settings (BENCH_ROOT: another checkout's server). */
export function startTarget(
  name: string,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; ready: TargetReady }> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  buildServer();
  const child = fork(path.join(here, 'target.ts'), [name, dataDir], {
    execArgv: ['--import', 'tsx', ...SERVER_NODE_ARGS, ...profileArgs()],
    env: { ...process.env, ...SERVER_ENV, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, ready: m as TargetReady }));
    child.once('exit', (code) => reject(new Error(`bench target for ${name} exited with ${code}`)));
  });
}

export function stopTarget(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.send('stop');
  });
}

/** The target's own CPU time (user + system) so far, µs. */
export function serverCpuUs(child: ChildProcess): Promise<number> {
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
