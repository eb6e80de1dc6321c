// The sandbox tests talk to a real listening server with a real HTTP client (fetch), as an
// integration under test would.
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { buildTestApp, type TestApp, type TestCompany } from '../helpers/app.js';
import type { Config } from '../../src/config.js';

export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface SandboxServer extends TestApp {
  origin: string;
  /** A customer call under /api/integrate/v3 with the company's key. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  api<T = any>(
    company: TestCompany,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpAnswer<T>>;
  /** An operator call under /admin/v1 with the admin key (or the headers given). */
  admin<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpAnswer<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Replaces a company's sandbox settings, failing the test unless they are taken. */
  setSandbox(company: TestCompany, settings: unknown): Promise<void>;
}

async function send<T>(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<HttpAnswer<T>> {
  const res = await fetch(url, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the text itself
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export async function startSandboxServer(t: TestContext, overrides: Partial<Config> = {}): Promise<SandboxServer> {
  const ctx = await buildTestApp(t, overrides);
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = ctx.app.server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const server: SandboxServer = Object.assign(ctx, {
    origin,
    api: <T>(company: TestCompany, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      send<T>(`${origin}/api/integrate/v3${path}`, method, { ...company.headers, ...headers }, body),
    admin: <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      send<T>(`${origin}/admin/v1${path}`, method, headers ?? ctx.adminHeaders, body),
    async setSandbox(company: TestCompany, settings: unknown) {
      const res = await server.admin('PUT', `/companies/${company.id}/sandbox`, settings);
      if (res.status !== 200) throw new Error(`PUT sandbox failed: ${res.status} ${JSON.stringify(res.body)}`);
    },
  });
  return server;
}
