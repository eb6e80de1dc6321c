// CASA_PROCESSES=2: two API processes answer on one port, a killed one is replaced, SIGTERM stops all.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import { apiExecArgv } from '../../src/cluster.js';
import { cliEnvironment, exitOf, freePort, spawnCli, waitForOutput } from '../helpers/child-process.js';

const READY = /casa-integrate listening on/;
const ADMIN_KEY = 'cluster-test-admin-key';

/** One request on a fresh connection, so the kernel spreads them over the processes. */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`GET ${path} timed out`)));
  });
}

function requestPids(log: string): Set<number> {
  const pids = new Set<number>();
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; pid?: number };
    if (entry.msg === 'request completed' && entry.pid) pids.add(entry.pid);
  }
  return pids;
}

describe('CASA_PROCESSES=2', () => {
  it('serves from two processes on one port, replaces a killed one, and stops all on SIGTERM', { timeout: 240_000 }, async (t) => {
    const cli = await cliEnvironment(t);
    const port = await freePort();
    const child = spawnCli(['serve'], {
      ...cli.env,
      PORT: String(port),
      CASA_PROCESSES: '2',
      LOG_LEVEL: 'info',
      CASA_ADMIN_KEY: ADMIN_KEY,
    });
    t.after(() => child.kill('SIGKILL'));
    let log = await waitForOutput(child, READY);
    child.stdout.on('data', (d) => (log += d));
    assert.match(log, /2 API processes, background workers in the primary process/);

    const answers = await Promise.all(Array.from({ length: 60 }, () => get(port, '/admin/v1/companies', { 'admin-key': ADMIN_KEY })));
    assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
    await new Promise((r) => setTimeout(r, 200));
    const pids = requestPids(log);
    assert.equal(pids.size, 2, `two API processes answered: ${[...pids].join(', ')}`);
    assert.ok(!pids.has(child.pid!), 'the primary serves no HTTP');
    if (process.platform === 'linux') {
      // Two API processes fill a machine of up to two cores: each then runs one V8 helper thread.
      const fillsCores = 2 >= os.availableParallelism();
      for (const pid of pids) {
        const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        assert.equal(args.includes('--v8-pool-size=1'), fillsCores, `API process ${pid}: ${args.join(' ')}`);
      }
      const primary = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
      assert.ok(!primary.includes('--v8-pool-size=1'), 'the primary keeps its helper threads for the renders');
    }

    // Kill one API process: the other keeps answering and a replacement is started.
    const [victim] = [...pids];
    process.kill(victim!, 'SIGKILL');
    // Until the primary has seen the death, a connection may still be handed to the dead process.
    const noticed = Date.now() + 30_000;
    while (!log.includes('API process exited; starting another') && Date.now() < noticed) await new Promise((r) => setTimeout(r, 50));
    assert.match(log, /API process exited; starting another/);
    const deadline = Date.now() + 30_000;
    let seen = new Set<number>();
    while (Date.now() < deadline) {
      const before = log.length;
      const more = await Promise.all(Array.from({ length: 20 }, () => get(port, '/healthz')));
      assert.deepEqual(new Set(more.map((a) => a.status)), new Set([200]));
      await new Promise((r) => setTimeout(r, 100));
      seen = requestPids(log.slice(before));
      if (seen.size === 2) break;
    }
    assert.equal(seen.size, 2, 'a replacement process answers next to the survivor');
    assert.ok(!seen.has(victim!), 'the killed process is gone');

    child.kill('SIGTERM');
    assert.equal(await exitOf(child), 0);
    await assert.rejects(get(port, '/healthz'), 'nothing listens after shutdown');
  });
});

describe("the API processes' node options", () => {
  it("add one V8 helper thread when the API processes fill the cores, and keep an operator's own choice", () => {
    const base = ['--max-semi-space-size=4'];
    assert.deepEqual(apiExecArgv(base, 2, 2), ['--max-semi-space-size=4', '--v8-pool-size=1']);
    assert.deepEqual(apiExecArgv(base, 4, 2), ['--max-semi-space-size=4', '--v8-pool-size=1']);
    assert.deepEqual(apiExecArgv(base, 2, 8), base, 'cores to spare: V8 keeps its default');
    assert.deepEqual(apiExecArgv([...base, '--v8-pool-size=3'], 2, 2), [...base, '--v8-pool-size=3']);
    assert.deepEqual(apiExecArgv(base, 2, 2, '--v8-pool-size=2 --max-old-space-size=300'), base, 'NODE_OPTIONS chose already');
  });
});
