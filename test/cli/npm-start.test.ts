// `npm start` as the README runs it: npm, then the prestart build, then the server. A stop signal
// to what the user started must stop the server itself, not only npm (a shell between them once
// died of SIGTERM and left the server running, orphaned).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { cliEnvironment, freePort } from '../helpers/child-process.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startNpm(t: import('node:test').TestContext) {
  const cli = await cliEnvironment(t);
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env, ...cli.env, PORT: String(port), LOG_LEVEL: 'info' };
  for (const name of ['CASA_ADMIN_KEY', 'REDIS_URL', 'SMTP_URL', 'NODE_OPTIONS']) delete env[name];
  if (!cli.env.DATABASE_URL) delete env.DATABASE_URL;
  // Its own process group, as a terminal gives the command it runs: Ctrl-C goes to the whole group.
  const npm = spawn('npm', ['start'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  npm.stdout.on('data', (d) => (output += d));
  npm.stderr.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    npm.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const server = { pid: 0 };
  t.after(() => {
    if (npm.exitCode === null && npm.signalCode === null) process.kill(-npm.pid!, 'SIGKILL');
    if (server.pid && alive(server.pid)) process.kill(server.pid, 'SIGKILL'); // an orphan keeps this file's pipes open
  });
  server.pid = await new Promise<number>((resolve, reject) => {
    const look = () => {
      const pid = /"pid":(\d+)[^\n]*"msg":"Server listening at/.exec(output)?.[1];
      if (pid) resolve(Number(pid));
    };
    npm.stdout.on('data', look);
    npm.stderr.on('data', look);
    void exited.then(() => reject(new Error(`npm start ended before the server listened:\n${output}`)));
  });
  return { npm, port, serverPid: server.pid, exited, output: () => output };
}

async function refused(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`).then(
    () => false,
    () => true,
  );
}

describe('npm start', () => {
  for (const [signal, how] of [
    ['SIGTERM', 'to the npm process'],
    ['SIGINT', 'to its process group (Ctrl-C in a terminal)'],
  ] as const) {
    it(`stops the server on ${signal} ${how}, logging one line, and exits 0`, async (t) => {
      const { npm, port, serverPid, exited, output } = await startNpm(t);
      assert.notEqual(serverPid, npm.pid, 'the server runs in a process of its own');
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
      // That request's log line is written asynchronously: wait for it, so what follows the signal is the server's alone.
      while (!output().includes('"msg":"request completed"')) await new Promise((resolve) => setTimeout(resolve, 20));
      const before = output().length;

      if (signal === 'SIGTERM') npm.kill('SIGTERM');
      else process.kill(-npm.pid!, 'SIGINT');
      const end = await exited;

      assert.deepEqual(end, { code: 0, signal: null }, output());
      assert.equal(alive(serverPid), false, `the server process ${serverPid} is gone, not orphaned`);
      assert.equal(await refused(port), true, 'nothing answers on the port any more');
      const after = output().slice(before).trim().split('\n');
      assert.equal(after.length, 1, `one line after the signal:\n${after.join('\n')}`);
      const line = JSON.parse(after[0]!) as { level: number; signal: string; msg: string; pid: number };
      assert.equal(line.signal, signal);
      assert.equal(line.pid, serverPid);
      assert.match(line.msg, new RegExp(`^${signal} received`));
    });
  }
});
