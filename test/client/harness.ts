// A real casa-integrate server on loopback for the client's tests: the app of test/helpers/app.ts
// (embedded SQLite, or PostgreSQL with TEST_DATABASE_URL) listening on a free port, and a client
// for one of its companies.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildTestApp, openTestStorage, testConfig, type TestApp, type TestCompany } from '../helpers/app.js';
import type { Config } from '../../src/config.js';
import { buildApp } from '../../src/app.js';
import { migrate } from '../../src/bootstrap.js';
import { randomIds, sha256Hex, systemClock } from '../../src/domain/clock.js';
import { startWorkers } from '../../src/workers/index.js';
import { CasaClient, type CasaClientOptions } from '../../packages/client/src/index.js';

export interface ClientServer extends TestApp {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `<origin>/api/integrate/v3`, what a client is given as baseUrl. */
  baseUrl: string;
  /** A new company and a client holding its key. */
  newCompany(options?: Partial<CasaClientOptions>): Promise<{ company: TestCompany; client: CasaClient }>;
  /** An operator call (`/admin/v1/…`) with the admin key, through plain fetch. */
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export async function startServer(t: TestContext, overrides: Partial<Config> = {}): Promise<ClientServer> {
  const ctx = await buildTestApp(t, overrides);
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = ctx.app.server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const baseUrl = `${origin}/api/integrate/v3`;
  return Object.assign(ctx, {
    origin,
    baseUrl,
    async newCompany(options: Partial<CasaClientOptions> = {}) {
      const company = await ctx.createCompany();
      return { company, client: new CasaClient({ apiKey: company.apiKey, baseUrl, ...options }) };
    },
    admin: <T>(method: string, urlPath: string, body?: unknown) => adminCall<T>(origin, ctx.adminKey, method, urlPath, body),
  });
}

export interface LiveServer {
  origin: string;
  baseUrl: string;
  adminKey: string;
  /** A company made through the operator API, and a client holding its key. */
  newCompany(options?: Partial<CasaClientOptions>): Promise<{ company: TestCompany; client: CasaClient }>;
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function adminCall<T>(
  origin: string,
  adminKey: string,
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${origin}/admin/v1${urlPath}`, {
    method,
    headers: { 'admin-key': adminKey, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/**
 * The server as `casa-integrate serve` runs it: the system clock, the production worker and the
 * webhook dispatcher running, HTTP on loopback; on a fresh database of the test's dialect.
 */
export async function startLiveServer(t: TestContext, overrides: Partial<Config> = {}): Promise<LiveServer> {
  const { storage, drop } = await openTestStorage();
  await migrate(storage);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-live-'));
  const adminKey = `casa_admin_${crypto.randomBytes(12).toString('hex')}`;
  // Links and file URLs point at the listener, so its port is chosen before the app is built.
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const base = testConfig({ dataDir, webhookAllowPrivate: true, ...overrides, publicUrl: origin });
  const app = await buildApp({
    config: base,
    storage,
    clock: systemClock,
    ids: randomIds,
    adminKeyHash: sha256Hex(adminKey),
    logger: false,
  });
  await app.listen({ port, host: '127.0.0.1' });
  const workers = startWorkers({ config: base, clock: systemClock, services: app.services, log: app.log });
  t.after(async () => {
    await workers.stop();
    await app.close();
    await storage.close();
    await drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const baseUrl = `${origin}/api/integrate/v3`;
  const admin = <T>(method: string, urlPath: string, body?: unknown) => adminCall<T>(origin, adminKey, method, urlPath, body);
  return {
    origin,
    baseUrl,
    adminKey,
    admin,
    async newCompany(options: Partial<CasaClientOptions> = {}) {
      const managerEmail = `manager-${crypto.randomBytes(5).toString('hex')}@example.com`;
      const res = await admin<{
        company: { id: string; main_office_id: string };
        manager: { id: string; email: string };
        api_key: string;
        api_key_id: string;
      }>('POST', '/companies', {
        name: `Live ${crypto.randomBytes(3).toString('hex')}`,
        manager_email: managerEmail,
        manager_password: 'manager-password-1',
      });
      if (res.status !== 201) throw new Error(`creating a company failed: ${res.status} ${JSON.stringify(res.body)}`);
      const company: TestCompany = {
        id: res.body.company.id,
        apiKey: res.body.api_key,
        apiKeyId: res.body.api_key_id,
        headers: { 'api-key': res.body.api_key },
        managerId: res.body.manager.id,
        managerEmail: res.body.manager.email,
        mainOfficeId: res.body.company.main_office_id,
      };
      return { company, client: new CasaClient({ apiKey: company.apiKey, baseUrl, ...options }) };
    },
  };
}

/** What a fault-injecting proxy does with one request. */
export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Forwards the request to the server, then drops its answer and replies with `status`. */
  | { kind: 'forward-then-status'; status: number }
  /** Waits `ms` before forwarding (longer than the client's timeout). */
  | { kind: 'delay'; ms: number };

export interface Proxy {
  baseUrl: string;
  /** Every request seen, as "METHOD /path?query". */
  seen: string[];
  /** Faults for the next requests, in order; once used up, requests pass through. */
  faults: Fault[];
}

/**
 * A real HTTP proxy in front of the server that can answer in its place (503, 429, 502 after the
 * server did the work, a stall): the failures a client meets on the internet, without mocks.
 */
export async function startFaultyProxy(t: TestContext, target: string): Promise<Proxy> {
  const state: Proxy = { baseUrl: '', seen: [], faults: [] };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    state.seen.push(`${req.method} ${req.url}`);
    const fault = state.faults.shift();
    const forward = async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string' && name !== 'host' && name !== 'connection') headers.set(name, value);
      return fetch(`${target}${req.url}`, { method: req.method, headers, ...(body.length ? { body } : {}) });
    };
    try {
      if (fault?.kind === 'status') {
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        res.end(fault.body ?? JSON.stringify({ message: `Injected ${fault.status}.` }));
        return;
      }
      if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
      const answer = await forward();
      const payload = Buffer.from(await answer.arrayBuffer());
      if (fault?.kind === 'forward-then-status') {
        res.writeHead(fault.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Bad gateway.' }));
        return;
      }
      const headers: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'connection' && name !== 'keep-alive')
          headers[name] = value;
      });
      res.writeHead(answer.status, headers);
      res.end(payload);
    } catch {
      if (!res.headersSent) res.writeHead(599);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://127.0.0.1:${port}/api/integrate/v3`;
  return state;
}
