// Starts the server: config → storage → migrations → app → listen, and the workers unless CASA_ROLE=api
// (CASA_ROLE=worker: the workers alone, without the app).
import { loadConfig, type Config } from './config.js';
import { openConfiguredStorage } from './db/database.js';
import { randomIds, systemClock } from './domain/clock.js';
import { backgroundServices } from './background.js';
import { migrate, resolveAdminKey, seedDemoCompany } from './bootstrap.js';
import { startWorkers, type Workers } from './workers/index.js';
import { isClusterChild, runCluster } from './cluster.js';
import { onShutdown } from './graceful-shutdown.js';
import { openFileStorage } from './storage/open-file-storage.js';

// The bench's servers (and other checkouts' builds in `npm run bench:ab`) take it from here.
export { openConfiguredStorage };

function banner(lines: string[]): void {
  const width = Math.max(...lines.map((l) => l.length));
  process.stdout.write(`\n${'='.repeat(width)}\n${lines.join('\n')}\n${'='.repeat(width)}\n\n`);
}

export async function serve(config: Config = loadConfig()): Promise<void> {
  if (config.processes > 1 && config.role !== 'worker' && !isClusterChild)
    return runCluster(config, { openStorage: openConfiguredStorage, openFiles: openFileStorage, banner });
  // The file store first: a server that cannot keep files stops before it touches the database.
  const files = await openFileStorage(config);
  const storage = await openConfiguredStorage(config);
  await migrate(storage);
  const admin = await resolveAdminKey(storage, config);
  const clock = systemClock;
  // Imported here, not at the top: the cluster primary and workers never load the app's modules
  // (Fastify, routes, schemas, docs), which would only cost them memory.
  const app =
    config.role === 'worker'
      ? null
      : await (await import('./app.js')).buildApp({ config, storage, clock, ids: randomIds, adminKeyHash: admin.hash, files });
  // A worker answers no HTTP: it runs on the services alone.
  const background = app ? null : backgroundServices(storage, config, files);
  const { services, log } = app ?? background!;

  const notes: string[] = [];
  if (!config.databaseUrl) {
    const demo = await seedDemoCompany(storage, services);
    if (demo) {
      notes.push(
        'Demo Company created on this new database.',
        `  demo api-key:  ${demo.apiKey}`,
        `  manager login: ${demo.managerEmail} / ${demo.managerPassword}`,
      );
    }
  }
  if (admin.generated) notes.push(`  admin-key:     ${admin.generated}   (shown once; set CASA_ADMIN_KEY to choose your own)`);

  let workers: Workers | null = null;
  if (config.role !== 'api') workers = startWorkers({ config, clock, services, log });

  // A cluster child is stopped by its primary, which says so itself.
  onShutdown(log, { delay: 10_000, quiet: isClusterChild }, async () => {
    await app?.close(); // stops accepting, lets in-flight requests finish
    await workers?.stop();
    await background?.close();
    await storage.close();
  });

  if (app) {
    await app.listen({ port: config.port, host: config.host });
    notes.push(
      `casa-integrate listening on ${config.publicUrl}  (API ${config.publicUrl}/api/integrate/v3, docs ${config.publicUrl}/docs)`,
    );
  } else {
    notes.push('casa-integrate worker running (no HTTP).');
  }
  if (notes.length && !isClusterChild) banner(notes);
}
