// The mixed workload, against the server run as real processes (`casa-integrate serve`):
// 80 % reads (order lists, orders by id, users, change requests, company info) and 20 % writes
// (drafts created and updated; redraw orders, change requests and upgrades on Ready orders, which
// production then delivers), with every webhook trigger subscribed by a receiver on loopback in
// its own process. Afterwards it checks what the acceptance test of issue 7 asks: no 5xx, every
// created order listed exactly once when paging GET /orders, every webhook event received at
// least once and at most once per attempt logged by the server.
//
//   mixed     SQLite, CASA_PROCESSES=2 (the primary runs production and webhook dispatch)
//   mixed-pg  PostgreSQL (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/test, a fresh
//             schema dropped afterwards), CASA_ROLE=api CASA_PROCESSES=2 plus two CASA_ROLE=worker
//
//   BENCH_MIXED_ORDERS           orders seeded before the run (default 10,000)
//   BENCH_MIXED_PROCESSES        CASA_PROCESSES of the API (default 2)
//   BENCH_MIXED_PROBE            set: first time each operation alone (10 requests in turn, median)
//   BENCH_PROFILE                a directory: every server process writes a V8 CPU profile there
//   BENCH_MIXED_PRODUCTION_RATE  writes per second that give production work (default 0.5; each
//                                is a render of the deliverables, hundreds of times the CPU of a
//                                request: at 2/s production takes a large share of a 2-core machine)
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { openStorage, type Storage } from '../../src/db/database.js';
import { migrate } from '../../src/bootstrap.js';
import { systemClock } from '../../src/domain/clock.js';
import { boughtProducts } from '../../src/domain/catalog.js';
import { createServicesOn } from '../../src/services/index.js';
import { seedOrders } from '../../test/orders/seed.js';
import { startBareCluster } from '../bare-cluster.js';
import { freePort, profileArgs, sampleRss, spawnCli, stopProcess, waitForOutput, type ProcessPeak } from '../procs.js';
import { startWebhookCounter, type WebhookCounter } from './webhook-counter.js';

