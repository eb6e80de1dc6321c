// The layout of docs/operations.md with no shared disk, proven: PostgreSQL + S3, two API processes
// (CASA_ROLE=api) and one worker (CASA_ROLE=worker), each with its own empty CASA_DATA_DIR as on
// three machines. A draft created through the first API is scanned, delivered by the worker, and
// every file downloads through the second; a GoToScan upload through the second reaches the worker;
// the combined PDF is built once and served by both. No process writes a file to its data dir.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { s3FileStorage } from '../../src/storage/s3-file-storage.js';
import { freePort, spawnCli, waitForOutput } from '../helpers/child-process.js';
import { NO_S3, S3_ENDPOINT, ensureTestBucket, testS3Settings } from '../helpers/s3.js';
import { fileUrls } from '../deliverables/delivery-helpers.js';

const PG_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const API = '/api/integrate/v3';
const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

async function pgSchema(t: TestContext): Promise<string> {
  const schema = `mm_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"`);
  await client.end();
  t.after(async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  });
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

describe('two API machines and one worker on PostgreSQL and S3, no shared disk', { skip: S3_ENDPOINT ? false : NO_S3 }, () => {
  it('delivers through the worker and serves every file, scan and combined PDF from either API', { timeout: 600_000 }, async (t) => {
    const databaseUrl = await pgSchema(t);
    const s3 = testS3Settings();
    await ensureTestBucket();
    const adminKey = `casa_admin_${crypto.randomBytes(20).toString('hex')}`;
    const dataDirs: string[] = [];
    const start = async (role: 'api' | 'worker') => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `casa-${role}-`));
      dataDirs.push(dataDir);
      t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const child = spawnCli([role === 'worker' ? 'worker' : 'serve'], {
        CASA_DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        CASA_ROLE: role,
        PORT: String(port),
        HOST: '127.0.0.1',
        CASA_PUBLIC_URL: base,
        CASA_ADMIN_KEY: adminKey,
        LOG_LEVEL: 'warn',
        CASA_PRODUCTION_DELAY_S: '1',
        CASA_WEBHOOK_ALLOW_PRIVATE: 'true',
        CASA_STORAGE: 's3',
        CASA_S3_BUCKET: s3.bucket,
        CASA_S3_PREFIX: s3.prefix,
        CASA_S3_ENDPOINT: S3_ENDPOINT!,
      });
      t.after(() => child.kill('SIGKILL'));
      await waitForOutput(child, role === 'worker' ? /worker running/ : /listening on/, 180_000);
      return base;
    };
    // The first API migrates the new schema; the others start on it.
    const api1 = await start('api');
    const [api2] = await Promise.all([start('api'), start('worker')]);

    const json = async (base: string, method: string, url: string, headers: Record<string, string>, body?: unknown) => {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      assert.ok(res.status < 300, `${method} ${url}: ${res.status} ${text}`);
      return JSON.parse(text);
    };
    const admin = { 'admin-key': adminKey };
    const created = await json(api1, 'POST', '/admin/v1/companies', admin, {
      name: 'Three Machines',
      manager_email: 'manager@three.example',
      manager_password: 'manager-password-1',
    });
    const key = { 'api-key': created.api_key as string };
    const waitForReady = async (base: string, orderId: string) => {
      for (let i = 0; i < 1200; i++) {
        const order = await json(base, 'GET', `${API}/orders/${orderId}`, key);
        if (order.info.status === 'Ready') return order;
        await sleep(250);
      }
      throw new Error(`order ${orderId} never became Ready`);
    };

    // A draft through the first API, scanned; the worker delivers it; every file through the second.
    const draft = await json(api1, 'POST', `${API}/orders/draft`, key, {
      street: '615 Bourbon St',
      city: 'New Orleans',
      state: 'Louisiana',
      country: 'United States',
      postalCode: '70130',
      owner_email: 'manager@three.example',
      package_type: 'plus_3d',
      add_ons: ['gla'],
    });
    await json(api1, 'POST', `/admin/v1/orders/${draft.id}/scan`, admin, { total_scanned_area: 1500 });
    const delivered = await waitForReady(api2, draft.id);
    const urls = fileUrls(delivered.delivery_assets);
    assert.ok(urls.length >= 10, `${urls.length} files`);
    for (const { url } of urls) {
      assert.ok(url.startsWith(`${api2}/files/`), url);
      const res = await fetch(url); // a redirect to the bucket, followed
      assert.equal(res.status, 200, url);
      const body = Buffer.from(await res.arrayBuffer());
      const again = await fetch(url, { redirect: 'manual' });
      assert.equal(again.status, 302);
      assert.equal(sha256(body), String(again.headers.get('etag')).replace(/"/g, ''), url);
    }

    // A GoToScan upload through the second API reaches the worker.
    const go = await json(api2, 'POST', `${API}/orders/go2scan`, key, {
      street: '1 Fake Street',
      city: 'Mountain View',
      state: 'CA',
      postalCode: '94043',
      country: 'United States',
    });
    const token = String(go.info.go2scan.link).split('/').pop()!;
    const scanBytes = crypto.randomBytes(3 * 1024 * 1024);
    const form = new FormData();
    form.append('files', new Blob([scanBytes]), 'scan.bin');
    const uploaded = await fetch(`${api2}/go2scan/${token}/upload`, { method: 'POST', body: form });
    assert.equal(uploaded.status, 200, await uploaded.clone().text());
    const fileId = ((await uploaded.json()) as { files: { id: string }[] }).files[0]!.id;
    const store = s3FileStorage(s3);
    assert.deepEqual(await store.read(`scans/${go.id}/${fileId}`), scanBytes);
    const scanned = await waitForReady(api1, go.id);
    assert.ok(fileUrls(scanned.delivery_assets).length > 0, 'the worker delivered the scanned order');

    // The combined PDF: built once, by whichever API is asked first, and served by both.
    const pdf1 = Buffer.from(await (await fetch(`${api1}${API}/orders/${draft.id}/combined-pdf`, { headers: key })).arrayBuffer());
    const pdf2 = Buffer.from(await (await fetch(`${api2}${API}/orders/${draft.id}/combined-pdf`, { headers: key })).arrayBuffer());
    assert.equal(pdf1.subarray(0, 5).toString(), '%PDF-');
    assert.deepEqual(pdf2, pdf1);
    const combined: string[] = [];
    for await (const f of store.list(`deliverables/${draft.id}/combined/`)) combined.push(f.key);
    assert.equal(combined.length, 1, `one cached combined PDF: ${combined.join(', ')}`);

    // No machine kept a file on its own disk.
    for (const dir of dataDirs) assert.ok(!fs.existsSync(path.join(dir, 'files')), `${dir} has no files directory`);
  });
});
