// Webhook delivery, measured end to end on an embedded SQLite file: events are written the way
// the order lifecycle writes them (an order event in a transaction), the dispatcher sends them
// to a receiver on loopback running in its own process, and the receiver timestamps each arrival.
//
//   throughput: BENCH_WEBHOOK_EVENTS (default 5,000) events queued at once, then drained: events/s
//   latency:    BENCH_WEBHOOK_RATE events/s (default 100) for BENCH_WEBHOOK_SECONDS (default 5), each
//               in its own transaction, with the dispatcher running: transition → receipt p50/p99
//
// `npm run bench -- webhooks` runs only this (also alone: `npx tsx bench/scenarios/webhooks.ts`); targets ≥ 1,000 events/s and p50 < 100 ms.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { openStorage } from '../../src/db/database.js';
import { migrate } from '../../src/bootstrap.js';
import { createServices, serviceDepsOn, type Services } from '../../src/services/index.js';
import type { ServiceDeps } from '../../src/services/deps.js';
import { createWebhookDispatcher } from '../../src/workers/webhook-dispatcher.js';
import { startWebhookCounter, type WebhookCounter } from './webhook-counter.js';

export const WEBHOOKS_BENCH = 'webhooks';
export const TARGET_EVENTS_PER_S = 1000;
export const TARGET_P50_MS = 100;

export interface WebhookBenchResult {
  events: number;
  eventsPerSecond: number;
  /** CPU of the dispatching process (dispatcher and database, not the receiver) per delivered event. */
  cpuUsPerEvent: number;
  latencyEvents: number;
  p50Ms: number;
  p99Ms: number;
  meetsTargets: boolean;
}

async function waitForCount(receiver: WebhookCounter, n: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await receiver.waiting();
    if (count >= n) return;
    if (Date.now() > deadline) throw new Error(`only ${count} of ${n} webhooks arrived`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function recordEvents(
  { db }: Pick<ServiceDeps, 'db'>,
  services: Services,
  companyId: string,
  n: number,
): Promise<Map<string, number>> {
  const created = new Map<string, number>();
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < n; i++) {
      const orderId = crypto.randomUUID();
      const e = await services.orderEvents.record(tx, {
        orderId,
        companyId,
        trigger: 'moved_to_ready',
        currentStatus: 'Ready',
        previousStatus: 'Pending',
        modelId: orderId,
        productType: 'products_2d',
        deliveryType: 'new',
      });
      created.set(e.id, e.created_at);
    }
  });
  return created;
}

export async function runWebhookBench(opts: { events?: number; rate?: number; seconds?: number } = {}): Promise<WebhookBenchResult> {
  const events = opts.events ?? Number(process.env.BENCH_WEBHOOK_EVENTS || 5000);
  const rate = opts.rate ?? Number(process.env.BENCH_WEBHOOK_RATE || 100);
  const seconds = opts.seconds ?? Number(process.env.BENCH_WEBHOOK_SECONDS || 5);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-bench-webhooks-'));
  const receiver = await startWebhookCounter();
  const { url } = receiver;
  const storage = await openStorage({ databaseUrl: null, sqliteFile: path.join(dataDir, 'casa.sqlite') });
  try {
    await migrate(storage);
    const config = { ...loadConfig({ CASA_DATA_DIR: dataDir, CASA_WEBHOOK_ALLOW_PRIVATE: 'true' }), databaseUrl: null };
    const log = pino({ level: 'warn' });
    const deps = serviceDepsOn(storage, config, log);
    const services = createServices(deps);
    const company = await services.company.create({ name: 'Bench Webhooks', manager_email: 'manager@bench-webhooks.example' });
    await services.company.setWebhook(company.company.id, { webhook_urls: [url], webhook_triggers: ['moved_to_ready'] });
    const dispatcher = createWebhookDispatcher({ ...deps, webhooks: services.webhooks, deliveries: services.webhookDeliveries });

    // Throughput: a backlog drained as fast as the dispatcher goes.
    for (let done = 0; done < events; done += 500) await recordEvents(deps, services, company.company.id, Math.min(500, events - done));
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    dispatcher.start();
    await waitForCount(receiver, events, 300_000);
    const eventsPerSecond = events / ((performance.now() - started) / 1000);
    const cpu = process.cpuUsage(cpuBefore);
    const cpuUsPerEvent = (cpu.user + cpu.system) / events;
    await receiver.take();

    // Latency: transitions at a steady rate, one transaction each, while the dispatcher runs.
    const created = new Map<string, number>();
    const total = Math.round(rate * seconds);
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      // Yield to the event loop even when behind: the server between two requests would too.
      await new Promise((r) => (wait > 0 ? setTimeout(r, wait) : setImmediate(r)));
      for (const [id, at] of await recordEvents(deps, services, company.company.id, 1)) created.set(id, at);
    }
    await waitForCount(receiver, total, 60_000);
    const arrivals = await receiver.take();
    const latencies = arrivals
      .filter((a) => created.has(a.id))
      .map((a) => (a.atUs - created.get(a.id)!) / 1000)
      .sort((a, b) => a - b);
    await dispatcher.close();
    const p50Ms = percentile(latencies, 50);
    const p99Ms = percentile(latencies, 99);
    return {
      events,
      eventsPerSecond,
      cpuUsPerEvent,
      latencyEvents: latencies.length,
      p50Ms,
      p99Ms,
      meetsTargets: eventsPerSecond >= TARGET_EVENTS_PER_S && p50Ms < TARGET_P50_MS,
    };
  } finally {
    receiver.stop();
    await storage.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatWebhookBench(r: WebhookBenchResult): string {
  return [
    `webhooks (SQLite, receiver on loopback in its own process)`,
    `  throughput: ${r.events.toLocaleString('en')} queued events drained at ${r.eventsPerSecond.toFixed(0)} events/s (target ≥ ${TARGET_EVENTS_PER_S}); dispatcher CPU ${r.cpuUsPerEvent.toFixed(0)} µs/event`,
    `  latency:    transition → receipt over ${r.latencyEvents} events: p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms (target p50 < ${TARGET_P50_MS} ms)`,
    `  verdict:    ${r.meetsTargets ? 'meets targets' : 'MISSES targets'}`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runWebhookBench()
    .then((r) => {
      console.log(formatWebhookBench(r));
      if (!r.meetsTargets) process.exitCode = 1;
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