export const MIXED_BENCH = 'mixed';
export const MIXED_PG_BENCH = 'mixed-pg';
const API = '/api/integrate/v3';
const TRIGGERS = ['moved_to_draft', 'moved_to_pending', 'moved_to_ready', 'moved_to_fixing', 'moved_to_failed'] as const;
const ADMIN_KEY = 'bench-mixed-admin-key';
export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface MixedOptions {
  database: 'sqlite' | 'postgres';
  durationS: number;
  warmupS: number;
  connections: number;
  /** Measure the same mix against a bare Fastify on as many processes (the table's ratio). */
  bare: boolean;
  orders?: number;
  productionRate?: number;
  /** CASA_PROCESSES of the API (default BENCH_MIXED_PROCESSES, or 2). */
  apiProcesses?: number;
  pgUrl?: string;
  log?: (line: string) => void;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface MixedResult {
  database: 'sqlite' | 'postgres';
  processes: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  bareRps: number | null;
  peaks: ProcessPeak[];
  /** CPU of the API processes alone (the cluster's primary and its HTTP children) per measured request, µs. */
  apiCpuUs: number;
  /** CPU of every process (production renders and webhook dispatch included) per measured request, µs. */
  allCpuUs: number;
  statusCounts: Record<string, number>;
  ops: Record<string, Record<string, number>>;
  checks: Check[];
  ok: boolean;
}

type Op =
  | 'list-orders'
  | 'get-order'
  | 'list-users'
  | 'list-change-requests'
  | 'list-orders-ready'
  | 'company-info'
  | 'create-draft'
  | 'patch-draft'
  | 'redraw'
  | 'change-request'
  | 'post-purchase';

// Weights in percent: 80 reads, 20 writes. `production` is a redraw, a change request or an
// upgrade when the production rate allows one, a draft otherwise.
const MIX: [Op | 'production', number][] = [
  ['list-orders', 25],
  ['get-order', 25],
  ['list-users', 10],
  ['list-change-requests', 10],
  ['list-orders-ready', 5],
  ['company-info', 5],
  ['create-draft', 10],
  ['patch-draft', 8],
  ['production', 2],
];

const READ_OPS = new Set<Op>(['list-orders', 'get-order', 'list-users', 'list-change-requests', 'list-orders-ready', 'company-info']);

interface Seeded {
  apiKey: string;
  companyId: string;
  managerEmail: string;
  orderIds: string[];
  readyIds: string[];
  draftIds: string[];
}

/** What the load knows and learns: ids to read and write, and every order it created. */
class Workload {
  readonly orderIds: string[];
  readonly readyIds: string[];
  readonly readyPool: string[];
  readonly draftIds: string[];
  /** Orders answered 200 to a create: id → operation. */
  readonly created = new Map<string, Op>();
  /** Every create sent carries a unique external_id: those sent, answered or not (cut off at the end). */
  readonly sentExternalIds = new Set<string>();
  readonly ops: Record<string, Record<string, number>> = {};
  private tokens = 1;
  private refilledAt = performance.now();
  private productionTurn = 0;
  private counter = 0;

  constructor(
    private readonly seeded: Seeded,
    private readonly productionRate: number,
  ) {
    this.orderIds = [...seeded.orderIds];
    this.readyIds = [...seeded.readyIds];
    this.readyPool = [...seeded.readyIds].sort(() => Math.random() - 0.5);
    this.draftIds = [...seeded.draftIds];
  }

  private any<T>(list: T[]): T {
    return list[Math.floor(Math.random() * list.length)]!;
  }

  private productionOp(): Op {
    const now = performance.now();
    this.tokens = Math.min(1, this.tokens + ((now - this.refilledAt) / 1000) * this.productionRate);
    this.refilledAt = now;
    if (this.tokens < 1) return 'create-draft';
    this.tokens -= 1;
    const turn = (['redraw', 'change-request', 'post-purchase'] as const)[this.productionTurn++ % 3]!;
    return turn !== 'redraw' && this.readyPool.length === 0 ? 'redraw' : turn;
  }

  pick(): Op {
    let r = Math.random() * 100;
    for (const [op, weight] of MIX) {
      r -= weight;
      if (r < 0) return op === 'production' ? this.productionOp() : op;
    }
    return 'list-orders';
  }

  private draftBody(patch = false): string {
    const n = ++this.counter;
    // An update leaves external_id as it is (omitted fields keep their value): it names the order.
    const externalId = patch ? undefined : `MIX-${n}`;
    if (externalId) this.sentExternalIds.add(externalId);
    return JSON.stringify({
      street: `${100 + (n % 800)} Bench Avenue`,
      suite: null,
      city: 'New Orleans',
      state: 'Louisiana',
      country: 'United States',
      postalCode: '70130',
      info: `bench draft ${n}`,
      latitude: 29.958365,
      longitude: -90.066198,
      external_id: externalId,
      owner_email: this.seeded.managerEmail,
      package_type: 'base',
      add_ons: [],
    });
  }

  request(op: Op): { method: 'GET' | 'POST' | 'PATCH'; path: string; body?: string } {
    switch (op) {
      case 'list-orders':
        return { method: 'GET', path: `${API}/orders?limit=20` };
      case 'get-order':
        return { method: 'GET', path: `${API}/orders/${this.any(this.orderIds)}` };
      case 'list-users':
        return { method: 'GET', path: `${API}/users?limit=20` };
      case 'list-change-requests':
        return { method: 'GET', path: `${API}/orders/${this.any(this.readyIds)}/change-requests` };
      case 'list-orders-ready':
        return { method: 'GET', path: `${API}/orders?limit=20&status=Ready` };
      case 'company-info':
        return { method: 'GET', path: `${API}/companies/info` };
      case 'create-draft':
        return { method: 'POST', path: `${API}/orders/draft`, body: this.draftBody() };
      case 'patch-draft':
        return { method: 'PATCH', path: `${API}/orders/draft/${this.any(this.draftIds)}`, body: this.draftBody(true) };
      case 'redraw': {
        const externalId = `MIX-R${++this.counter}`;
        this.sentExternalIds.add(externalId);
        return {
          method: 'POST',
          path: `${API}/orders`,
          body: JSON.stringify({
            street: '615 Bourbon St',
            city: 'New Orleans',
            country: 'United States',
            info: 'bench redraw',
            source: 'https://example.com/drawing.png',
            external_id: externalId,
            owner_email: this.seeded.managerEmail,
            package_type: 'base',
          }),
        };
      }
      case 'change-request':
        return {
          method: 'POST',
          path: `${API}/orders/${this.readyPool.pop()!}/change-requests`,
          body: JSON.stringify({ message: 'The kitchen is labelled as a bedroom.' }),
        };
      case 'post-purchase':
        return {
          method: 'POST',
          path: `${API}/orders/${this.readyPool.pop()!}/post-purchase`,
          body: JSON.stringify({ package_type: 'plus', add_ons: [] }),
        };
    }
  }

  record(op: Op, status: number, body: string, learn: boolean): void {
    const byStatus = (this.ops[op] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (!learn || status !== 200 || (op !== 'create-draft' && op !== 'redraw')) return;
    const id = (JSON.parse(body) as { id: string }).id;
    if (this.created.has(id)) throw new Error(`order ${id} was answered twice as created`);
    this.created.set(id, op);
    this.orderIds.push(id);
    if (op === 'create-draft') this.draftIds.push(id);
  }
}

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  statusCounts: Record<string, number>;
  errors: number;
}

async function runLoad(
  baseUrl: string,
  apiKey: string,
  work: Workload,
  durationS: number,
  connections: number,
  learn: boolean,
): Promise<LoadResult> {
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: durationS,
    pipelining: 1,
    requests: [
      {
        method: 'GET',
        path: '/',
        setupRequest: (req, context) => {
          const op = work.pick();
          (context as { op?: Op }).op = op;
          const r = work.request(op);
          const headers: Record<string, string> = { 'api-key': apiKey };
          if (r.body) headers['content-type'] = 'application/json';
          return { ...req, method: r.method, path: r.path, headers, body: r.body ?? '' };
        },
        onResponse: (status, body, context) => work.record((context as { op: Op }).op, status, body, learn),
      },
    ],
  });
  const statusCounts: Record<string, number> = { '2xx': result['2xx'], '4xx': result['4xx'], '5xx': result['5xx'] };
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    statusCounts,
    errors: result.errors + result.timeouts,
  };
}

