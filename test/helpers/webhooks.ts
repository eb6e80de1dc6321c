// Webhook test tools: a real HTTP receiver on loopback that records what arrives and answers as
// told, a dispatcher the test runs by hand, and signature checks with the `standardwebhooks` package.
import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { TestApp } from './app.js';
import { createWebhookDispatcher, type DispatcherOptions, type WebhookDispatcher } from '../../src/workers/webhook-dispatcher.js';
import type { OrderEventInput } from '../../src/services/orders/order-events.js';
import type { OrderEventRow } from '../../src/db/tables/orders.js';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Decides the answer to each request; 200 by default. */
  respond: (req: Received, index: number) => Reply;
  close(): Promise<void>;
}

export async function startReceiver(t?: TestContext, host = '127.0.0.1'): Promise<Receiver> {
  const sockets = new Set<import('node:net').Socket>();
  const receiver: Receiver = {
    url: '',
    received: [],
    respond: () => ({ status: 200 }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Received = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const index = receiver.received.length;
      receiver.received.push(entry);
      const reply = receiver.respond(entry, index);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
        res.end(reply.body ?? 'ok');
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/hook`;
  t?.after(() => receiver.close());
  return receiver;
}

/** Sets a company's webhook URLs and triggers through `PATCH /companies/webhook`, as a customer does. */
export async function subscribe(
  ctx: TestApp,
  company: { headers: Record<string, string> },
  urls: string[],
  triggers: string[],
): Promise<void> {
  const res = await ctx.inject({
    method: 'PATCH',
    url: '/api/integrate/v3/companies/webhook',
    headers: company.headers,
    payload: { webhook_urls: urls, webhook_triggers: triggers },
  });
  if (res.statusCode !== 200) throw new Error(`PATCH /companies/webhook failed: ${res.statusCode} ${res.body}`);
}

export const ALL_TRIGGERS = ['moved_to_draft', 'moved_to_pending', 'moved_to_ready', 'moved_to_fixing', 'moved_to_failed'];

/** A dispatcher on the test app's database and clock, closed after the test. */
export function testDispatcher(ctx: TestApp, t?: TestContext, opts: DispatcherOptions = {}): WebhookDispatcher {
  const { services } = ctx.app;
  const dispatcher = createWebhookDispatcher(
    { ...ctx.app.serviceDeps, webhooks: services.webhooks, deliveries: services.webhookDeliveries },
    opts,
  );
  t?.after(() => dispatcher.close());
  return dispatcher;
}

/** Records an order event in its own transaction, as the order lifecycle does. */
export async function recordEvent(ctx: TestApp, input: Partial<OrderEventInput> & { companyId: string }): Promise<OrderEventRow> {
  const event: OrderEventInput = {
    orderId: crypto.randomUUID(),
    trigger: 'moved_to_pending',
    currentStatus: 'Pending',
    previousStatus: 'Draft',
    modelId: crypto.randomUUID(),
    productType: 'products_2d',
    deliveryType: 'new',
    ...input,
  };
  return ctx.storage.db.transaction().execute((tx) => ctx.app.services.orderEvents.record(tx, event));
}

/** The body the contract expects for an event, written out field by field. */
export function expectedBody(e: {
  orderId: string;
  currentStatus: string;
  previousStatus: string | null;
  modelId: string;
  productType: string;
  deliveryType: string;
}): string {
  return `{"id":"${e.orderId}","current_status":"${e.currentStatus}","previous_status":${e.previousStatus === null ? 'null' : `"${e.previousStatus}"`},"model_id":"${e.modelId}","product_type":"${e.productType}","delivery_type":"${e.deliveryType}"}`;
}

/**
 * Verifies a received webhook with the `standardwebhooks` package, as a receiver whose clock
 * agrees with the server's (the test's ManualClock) would. Throws when no signature matches.
 */
export function verifyWebhook(secret: string, received: Received, nowMs?: number): unknown {
  const headers = Object.fromEntries(Object.entries(received.headers).map(([k, v]) => [k, String(v)]));
  const realNow = Date.now;
  if (nowMs !== undefined) Date.now = () => nowMs;
  try {
    return new Webhook(secret).verify(received.body, headers);
  } finally {
    Date.now = realNow;
  }
}

export async function webhookSecret(ctx: TestApp, companyId: string): Promise<string> {
  const res = await ctx.inject({ method: 'GET', url: `/admin/v1/companies/${companyId}/webhook-secret`, headers: ctx.adminHeaders });
  if (res.statusCode !== 200) throw new Error(`reading the webhook secret failed: ${res.statusCode} ${res.body}`);
  return res.json().secret;
}

/** Waits until `check` holds, polling; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
