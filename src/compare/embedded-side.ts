// Our side when no --ours-url is given: this server, started on a temporary database, holding an
// object of each kind the real account showed (orders in each status and of each kind seen, a
// change request, offices, users of each role seen), created through the public API and the
// operator API. The objects are made in process (Fastify's inject), so nothing here can reach the
// network; the comparison then reads this server over HTTP like the real one.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp, type App } from '../app.js';
import { migrate } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { openStorage } from '../db/database.js';
import { randomIds, sha256Hex, systemClock } from '../domain/clock.js';
import { field, items, type Observation } from './call-plan.js';

export interface OrderKind {
  status: string;
  /** Made from a drawing (`POST /orders`) rather than a scan. */
  redraw: boolean;
  packageType: string | null;
  addOns: string[];
}

/** What kinds of objects the real account shows; values are used only to choose what to create. */
export interface Inventory {
  orders: OrderKind[];
  roles: string[];
  invitedUser: boolean;
  offices: number;
  changeRequestStatuses: string[];
  webhookTriggers: string[];
}

const MAX_ORDER_KINDS = 24;

export function inventoryOf(observations: Observation[]): Inventory {
  const ok = (call: string) => observations.filter((o) => o.call === call && o.status === 200);
  const orders = new Map<string, OrderKind>();
  const orderObjects = observations
    .filter((o) => o.status === 200 && (o.operation === 'GET /orders' || o.operation === 'GET /orders/{id}'))
    .flatMap((o) => (o.operation === 'GET /orders' ? items(o.json) : [o.json]));
  for (const order of orderObjects) {
    const info = field(order, 'info');
    const product = field(info, 'product');
    const status = field(info, 'status');
    if (typeof status !== 'string') continue;
    const packageType = field(product, 'package_type');
    const addOns = field(product, 'add_ons');
    const kind: OrderKind = {
      status,
      redraw: field(info, 'is_scan_order') === false,
      packageType: typeof packageType === 'string' ? packageType : null,
      addOns: Array.isArray(addOns) ? addOns.filter((a): a is string => typeof a === 'string').sort() : [],
    };
    const key = JSON.stringify(kind);
    if (!orders.has(key) && orders.size < MAX_ORDER_KINDS) orders.set(key, kind);
  }
  const users = [...ok('GET /users'), ...ok('GET /users/{email}')].flatMap((o) => (o.call === 'GET /users' ? items(o.json) : [o.json]));
  const strings = (values: unknown[]) => [...new Set(values.filter((v): v is string => typeof v === 'string'))];
  const changeRequests = observations
    .filter((o) => o.status === 200 && o.operation.startsWith('GET /orders/{order_id}/change-requests'))
    .flatMap((o) => (o.operation === 'GET /orders/{order_id}/change-requests' ? items(o.json) : [o.json]));
  const triggers = ok('GET /companies/info').map((o) => field(o.json, 'webhook_triggers'));
  return {
    orders: [...orders.values()],
    roles: strings(users.map((u) => field(u, 'role'))),
    invitedUser: users.some((u) => field(u, 'email_confirmed') === false),
    offices: Math.max(1, ...ok('GET /offices').map((o) => items(o.json).length)),
    changeRequestStatuses: strings(changeRequests.map((c) => field(c, 'status'))),
    webhookTriggers: strings(triggers.flatMap((t) => (Array.isArray(t) ? t : []))),
  };
}

