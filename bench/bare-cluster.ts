// The bare-Fastify baseline for benches that run the server as several processes: N processes
// (node:cluster, like CASA_PROCESSES=N) on one port, every method and path answered with the
// same bytes from memory. `node --import tsx bench/bare-cluster.ts <processes> <port> <body file>`
// prints `bare listening` once all listen.
import cluster from 'node:cluster';
import fs from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';

async function main(): Promise<void> {
  const [processes, port, bodyFile] = process.argv.slice(2);
  if (cluster.isPrimary) {
    let listening = 0;
    cluster.on('listening', () => {
      if (++listening === Number(processes)) process.stdout.write('bare listening\n');
    });
    for (let i = 0; i < Number(processes); i++) cluster.fork();
    process.on('SIGTERM', () => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      process.exit(0);
    });
    return;
  }
  const bytes = fs.readFileSync(bodyFile!);
  const app = Fastify({ logger: false });
  // Bodies are read (as the API reads them) and ignored.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.all('/*', (_req, reply) => reply.header('content-type', 'application/json; charset=utf-8').send(bytes));
  await app.listen({ port: Number(port), host: '127.0.0.1' });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

/** Starts the baseline and resolves once every process listens. */
export function startBareCluster(processes: number, port: number, bodyFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), String(processes), String(port), bodyFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('bare listening')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`bare baseline exited with ${code}`)));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
