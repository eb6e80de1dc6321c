// `casa-integrate compare webhooks --listen HOST:PORT`: receives the calls a real company's
// webhooks send (the integrator points a webhook URL at this listener through their own tunnel),
// answers each with 200, and compares their headers and body shapes with the calls this server
// sends for the same trigger, which it produces first on an embedded server.
import http from 'node:http';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { VERSION } from '../version.js';
import { createWebhookDispatcher } from '../workers/webhook-dispatcher.js';
import { ORDER_STATUSES, field } from './call-plan.js';
import { CompareUsageError, positiveNumber, type CompareIo } from './command-line.js';
import { ADDRESS, startEmbeddedServer } from './embedded-side.js';
import { readOurDocument, type OurDocument } from './our-document.js';
import { buildReport, renderMarkdown, renderText } from './report.js';
import { addToShape, compareShapes, NOTHING_DECLARED, type CallComparison, type Difference, type Shape } from './shapes.js';

export interface ReceivedCall {
  method: string;
  /** Header names, lower case; the transport's own (host, content-length, …) left out. */
  headers: string[];
  contentType: string | null;
  json: unknown;
  trigger: string;
}

/** Set by whatever carried the request, not by the sender's webhook code. */
const TRANSPORT_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'te', 'via', 'forwarded']);
const BODY_LIMIT = 1024 * 1024;

export async function runWebhookCompare(argv: string[], io: CompareIo): Promise<number> {
  const { values: flags, positionals } = parseArgs({
    args: argv,
    options: {
      listen: { type: 'string' },
      'max-calls': { type: 'string' },
      json: { type: 'boolean' },
      markdown: { type: 'string' },
      'redact-enums': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length) throw new CompareUsageError(`compare webhooks takes no argument "${positionals[0]}"`);
  const { host, port } = listenAddress(flags.listen);
  const maxCalls = flags['max-calls'] === undefined ? Infinity : positiveNumber(flags['max-calls'], '--max-calls', true);

  io.err('ours: producing this server’s webhook calls for every trigger on an embedded server\n');
  const ours = await ourWebhookCalls();

  const received: ReceivedCall[] = [];
  let enough: () => void = () => {};
  const done = new Promise<void>((resolve) => (enough = resolve));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      if (received.length >= maxCalls) return;
      const call = toCall(req.method ?? 'GET', req.headers, size <= BODY_LIMIT ? Buffer.concat(chunks).toString('utf8') : null);
      received.push(call);
      io.err(`received: ${call.trigger} (${received.length} so far)\n`);
      if (received.length >= maxCalls) enough();
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (err) {
    io.err(`casa-integrate compare webhooks: cannot listen on ${flags.listen}: ${(err as Error).message}\n`);
    return 1;
  }
  const bound = server.address() as AddressInfo;
  io.err(
    `Listening on http://${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}/ ; point a webhook URL of the real company here` +
      `${Number.isFinite(maxCalls) ? `; the report comes after ${maxCalls} calls` : ''}; Ctrl-C ends and reports.\n`,
  );
  await Promise.race([done, io.interrupted ?? new Promise<void>((resolve) => process.once('SIGINT', () => resolve()))]);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));

  const redactEnums = flags['redact-enums'] ?? false;
  const calls = compareWebhookCalls(received, ours.calls, ours.document, redactEnums);
  const report = buildReport({
    kind: 'webhooks',
    version: VERSION,
    ours: { kind: 'embedded', document_version: ours.document.version },
    operations_covered: [],
    requests: { real: received.length, ours: ours.calls.length },
    enum_values_redacted: redactEnums,
    calls,
  });
  io.out(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderText(report));
  if (flags.markdown) {
    fs.writeFileSync(flags.markdown, renderMarkdown(report));
    io.err(`Markdown report written to ${flags.markdown}\n`);
  }
  return 0;
}

function listenAddress(raw: string | undefined): { host: string; port: number } {
  const match = raw ? /^\[?([^\]]*)\]?:(\d{1,5})$/.exec(raw) : null;
  if (!match || Number(match[2]) > 65535) throw new CompareUsageError('compare webhooks needs --listen HOST:PORT, e.g. 127.0.0.1:9000');
  return { host: match[1] || '127.0.0.1', port: Number(match[2]) };
}