async function seed(storage: Storage, dataDir: string, databaseUrl: string | null, webhookUrl: string, orders: number): Promise<Seeded> {
  await migrate(storage);
  const config = { ...loadConfig({ CASA_DATA_DIR: dataDir, CASA_WEBHOOK_ALLOW_PRIVATE: 'true', LOG_LEVEL: 'warn' }), databaseUrl };
  const services = createServicesOn(storage, config, pino({ level: 'warn' }));
  const company = await services.company.create({
    name: 'Bench Mixed',
    manager_email: 'manager@bench-mixed.example',
    manager_password: 'bench-password-1',
  });
  const companyId = company.company.id;
  await services.company.setWebhook(companyId, { webhook_urls: [webhookUrl], webhook_triggers: [...TRIGGERS] });
  const now = systemClock.nowUs();
  const users = Array.from({ length: 99 }, (_, i) => ({
    id: crypto.randomUUID(),
    company_id: companyId,
    office_id: company.company.main_office_id,
    email: `user${i}@bench-mixed.example`,
    name: `Name${i}`,
    surname: `Surname${i}`,
    role: (['User', 'Collaborator', 'Manager'] as const)[i % 3]!,
    email_confirmed: 1,
    password_hash: null,
    created_at: now - (100 - i) * 1_000_000,
  }));
  await storage.db.insertInto('users').values(users).execute();
  // A third Ready (the base package delivered), a third Draft, a third Failed: nothing production
  // would pick up by itself.
  const delivered = JSON.stringify(boughtProducts('base', []));
  const statuses = ['Ready', 'Draft', 'Failed'] as const;
  const start = now - orders * 1000 - 60_000_000;
  const ids = await seedOrders(storage.db, {
    companyId,
    count: orders,
    startUs: start,
    row: (i) => {
      const status = statuses[i % 3]!;
      return {
        status,
        owner_email: company.manager.email,
        created_by: company.manager.email,
        ...(status === 'Ready' ? { delivered_products: delivered, first_delivered_at: start + i * 1000 } : {}),
      };
    },
  });
  return {
    apiKey: company.api_key,
    companyId,
    managerEmail: company.manager.email,
    orderIds: ids,
    readyIds: ids.filter((_, i) => i % 3 === 0),
    draftIds: ids.filter((_, i) => i % 3 === 1),
  };
}

