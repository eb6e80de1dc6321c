// The webhook receiver of the benches, in its own process: answers 200 to every POST, counts
// arrivals per `webhook-id` (the event id) and timestamps each one. The parent asks over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../src/domain/clock.js';

export interface Arrival {
  id: string;
  atUs: number;
}

function receiverMain(): void {
  const counts = new Map<string, number>();
  let total = 0;
  let arrivals: Arrival[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      counts.set(id, (counts.get(id) ?? 0) + 1);
      total++;
      arrivals.push({ id, atUs: systemClock.nowUs() });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.send!({ type: 'listening', url: `http://127.0.0.1:${port}/hook` });
  });
  process.on('message', (m: { type: string }) => {
    if (m.type === 'counts') process.send!({ type: 'counts', total, counts: [...counts] });
    if (m.type === 'waiting') process.send!({ type: 'waiting', count: arrivals.length });
    if (m.type === 'take') {
      process.send!({ type: 'arrivals', arrivals });
      arrivals = [];
    }
    if (m.type === 'stop') {
      server.closeAllConnections();
      server.close(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
}

export interface WebhookCounter {
  url: string;
  pid: number;
  /** Every arrival since the start: how many, and how many times each event id. */
  counts(): Promise<{ total: number; counts: Map<string, number> }>;
  /** How many arrivals the next `take()` would answer. */
  waiting(): Promise<number>;
  /** The timestamped arrivals since the last `take()`. */
  take(): Promise<Arrival[]>;
  stop(): void;
}

function ask<T>(child: ChildProcess, type: string, answer: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string } & T) => {
      if (m.type !== answer) return;
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
    child.send({ type });
  });
}

export async function startWebhookCounter(): Promise<WebhookCounter> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--receiver'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string }));
    child.once('exit', (code) => reject(new Error(`webhook receiver exited with ${code}`)));
  });
  return {
    url,
    pid: child.pid!,
    counts: async () => {
      const m = await ask<{ total: number; counts: [string, number][] }>(child, 'counts', 'counts');
      return { total: m.total, counts: new Map(m.counts) };
    },
    waiting: async () => (await ask<{ count: number }>(child, 'waiting', 'waiting')).count,
    take: async () => (await ask<{ arrivals: Arrival[] }>(child, 'take', 'arrivals')).arrivals,
    stop: () => {
      if (child.connected) child.send({ type: 'stop' });
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--receiver')) receiverMain();