export function toCall(method: string, headers: http.IncomingHttpHeaders, body: string | null): ReceivedCall {
  let json: unknown;
  try {
    json = body === null ? undefined : JSON.parse(body);
  } catch {
    json = undefined;
  }
  const status = field(json, 'current_status');
  const rawType = headers['content-type']?.split(';')[0]?.trim().toLowerCase() ?? null;
  return {
    method: /^[A-Z]{1,10}$/.test(method) ? method : 'OTHER',
    headers: Object.keys(headers)
      .map((h) => h.toLowerCase())
      .filter((h) => !TRANSPORT_HEADERS.has(h))
      .map((h) => (/^[a-z0-9-]{1,64}$/.test(h) && !/\d{5,}/.test(h) ? h : '{header}')),
    contentType: rawType && /^[a-z0-9.+-]{1,40}\/[a-z0-9.+-]{1,60}$/.test(rawType) ? rawType : rawType ? 'other' : null,
    json,
    trigger:
      typeof status === 'string' && ORDER_STATUSES.includes(status) ? `moved_to_${status.toLowerCase()}` : '(no known current_status)',
  };
}

/** Per trigger the real side sent: method, headers, content type and body shape against ours. */
export function compareWebhookCalls(
  real: ReceivedCall[],
  ours: ReceivedCall[],
  document: OurDocument,
  redactEnums: boolean,
): CallComparison[] {
  const triggers = [...new Set(real.map((c) => c.trigger))].sort();
  return triggers.map((trigger) => {
    const r = real.filter((c) => c.trigger === trigger);
    const o = ours.filter((c) => c.trigger === trigger);
    const differences: Difference[] = [];
    if (o.length) {
      const set = (calls: ReceivedCall[], pick: (c: ReceivedCall) => string[]) => [...new Set(calls.flatMap(pick))].sort();
      const rm = set(r, (c) => [c.method]);
      const om = set(o, (c) => [c.method]);
      if (rm.join() !== om.join()) differences.push({ kind: 'method', real: rm, ours: om });
      const rh = set(r, (c) => c.headers);
      const oh = set(o, (c) => c.headers);
      for (const h of rh) if (!oh.includes(h)) differences.push({ kind: 'header', name: h, side: 'real' });
      for (const h of oh) if (!rh.includes(h)) differences.push({ kind: 'header', name: h, side: 'ours' });
      const rt = set(r, (c) => [c.contentType ?? 'none']);
      const ot = set(o, (c) => [c.contentType ?? 'none']);
      if (rt.join() !== ot.join()) differences.push({ kind: 'content-type', status: 'request', real: rt, ours: ot });
      const shape = (calls: ReceivedCall[]): Shape => {
        const s: Shape = new Map();
        for (const c of calls) if (c.json !== undefined) addToShape(s, c.json, NOTHING_DECLARED);
        return s;
      };
      const rs = shape(r);
      const os = shape(o);
      if (rs.size && os.size) differences.push(...compareShapes(rs, os, 'request', document, { redactEnums }));
    }
    return { call: `webhook ${trigger}`, operation: 'webhook', realCount: r.length, oursCount: o.length, differences };
  });
}

/**
 * This server's webhook calls for every trigger and delivery type: a plus_3d order with add-ons
 * through draft, scan, delivery (one call per product type), a change request and its fix, a
 * re-delivery; a redraw order; a failed order. All caught by a receiver on loopback.
 */
export async function ourWebhookCalls(): Promise<{ calls: ReceivedCall[]; document: OurDocument }> {
  const calls: ReceivedCall[] = [];
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls.push(toCall(req.method ?? 'GET', req.headers, Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const server = await startEmbeddedServer();
  try {
    const { api, operator, app } = server;
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const triggers = ORDER_STATUSES.filter((s) => s !== 'New').map((s) => `moved_to_${s.toLowerCase()}`);
    await api('PATCH', 'companies/webhook', { webhook_urls: [url], webhook_triggers: triggers });
    const owner = { owner_email: server.managerEmail };
    const order = await api('POST', 'orders/draft', { ...ADDRESS, ...owner, package_type: 'plus_3d', add_ons: ['gla', '3d_cad_files'] });
    const id = order.id as string;
    await operator(`orders/${id}/scan`);
    await operator(`orders/${id}/deliver`);
    await api('POST', `orders/${id}/change-requests`, { message: 'Please check the kitchen.' });
    await operator(`orders/${id}/deliver`);
    await api('POST', `orders/${id}/redeliver`, { units: 'imperial' });
    await api('POST', 'orders', { ...ADDRESS, info: 'Redraw', source: 'https://example.com/plan.png' });
    const failing = await api('POST', 'orders/draft', { ...ADDRESS, ...owner });
    await operator(`orders/${failing.id as string}/fail`);
    const dispatcher = createWebhookDispatcher({
      ...app.serviceDeps,
      webhooks: app.services.webhooks,
      deliveries: app.services.webhookDeliveries,
    });
    try {
      await dispatcher.drain();
    } finally {
      await dispatcher.close();
    }
    const document = await app.inject({ method: 'GET', url: '/api/integrate/v3/openapi.json' });
    return { calls, document: readOurDocument(document.json()) };
  } finally {
    await server.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}