/** Every order of the company, paging GET /orders 100 at a time: how often each id was listed. */
async function listAll(
  baseUrl: string,
  apiKey: string,
): Promise<{ counts: Map<string, number>; externalIds: Map<string, string | null>; status5xx: number }> {
  const counts = new Map<string, number>();
  const externalIds = new Map<string, string | null>();
  let status5xx = 0;
  for (let offset = 0; ; offset += 100) {
    const res = await fetch(`${baseUrl}${API}/orders?limit=100&offset=${offset}`, { headers: { 'api-key': apiKey } });
    if (res.status >= 500) status5xx++;
    if (res.status !== 200) throw new Error(`GET /orders?offset=${offset} answered ${res.status}: ${await res.text()}`);
    const page = (await res.json()) as { items: { id: string; info: { external_id: string | null } }[]; pagination: { has_more: boolean } };
    for (const item of page.items) {
      counts.set(item.id, (counts.get(item.id) ?? 0) + 1);
      externalIds.set(item.id, item.info.external_id);
    }
    if (!page.pagination.has_more) return { counts, externalIds, status5xx };
  }
}

/** What any write to the company's orders changes: their number and the latest update. */
async function ordersSignature(storage: Storage, companyId: string): Promise<string> {
  const row = await storage.db
    .selectFrom('orders')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('latest')])
    .where('company_id', '=', companyId)
    .executeTakeFirstOrThrow();
  return `${row.n}/${row.latest}`;
}

/**
 * Pages GET /orders once the server has finished the requests the load generator cut off: on a
 * saturated host a create can still be committing seconds after the load stops, and each late
 * order shifts later offset pages by one. A listing counts only if no order changed while it ran.
 */
async function listWhenSettled(storage: Storage, companyId: string, baseUrl: string, apiKey: string): ReturnType<typeof listAll> {
  const STILL_MS = 2000;
  const deadline = Date.now() + 120_000;
  for (;;) {
    let before = await ordersSignature(storage, companyId);
    for (let stillSince = Date.now(); Date.now() - stillSince < STILL_MS && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 250));
      const now = await ordersSignature(storage, companyId);
      if (now !== before) [before, stillSince] = [now, Date.now()];
    }
    const listed = await listAll(baseUrl, apiKey);
    if ((await ordersSignature(storage, companyId)) === before || Date.now() > deadline) return listed;
  }
}

