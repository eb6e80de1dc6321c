// Runs the real command line in a child process, with a temporary data directory, and on PostgreSQL
// (TEST_DATABASE_URL) a fresh schema of its own. The children run the compiled server, as `npm
// start` does: the sources are built once per test process (about a second), where loading them
// through tsx would cost every child about two seconds of CPU in tsx's module hooks.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import pg from 'pg';
import { openStorage, type Storage } from '../../src/db/database.js';
import { TEST_DATABASE_URL } from './app.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

let built: string | null = null;

/** This process's build of src/, beside it as dist/ is (so paths relative to the modules hold), removed at exit. */
export function compiledCli(): string {
  if (!built) {
    const name = `dist.children-${process.pid}`;
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--out', name], { cwd: ROOT, stdio: 'pipe' });
    const dir = path.join(ROOT, name);
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    built = dir;
  }
  return path.join(built, 'cli.js');
}

export interface CliEnv {
  env: Record<string, string>;
  dataDir: string;
  /** The same database the child uses, opened in this process. */
  openStorage(): Promise<Storage>;
}

/** A temporary data directory (and PostgreSQL schema when testing on PostgreSQL), removed after the test. */
export async function cliEnvironment(t: TestContext, { embedded = false } = {}): Promise<CliEnv> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-cli-'));
  const env: Record<string, string> = { CASA_DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1' };
  let schema: string | null = null;
  if (TEST_DATABASE_URL && !embedded) {
    schema = `cli_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.end();
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    env.DATABASE_URL = url.toString();
  }
  t.after(async () => {
    // A server still running would go on writing into the directory while it is removed.
    await Promise.all([...(running.get(dataDir) ?? [])].map((child) => stop(child)));
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (schema) {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL! });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });
  return {
    env,
    dataDir,
    openStorage: () =>
      schema
        ? openStorage({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema, pgPoolSize: 2 })
        : openStorage({ databaseUrl: null, sqliteFile: path.join(dataDir, 'casa.sqlite') }),
  };
}

/** Children still alive, by data directory, so that the directory outlives every writer. */
const running = new Map<string, Set<ChildProcessWithoutNullStreams>>();

export function spawnCli(args: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  for (const name of ['DATABASE_URL', 'CASA_ADMIN_KEY', 'PORT', 'REDIS_URL', 'SMTP_URL']) if (!(name in env)) delete childEnv[name];
  const child = spawn(process.execPath, [compiledCli(), ...args], { cwd: ROOT, env: childEnv });
  const dir = env.CASA_DATA_DIR;
  if (dir) {
    const set = running.get(dir) ?? running.set(dir, new Set()).get(dir)!;
    set.add(child);
    child.on('exit', () => set.delete(child));
  }
  return child;
}

/** Kills a child that is still running and resolves once it has exited. */
async function stop(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (hasExited(child)) return;
  child.kill('SIGKILL');
  await exitOf(child);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Collects a child's output and resolves when `pattern` appears in stdout. */
export function waitForOutput(child: ChildProcessWithoutNullStreams, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stdout:\n${out}\nstderr:\n${err}`)), timeoutMs);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!pattern.test(out)) reject(new Error(`exited with ${code} before ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
    });
  });
}

/** A child killed by a signal has a signalCode and no exitCode. */
function hasExited(child: ChildProcessWithoutNullStreams): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (hasExited(child)) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}