export interface EmbeddedServer {
  app: App;
  baseUrl: string;
  apiKey: string;
  managerEmail: string;
  companyId: string;
  /** A call to the public API with the company's key, in process; throws unless it succeeds. */
  api(method: 'POST' | 'PATCH', url: string, payload?: unknown): Promise<Record<string, unknown>>;
  /** A POST to the operator API, in process. */
  operator(url: string, payload?: unknown): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts this server on a temporary SQLite database holding objects of each kind in `inventory`. */
export async function startEmbedded(inventory: Inventory): Promise<EmbeddedServer> {
  const server = await startEmbeddedServer();
  try {
    await seed(server, inventory);
    return server;
  } catch (err) {
    await server.close();
    throw err;
  }
}

/** This server on a temporary database with one company, listening on a loopback port. */
export async function startEmbeddedServer(): Promise<EmbeddedServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-compare-'));
  const storage = await openStorage({ databaseUrl: null, sqliteFile: path.join(dataDir, 'casa.sqlite') });
  let app: App | null = null;
  const close = async () => {
    await app?.close();
    await storage.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await migrate(storage);
    const adminKey = `casa_admin_${crypto.randomBytes(24).toString('hex')}`;
    const config = {
      ...loadConfig({ CASA_DATA_DIR: dataDir, LOG_LEVEL: 'silent', CASA_PRODUCTION_DELAY_S: '86400' }),
      rateLimitPerSecond: 1_000_000,
      rateLimitBurst: 1_000_000,
    };
    app = await buildApp({ config, storage, clock: systemClock, ids: randomIds, adminKeyHash: sha256Hex(adminKey), logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const running = app;
    const send = async (method: 'POST' | 'PATCH', url: string, headers: Record<string, string>, payload?: unknown) => {
      const res = await running.inject({
        method,
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
      if (res.statusCode >= 300) throw new Error(`preparing the embedded server: ${method} ${url} answered ${res.statusCode}: ${res.body}`);
      return res.json() as Record<string, unknown>;
    };
    const admin = { 'admin-key': adminKey };
    const created = await send('POST', '/admin/v1/companies', admin, {
      name: 'Compare Company',
      manager_email: 'manager@compare.casa-integrate.invalid',
      manager_password: crypto.randomBytes(12).toString('hex'),
    });
    const apiKey = created.api_key as string;
    const { port } = running.server.address() as AddressInfo;
    return {
      app: running,
      baseUrl: `http://127.0.0.1:${port}/api/integrate/v3`,
      apiKey,
      managerEmail: (created.manager as { email: string }).email,
      companyId: (created.company as { id: string }).id,
      api: (method, url, payload) => send(method, `/api/integrate/v3/${url}`, { 'api-key': apiKey }, payload),
      operator: (url, payload) => send('POST', `/admin/v1/${url}`, admin, payload ?? {}),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

export const ADDRESS = {
  street: '1 Compare Street',
  city: 'Springfield',
  state: 'Illinois',
  postalCode: '62701',
  country: 'United States',
};

async function seed(server: EmbeddedServer, inventory: Inventory): Promise<void> {
  const { api, operator, managerEmail } = server;
  for (let n = 2; n <= Math.min(inventory.offices, 5); n++) await api('POST', 'offices', { name: `Office ${n}` });
  let userCount = 0;
  const userEmail = () => `user-${++userCount}@compare.casa-integrate.invalid`;
  for (const role of inventory.roles.filter((r) => r === 'User' || r === 'Collaborator')) {
    await api('POST', 'users', { email: userEmail(), role, password: crypto.randomBytes(12).toString('hex') });
  }
  if (inventory.invitedUser) await api('POST', 'users', { email: userEmail(), role: 'User' });
  const triggers = inventory.webhookTriggers.filter((t) => /^moved_to_(draft|pending|ready|fixing|failed)$/.test(t));
  // A subscription with no worker running: deliveries are queued and never sent.
  if (triggers.length)
    await api('PATCH', 'companies/webhook', { webhook_urls: ['http://127.0.0.1:9/compare'], webhook_triggers: triggers });

  const packages = new Set(['base', 'plus', 'plus_3d']);
  const addOns = new Set(['gla', '3d_cad_files', '3d_video', '6h_turnaround']);
  const kinds = [...inventory.orders];
  // A Done change request needs an order whose fix was delivered: Ready again after Fixing.
  let doneChangeRequest = inventory.changeRequestStatuses.includes('Done');
  if (!kinds.some((k) => k.status === 'Fixing') && inventory.changeRequestStatuses.length)
    kinds.push({ status: 'Fixing', redraw: false, packageType: null, addOns: [] });
  let orderCount = 0;
  for (const kind of kinds) {
    const product = {
      ...(kind.packageType && packages.has(kind.packageType) ? { package_type: kind.packageType } : {}),
      add_ons: kind.addOns.filter((a) => addOns.has(a)),
    };
    const external = { external_id: `CMP-${++orderCount}` };
    // A product our catalog refuses in this combination still leaves an order of this status.
    const create = (url: string, body: Record<string, unknown>) =>
      api('POST', url, { ...body, ...product }).catch(() => api('POST', url, body));
    let order: Record<string, unknown>;
    if (kind.status === 'New') {
      await create('orders/go2scan', { ...ADDRESS, ...external });
      continue;
    }
    if (kind.redraw && kind.status !== 'Draft') {
      order = await create('orders', { ...ADDRESS, ...external, info: 'Compare redraw', source: 'https://example.com/plan.png' });
    } else {
      order = await create('orders/draft', { ...ADDRESS, ...external, owner_email: managerEmail });
      if (kind.status === 'Draft') continue;
      await operator(`orders/${order.id as string}/scan`);
    }
    const id = order.id as string;
    if (kind.status === 'Failed') await operator(`orders/${id}/fail`);
    if (kind.status === 'Ready' || kind.status === 'Fixing') {
      await operator(`orders/${id}/deliver`);
      if (kind.status === 'Fixing' || doneChangeRequest) {
        await api('POST', `orders/${id}/change-requests`, { message: 'Please check the kitchen.' });
        if (kind.status === 'Ready') {
          await operator(`orders/${id}/deliver`);
          doneChangeRequest = false;
        }
      }
    }
  }
}