/** Waits until no webhook delivery of the company is waiting and production has nothing due or leased. */
async function waitForQuiet(
  storage: Storage,
  companyId: string,
  timeoutMs: number,
): Promise<{ quiet: boolean; pendingDeliveries: number; busyOrders: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const deliveries = await storage.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('company_id', '=', companyId)
      .where('status', 'in', ['pending', 'retrying'])
      .executeTakeFirstOrThrow();
    const orders = await storage.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('company_id', '=', companyId)
      .where((eb) => eb.or([eb('due_at', 'is not', null), eb('lease_owner', 'is not', null)]))
      .executeTakeFirstOrThrow();
    const pendingDeliveries = Number(deliveries.n);
    const busyOrders = Number(orders.n);
    if (pendingDeliveries === 0 && busyOrders === 0) return { quiet: true, pendingDeliveries, busyOrders };
    if (Date.now() > deadline) return { quiet: false, pendingDeliveries, busyOrders };
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function webhookChecks(storage: Storage, companyId: string, counter: WebhookCounter): Promise<Check[]> {
  const events = await storage.db.selectFrom('order_events').select(['id', 'trigger']).where('company_id', '=', companyId).execute();
  const deliveries = await storage.db
    .selectFrom('webhook_deliveries')
    .select(['id', 'event_id', 'status'])
    .where('company_id', '=', companyId)
    .execute();
  const attempts = await storage.db
    .selectFrom('webhook_attempts')
    .select(['delivery_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('company_id', '=', companyId)
    .groupBy('delivery_id')
    .execute();
  const attemptsByDelivery = new Map(attempts.map((a) => [a.delivery_id, Number(a.n)]));
  const { total, counts } = await counter.counts();

  const deliveryByEvent = new Map(deliveries.map((d) => [d.event_id, d]));
  const subscribed = events.filter((e) => (TRIGGERS as readonly string[]).includes(e.trigger));
  const withoutDelivery = subscribed.filter((e) => !deliveryByEvent.has(e.id));
  const notDelivered = deliveries.filter((d) => d.status !== 'delivered');
  const neverReceived = deliveries.filter((d) => !counts.has(d.event_id));
  let overAttempts = 0;
  let duplicates = 0;
  let attemptsTotal = 0;
  for (const d of deliveries) {
    const received = counts.get(d.event_id) ?? 0;
    const made = attemptsByDelivery.get(d.id) ?? 0;
    attemptsTotal += made;
    if (received > made) overAttempts++;
    if (received > 1) duplicates++;
  }
  const unknown = [...counts.keys()].filter((id) => !deliveryByEvent.has(id));
  const byTrigger = Object.entries(
    subscribed.reduce<Record<string, number>>((acc, e) => {
      acc[e.trigger] = (acc[e.trigger] ?? 0) + 1;
      return acc;
    }, {}),
  )
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  return [
    {
      name: 'every event has a webhook delivery',
      ok: withoutDelivery.length === 0 && subscribed.length > 0,
      detail: `${subscribed.length} events (${byTrigger}), ${withoutDelivery.length} without a delivery`,
    },
    {
      name: 'every delivery delivered',
      ok: notDelivered.length === 0,
      detail: `${deliveries.length - notDelivered.length} of ${deliveries.length} delivered (${attemptsTotal} attempts logged)`,
    },
    {
      name: 'every event received at least once',
      ok: neverReceived.length === 0,
      detail: `${deliveries.length - neverReceived.length} of ${deliveries.length} received; ${total} requests at the receiver, ${duplicates} events received more than once`,
    },
    {
      name: 'at most once per attempt',
      ok: overAttempts === 0 && unknown.length === 0,
      detail: `${overAttempts} events received more often than attempted, ${unknown.length} unknown ids received`,
    },
  ];
}

function pgUrlWithSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

async function pgAdmin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function runMixedBench(opts: MixedOptions): Promise<MixedResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const orders = opts.orders ?? Number(process.env.BENCH_MIXED_ORDERS || 10_000);
  const productionRate = opts.productionRate ?? Number(process.env.BENCH_MIXED_PRODUCTION_RATE || 0.5);
  const apiProcesses = opts.apiProcesses ?? Number(process.env.BENCH_MIXED_PROCESSES || 2);
  const pgBase = opts.pgUrl ?? process.env.BENCH_PG_URL ?? DEFAULT_PG_URL;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-bench-mixed-'));
  const schema = opts.database === 'postgres' ? `bench_mixed_${process.pid}_${crypto.randomBytes(3).toString('hex')}` : null;
  const databaseUrl = schema ? pgUrlWithSchema(pgBase, schema) : null;
  const counter = await startWebhookCounter();
  const processes: ChildProcess[] = [];
  let storage: Storage | null = null;
  try {
    if (schema) await pgAdmin(pgBase, `CREATE SCHEMA "${schema}"`);
    storage = await openStorage({
      databaseUrl: schema ? pgBase : null,
      pgSchema: schema ?? undefined,
      pgPoolSize: 2,
      sqliteFile: path.join(dataDir, 'casa.sqlite'),
    });
    log(`  seeding ${orders.toLocaleString('en')} orders and 100 users${schema ? ` in PostgreSQL schema ${schema}` : ' in SQLite'}…`);
    const seeded = await seed(storage, dataDir, databaseUrl, counter.url, orders);
    if (opts.database === 'sqlite') {
      await storage.close();
      storage = null;
    }

    const port = await freePort();
    const env: Record<string, string> = {
      CASA_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
      CASA_ADMIN_KEY: ADMIN_KEY,
      CASA_PROCESSES: String(apiProcesses),
      CASA_PRODUCTION_DELAY_S: '1',
      CASA_WEBHOOK_ALLOW_PRIVATE: 'true',
      // The limiter still runs on every request; it just never refuses one.
      CASA_RATE_LIMIT_PER_S: '1000000000',
      CASA_RATE_LIMIT_BURST: '1000000000',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl, CASA_ROLE: 'api' } : { CASA_ROLE: 'all' }),
    };
    const nodeArgs = profileArgs();
    const server = spawnCli(['serve'], env, nodeArgs);
    processes.push(server);
    await waitForOutput(server, /casa-integrate listening on/);
    const roots = [{ pid: server.pid!, label: databaseUrl ? 'api primary' : 'primary (workers)', childLabel: 'api' }];
    if (databaseUrl) {
      for (let i = 0; i < 2; i++) {
        const worker = spawnCli(['worker'], { ...env, CASA_ROLE: 'worker', CASA_PROCESSES: '1' }, nodeArgs);
        processes.push(worker);
        await waitForOutput(worker, /worker running/);
        roots.push({ pid: worker.pid!, label: `worker ${i + 1}`, childLabel: `worker ${i + 1} child` });
      }
    }
    const processesLabel = databaseUrl
      ? `CASA_ROLE=api CASA_PROCESSES=${apiProcesses} (+ primary), CASA_ROLE=worker ×2`
      : `CASA_PROCESSES=${apiProcesses} (+ primary running the workers)`;
    const baseUrl = `http://127.0.0.1:${port}`;

    const work = new Workload(seeded, productionRate);
    if (process.env.BENCH_MIXED_PROBE) {
      // One request at a time, each operation in turn: where a request's time goes without load.
      // Its orders count among those the checks look for.
      const probe = work;
      const times: Record<string, number[]> = {};
      for (let i = 0; i < 10; i++) {
        for (const op of [
          'list-orders',
          'get-order',
          'list-users',
          'list-change-requests',
          'list-orders-ready',
          'company-info',
          'create-draft',
          'patch-draft',
        ] as Op[]) {
          const r = probe.request(op);
          const t0 = performance.now();
          const res = await fetch(`${baseUrl}${r.path}`, {
            method: r.method,
            headers: { 'api-key': seeded.apiKey, ...(r.body ? { 'content-type': 'application/json' } : {}) },
            body: r.body,
          });
          const text = await res.text();
          (times[op] ??= []).push(performance.now() - t0);
          probe.record(op, res.status, text, true);
        }
      }
      log(
        `  unloaded, median ms: ${Object.entries(times)
          .map(([op, t]) => `${op} ${t.sort((x, y) => x - y)[5]!.toFixed(1)}`)
          .join(', ')}`,
      );
    }

    let bareRps: number | null = null;
    if (opts.bare) {
      const sample = await fetch(`${baseUrl}${API}/orders?limit=20`, { headers: { 'api-key': seeded.apiKey } });
      const bodyFile = path.join(dataDir, 'bare-body.json');
      fs.writeFileSync(bodyFile, Buffer.from(await sample.arrayBuffer()));
      const barePort = await freePort();
      const bare = await startBareCluster(apiProcesses, barePort, bodyFile);
      try {
        const bareWork = new Workload(seeded, productionRate);
        if (opts.warmupS > 0) await runLoad(`http://127.0.0.1:${barePort}`, seeded.apiKey, bareWork, opts.warmupS, opts.connections, false);
        bareRps = (await runLoad(`http://127.0.0.1:${barePort}`, seeded.apiKey, bareWork, opts.durationS, opts.connections, false)).rps;
        log(`  bare Fastify, ${apiProcesses} processes, same mix: ${bareRps.toFixed(0)} req/s`);
      } finally {
        await stopProcess(bare);
      }
    }

    const statusCounts: Record<string, number> = { '2xx': 0, '4xx': 0, '5xx': 0, errors: 0 };
    const add = (r: LoadResult) => {
      for (const [k, v] of Object.entries(r.statusCounts)) statusCounts[k] = (statusCounts[k] ?? 0) + v;
      statusCounts.errors! += r.errors;
    };
    if (opts.warmupS > 0) {
      log(`  warming up ${opts.warmupS} s…`);
      add(await runLoad(baseUrl, seeded.apiKey, work, opts.warmupS, opts.connections, true));
    }
    log(
      `  measuring ${opts.durationS} s (${processesLabel}, ${opts.database === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${opts.connections} connections)…`,
    );
    const sampler = sampleRss(roots);
    const measured = await runLoad(baseUrl, seeded.apiKey, work, opts.durationS, opts.connections, true);
    const peaks = sampler.stop();
    add(measured);

    // Checks: wait for production and webhook dispatch to finish what the load started.
    storage ??= await openStorage({ databaseUrl: null, sqliteFile: path.join(dataDir, 'casa.sqlite') });
    log('  load done; waiting for production and webhook dispatch to go quiet…');
    const quiet = await waitForQuiet(storage, seeded.companyId, 180_000);
    const listed = await listWhenSettled(storage, seeded.companyId, baseUrl, seeded.apiKey);
    statusCounts['5xx']! += listed.status5xx;
    const exitCodes = await Promise.all(processes.map((p) => stopProcess(p)));

    const createdCounts = [...work.created.keys()].map((id) => listed.counts.get(id) ?? 0);
    const missing = createdCounts.filter((n) => n === 0).length;
    const twice = [...listed.counts.values()].filter((n) => n > 1).length;
    // Creates still in flight when the load stopped were never answered to the load generator;
    // each may have made its order (once: its external_id is unique) or not.
    const seededIds = new Set(seeded.orderIds);
    const unanswered = [...listed.externalIds].filter(([id]) => !seededIds.has(id) && !work.created.has(id));
    const unansweredExternal = new Set(unanswered.map(([, ext]) => ext));
    const strays = unanswered.filter(([, ext]) => ext === null || !work.sentExternalIds.has(ext)).length;
    const sameRequestTwice = unanswered.length - unansweredExternal.size;
    const expectedTotal = seeded.orderIds.length + work.created.size + unanswered.length;
    const checks: Check[] = [
      {
        name: 'no 5xx',
        ok: statusCounts['5xx'] === 0 && statusCounts.errors === 0,
        detail: `${statusCounts['5xx']} 5xx, ${statusCounts.errors} connection errors/timeouts, ${statusCounts['4xx']} 4xx, ${statusCounts['2xx']} 2xx`,
      },
      {
        name: 'every created order listed exactly once',
        ok:
          missing === 0 &&
          twice === 0 &&
          strays === 0 &&
          sameRequestTwice === 0 &&
          unanswered.length <= opts.connections * 2 &&
          seeded.orderIds.every((id) => listed.counts.get(id) === 1),
        detail:
          `${work.created.size} created (${[...work.created.values()].filter((o) => o === 'redraw').length} redraws), ${missing} missing, ${twice} ids listed more than once, ` +
          `${unanswered.length} made by creates cut off unanswered at the end of a load (${sameRequestTwice} twice, ${strays} from no request sent); ${listed.counts.size} listed of ${expectedTotal}`,
      },
      {
        name: 'production and dispatch finished',
        ok: quiet.quiet,
        detail: quiet.quiet
          ? 'nothing left waiting'
          : `${quiet.pendingDeliveries} deliveries and ${quiet.busyOrders} orders still waiting after 180 s`,
      },
      ...(await webhookChecks(storage, seeded.companyId, counter)),
      { name: 'processes stopped cleanly', ok: exitCodes.every((c) => c === 0), detail: `exit codes ${exitCodes.join(', ')}` },
    ];
    return {
      database: opts.database,
      processes: processesLabel,
      rps: measured.rps,
      p50: measured.p50,
      p99: measured.p99,
      requests: measured.requests,
      bareRps,
      peaks,
      apiCpuUs: cpuUsPerRequest(
        peaks.filter((p) => API_LABELS.has(p.label)),
        measured.requests,
      ),
      allCpuUs: cpuUsPerRequest(peaks, measured.requests),
      statusCounts,
      ops: work.ops,
      checks,
      ok: checks.every((c) => c.ok),
    };
  } finally {
    await Promise.all(processes.map((p) => stopProcess(p, 5_000)));
    counter.stop();
    await storage?.close();
    if (schema)
      await pgAdmin(pgBase, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch((err: unknown) =>
        console.error(`could not drop schema ${schema}:`, err),
      );
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The labels `sampleRss` gives the API's processes: HTTP children, and the primary when it runs no workers. */
const API_LABELS = new Set(['api', 'api primary']);

function cpuUsPerRequest(peaks: ProcessPeak[], requests: number): number {
  return (peaks.reduce((sum, p) => sum + p.cpuMs, 0) * 1000) / Math.max(1, requests);
}

export function formatMixedBench(r: MixedResult): string {
  const ops = Object.entries(r.ops)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([op, byStatus]) =>
        `${op} ${Object.entries(byStatus)
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}`,
    )
    .join('; ');
  const reads = Object.entries(r.ops)
    .filter(([op]) => READ_OPS.has(op as Op))
    .reduce((a, [, s]) => a + Object.values(s).reduce((x, y) => x + y, 0), 0);
  const all = Object.values(r.ops).reduce((a, s) => a + Object.values(s).reduce((x, y) => x + y, 0), 0);
  return [
    `${r.database === 'postgres' ? MIXED_PG_BENCH : MIXED_BENCH} (${r.database === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${r.processes})`,
    `  ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; reads ${((reads / Math.max(1, all)) * 100).toFixed(0)} % of ${all} requests (warm-up included)`,
    `  peak RSS per process (CPU used while measured): ${r.peaks.map((p) => `${p.label} ${p.peakMb.toFixed(0)} MB (${(p.cpuMs / 1000).toFixed(1)} s)`).join(', ')}`,
    `  CPU per request: ${r.apiCpuUs.toFixed(0)} µs in the API processes, ${r.allCpuUs.toFixed(0)} µs in all (workers and renders included)`,
    `  requests by operation and status: ${ops}`,
    ...r.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`),
    `  verdict: ${r.ok ? 'every check passed' : 'A CHECK FAILED'}`,
  ].join('\n');
}
