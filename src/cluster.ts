// CASA_PROCESSES=N: N API processes share one port through node:cluster. The primary prepares the
// database once (migrations, admin key, demo company), runs the background workers itself when
// CASA_ROLE=all (so job loops run in exactly one process of the machine), forks the API processes
// with CASA_ROLE=api and restarts any that dies. Further worker processes (`casa-integrate worker`)
// may run beside it: job claims are leased, so several job loops never take the same job.
import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import { onShutdown } from './graceful-shutdown.js';
import type { Config } from './config.js';
import { backgroundServices } from './background.js';
import { migrate, resolveAdminKey, seedDemoCompany } from './bootstrap.js';
import { startWorkers, type Workers } from './workers/index.js';
import type { Storage } from './db/database.js';
import type { FileStorage } from './storage/file-storage.js';
import { systemClock } from './domain/clock.js';

/** True in a process forked by `runCluster`: it serves HTTP and leaves the banner to the primary. */
export const isClusterChild = cluster.isWorker;

export interface ClusterDeps {
  openStorage(config: Config): Promise<Storage>;
  openFiles(config: Config): Promise<FileStorage>;
  banner(lines: string[]): void;
}

export async function runCluster(config: Config, deps: ClusterDeps): Promise<void> {
  // Checked once here, so a store that cannot be used stops the server rather than every child in turn.
  const files = await deps.openFiles(config);
  const storage = await deps.openStorage(config);
  await migrate(storage);
  const admin = await resolveAdminKey(storage, config);
  // The primary never listens: services for the workers and the demo seed, no app.
  const background = backgroundServices(storage, config, files);

  const notes: string[] = [];
  if (!config.databaseUrl) {
    const demo = await seedDemoCompany(storage, background.services);
    if (demo)
      notes.push(
        'Demo Company created on this new database.',
        `  demo api-key:  ${demo.apiKey}`,
        `  manager login: ${demo.managerEmail} / ${demo.managerPassword}`,
      );
  }
  if (admin.generated) notes.push(`  admin-key:     ${admin.generated}   (shown once; set CASA_ADMIN_KEY to choose your own)`);

  let workers: Workers | null = null;
  if (config.role === 'all') workers = startWorkers({ config, clock: systemClock, services: background.services, log: background.log });

  let stopping = false;
  const childEnv = { CASA_ROLE: 'api', CASA_PROCESSES: '1' };
  cluster.setupPrimary({ execArgv: apiExecArgv(process.execArgv, config.processes, os.availableParallelism(), process.env.NODE_OPTIONS) });
  const fork = (): Worker => cluster.fork(childEnv);
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    background.log.error({ pid: worker.process.pid, code, signal }, 'API process exited; starting another');
    fork();
  });

  const listening = new Promise<void>((resolve) => {
    let count = 0;
    cluster.on('listening', () => {
      if (++count === config.processes) resolve();
    });
  });
  for (let i = 0; i < config.processes; i++) fork();

  onShutdown(background.log, { delay: 15_000 }, async () => {
    stopping = true;
    const children = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    await Promise.all(
      children.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM'); // each child drains its in-flight requests, then exits
          }),
      ),
    );
    await workers?.stop();
    await background.close();
    await storage.close();
  });

  await listening;
  notes.push(
    `casa-integrate listening on ${config.publicUrl}  (API ${config.publicUrl}/api/integrate/v3, docs ${config.publicUrl}/docs)`,
    `  ${config.processes} API processes${config.role === 'all' ? ', background workers in the primary process' : ', no background workers (CASA_ROLE=api)'}`,
  );
  deps.banner(notes);
}

/**
 * The API processes' node options: the primary's, and one V8 helper thread instead of four when
 * the API processes alone fill the cores (docs/operations.md). Helper threads beyond one then only
 * wait for a core beside the other processes' request threads. An operator's own
 * `--v8-pool-size` (command line or NODE_OPTIONS) is kept.
 */
export function apiExecArgv(execArgv: string[], processes: number, cores: number, nodeOptions = ''): string[] {
  const chosen = [...execArgv, nodeOptions].some((option) => option.includes('--v8-pool-size'));
  return chosen || processes < cores ? execArgv : [...execArgv, '--v8-pool-size=1'];
}
