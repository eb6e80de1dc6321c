import { describe, it } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { localFileStorage } from '../../src/storage/local-file-storage.js';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('GET /healthz and /readyz', () => {
  it('answer up and ready while the database answers', async (t) => {
    const ctx = await buildTestApp(t);
    const health = await ctx.inject({ method: 'GET', url: '/healthz' });
    assert.equal(health.statusCode, 200);
    assert.deepEqual(health.json(), { status: 'ok' });
    const ready = await ctx.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready', storage: ctx.config.storage });
  });

  it('readyz answers 503 while the file store refuses, naming its kind and never where it is', async (t) => {
    let root = '';
    const ctx = await buildTestApp(t, {}, { files: (dataDir) => localFileStorage((root = path.join(dataDir, 'files'))) });
    assert.equal((await ctx.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    fs.rmSync(root, { recursive: true, force: true });
    fs.writeFileSync(root, 'a regular file where the files directory should be');
    const ready = await ctx.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.deepEqual(ready.json(), { status: 'not ready', message: 'The file storage is unavailable.', storage: 'local' });
    assert.ok(!ready.body.includes(root));
  });

  it('readyz answers 503 once the database is gone, while healthz still answers', async (t) => {
    const ctx = await buildTestApp(t);
    await ctx.storage.close();
    const ready = await ctx.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.deepEqual(ready.json(), { status: 'not ready', message: 'The database is unavailable.' });
    assert.equal((await ctx.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  });
});

describe('x-request-id', () => {
  it('is on every response: success, errors, operator, health, docs and unknown paths', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const requests = [
      { method: 'GET', url: '/api/integrate/v3/companies/info', headers: company.headers },
      { method: 'GET', url: '/api/integrate/v3/companies/info' },
      { method: 'PATCH', url: '/api/integrate/v3/companies/webhook', headers: company.headers, payload: {} },
      { method: 'POST', url: '/api/integrate/v3/offices', headers: { ...company.headers, 'content-type': 'text/plain' }, payload: 'x' },
      { method: 'GET', url: '/api/integrate/v3/nothing-here', headers: company.headers },
      { method: 'GET', url: '/admin/v1/companies', headers: ctx.adminHeaders },
      { method: 'GET', url: '/admin/v1/companies' },
      { method: 'GET', url: '/healthz' },
      { method: 'GET', url: '/readyz' },
      { method: 'GET', url: '/api/integrate/v3/openapi.json' },
      { method: 'GET', url: '/docs/' },
    ] as const;
    const seen = new Set<string>();
    for (const request of requests) {
      const res = await ctx.inject(request as never);
      const id = res.headers['x-request-id'];
      assert.ok(
        typeof id === 'string' && UUID.test(id),
        `${request.method} ${request.url} → ${res.statusCode} carries a request id (${id})`,
      );
      seen.add(id);
    }
    assert.equal(seen.size, requests.length, 'each request has its own id');
  });

  it('keeps a caller’s safe request id and replaces an unsafe one', async (t) => {
    const ctx = await buildTestApp(t);
    const kept = await ctx.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-abc.123:xyz' } });
    assert.equal(kept.headers['x-request-id'], 'trace-abc.123:xyz');
    for (const unsafe of ['has space', 'x'.repeat(129), '<script>']) {
      const res = await ctx.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': unsafe } });
      assert.match(String(res.headers['x-request-id']), UUID);
    }
  });
});
