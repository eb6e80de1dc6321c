// The measured side of `npm run bench`, run as a child process so the load generator does not
// share its event loop: a real server on an embedded SQLite file in a temp dir, seeded by one
// scenario, and beside it a bare Fastify route answering the same bytes from memory. The server is
// the compiled one in dist/ (built by run.ts), as `npm start` runs it: code loaded through tsx
// behaves differently (esbuild's keep-names wraps every closure made per request).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import type * as AppModule from '../src/app.js';
import type * as ConfigModule from '../src/config.js';
import type * as BootstrapModule from '../src/bootstrap.js';
import type * as ClockModule from '../src/domain/clock.js';
import type * as MainModule from '../src/main.js';
import { ROOT } from './procs.js';
import { scenarios } from './scenarios/index.js';

// BENCH_ROOT: another checkout's compiled server (`npm run bench:ab -- … --against <ref>`).
const serverRoot = process.env.BENCH_ROOT || ROOT;
const compiled = <T>(module: string): Promise<T> => import(pathToFileURL(path.join(serverRoot, 'dist', module)).href) as Promise<T>;
const [{ buildApp }, { loadConfig }, { migrate, resolveAdminKey }, { randomIds, systemClock }, { openConfiguredStorage }] =
  await Promise.all([
    compiled<typeof AppModule>('app.js'),
    compiled<typeof ConfigModule>('config.js'),
    compiled<typeof BootstrapModule>('bootstrap.js'),
    compiled<typeof ClockModule>('domain/clock.js'),
    compiled<typeof MainModule>('main.js'),
  ]);

export interface BenchTarget {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface TargetReady {
  type: 'ready';
  api: BenchTarget & { after?: BenchTarget };
  bare: { url: string; method: string };
  status: number;
  bytes: number;
}

async function main(): Promise<void> {
  const [name, dataDir] = process.argv.slice(2);
  const scenario = scenarios.find((s) => s.name === name);
  if (!scenario || !dataDir) throw new Error(`usage: target.ts <scenario> <data dir>`);

  const config = loadConfig({
    ...process.env,
    ...scenario.env,
    CASA_DATA_DIR: dataDir,
    DATABASE_URL: '',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
    // The limiter still runs on every request; it just never refuses one.
    CASA_RATE_LIMIT_PER_S: '1000000000',
    CASA_RATE_LIMIT_BURST: '1000000000',
  });
  const storage = await openConfiguredStorage(config);
  await migrate(storage);
  const admin = await resolveAdminKey(storage, config);
  const app = await buildApp({ config, storage, clock: systemClock, ids: randomIds, adminKeyHash: admin.hash });
  const request = await scenario.prepare({ storage, services: app.services, config, clock: systemClock });
  const apiBase = await app.listen({ port: 0, host: '127.0.0.1' });

  const sample = await fetch(`${apiBase}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
  const bytes = Buffer.from(await sample.arrayBuffer());
  const contentType = sample.headers.get('content-type') ?? 'application/json';

  const bare = Fastify({ logger: false });
  const barePath = request.path.split('?')[0]!;
  bare.route({ method: request.method, url: barePath, handler: (_req, reply) => reply.header('content-type', contentType).send(bytes) });
  const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });

  const ready: TargetReady = {
    type: 'ready',
    api: {
      url: `${apiBase}${request.path}`,
      method: request.method,
      headers: request.headers,
      body: request.body,
      ...(request.after && { after: { ...request.after, url: `${apiBase}${request.after.path}` } }),
    },
    bare: { url: `${bareBase}${request.path}`, method: request.method },
    status: sample.status,
    bytes: bytes.length,
  };
  process.send!(ready);

  const stop = async () => {
    await bare.close();
    await app.close();
    await storage.close();
    process.exit(0);
  };
  process.on('message', (m) => {
    if (m === 'stop') void stop();
    // The server's own CPU time, so a run on a busy machine still tells what a request costs.
    if (m === 'cpu') process.send!({ type: 'cpu', us: (({ user, system }) => user + system)(process.cpuUsage()) });
  });
  process.on('disconnect', () => void stop());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
