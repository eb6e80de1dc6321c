// The file storage failing while production renders, on either driver: writes go to a store that
// refuses them (a disk root that is a regular file; a bucket refusing the credentials), reads go on.
// The order stays where it was (no event, no webhook, no URL to a missing file), production tries
// again later, and once writes work again the order is delivered.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../src/config.js';
import { s3Client, s3FileStorage } from '../../src/storage/s3-file-storage.js';
import { NO_S3, S3_ENDPOINT, ensureTestBucket, testS3Settings } from '../helpers/s3.js';
import pino from 'pino';
import type { FileStorage } from '../../src/storage/file-storage.js';
import { localFileStorage } from '../../src/storage/local-file-storage.js';
import { startProductionWorker } from '../../src/workers/production-worker.js';
import { buildTestApp, type TestApp, type TestCompany } from '../helpers/app.js';
import { ALL_TRIGGERS, subscribe } from '../helpers/webhooks.js';
import { call, createDraft, getOrder, ok, scan } from '../orders/order-helpers.js';
import { download, fileUrls } from '../deliverables/delivery-helpers.js';

/** A real driver; while `broken`, writes go to one that refuses them. */
function switchableStorage(good: FileStorage, bad: FileStorage): FileStorage & { broken: boolean } {
  return {
    broken: false,
    put(key, data, opts) {
      return (this.broken ? bad : good).put(key, data, opts);
    },
    stat: (key) => good.stat(key),
    read: (key) => good.read(key),
    createReadStream: (key, range) => good.createReadStream(key, range),
    delete: (key) => good.delete(key),
    list: (prefix) => good.list(prefix),
    check: () => good.check(),
    location: good.location,
    kind: good.kind,
  };
}

interface Driver {
  name: string;
  skip: string | false;
  /** The working store and one refusing writes: a disk root that is a regular file (ENOTDIR, root
   *  included), or the bucket with credentials the store refuses. */
  stores(dataDir: string): Promise<{ good: FileStorage; bad: FileStorage; overrides: Partial<Config> }>;
}

const drivers: Driver[] = [
  {
    name: 'local disk',
    skip: false,
    async stores(dataDir) {
      const brokenRoot = path.join(dataDir, 'not-a-directory');
      fs.writeFileSync(brokenRoot, 'a regular file where the files directory should be\n');
      return { good: localFileStorage(path.join(dataDir, 'files')), bad: localFileStorage(brokenRoot), overrides: {} };
    },
  },
  {
    name: 'S3',
    skip: S3_ENDPOINT ? false : NO_S3,
    async stores() {
      const s3 = testS3Settings();
      await ensureTestBucket();
      const refused = s3Client(s3, {
        credentials: { accessKeyId: 'REFUSEDKEY0000000000', secretAccessKey: 'refused-secret-0000000000000000000000000' },
      });
      return { good: s3FileStorage(s3), bad: s3FileStorage(s3, refused), overrides: { storage: 's3', s3, s3Redirect: false } };
    },
  },
];

/** The test app of helpers/app.ts, with the switchable file storage. */
async function buildStorageFaultApp(
  t: import('node:test').TestContext,
  driver: Driver,
): Promise<{ ctx: TestApp; files: ReturnType<typeof switchableStorage> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-fault-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const { good, bad, overrides } = await driver.stores(dataDir);
  const files = switchableStorage(good, bad);
  const ctx = await buildTestApp(t, overrides, { files: () => files });
  return { ctx, files };
}

async function events(ctx: TestApp, orderId: string): Promise<string[]> {
  const rows = await ctx.storage.db
    .selectFrom('order_events')
    .select(['trigger', 'delivery_type'])
    .where('order_id', '=', orderId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => `${r.trigger}/${r.delivery_type}`);
}

async function deliveryRows(ctx: TestApp, orderId: string): Promise<number> {
  const row = await ctx.storage.db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every URL the order's `delivery_assets` lists downloads, and every stored file row has its file. */
async function assertNoDanglingUrl(ctx: TestApp, company: TestCompany, orderId: string): Promise<number> {
  const order = await getOrder(ctx, company, orderId);
  const urls = fileUrls(order.delivery_assets);
  for (const { url } of urls) {
    const res = await download(ctx, url);
    assert.equal(res.statusCode, 200, `${url} answers ${res.statusCode}`);
  }
  const rows = await ctx.storage.db.selectFrom('delivered_files').select(['storage_key', 'size']).where('order_id', '=', orderId).execute();
  for (const row of rows) assert.equal((await ctx.files.stat(row.storage_key))?.size, Number(row.size), `${row.storage_key} is stored`);
  return urls.length;
}

for (const driver of drivers)
  describe(`file storage (${driver.name}) failing during production`, { skip: driver.skip }, () => {
    it('keeps orders where they were, retries later, and delivers once writes work again', { timeout: 300_000 }, async (t) => {
      const { ctx, files } = await buildStorageFaultApp(t, driver);
      const log = pino({ level: 'silent' });
      const company = await ctx.createCompany();
      await subscribe(ctx, company, ['https://hooks.example.com/casa'], ALL_TRIGGERS);

      // Ready with an upgrade waiting (an update delivery), and Pending (a first delivery).
      const ready = await createDraft(ctx, company, { package_type: 'base', add_ons: [] });
      await scan(ctx, ready.id);
      await ok(call(ctx, null, 'POST', `/admin/v1/orders/${ready.id}/deliver`));
      await ok(call(ctx, company, 'POST', `/orders/${ready.id}/post-purchase`, { package_type: null, add_ons: ['gla'] }));
      const pending = await createDraft(ctx, company, { package_type: 'base', add_ons: [] });
      await scan(ctx, pending.id);
      const readyUrls = await assertNoDanglingUrl(ctx, company, ready.id);
      assert.ok(readyUrls > 0, 'the first delivery lists files');
      const before = {
        readyEvents: await events(ctx, ready.id),
        pendingEvents: await events(ctx, pending.id),
        readyHooks: await deliveryRows(ctx, ready.id),
        pendingHooks: await deliveryRows(ctx, pending.id),
      };

      files.broken = true;
      // The operator's "deliver now" fails too, as a 503, and changes nothing.
      const now = await call(ctx, null, 'POST', `/admin/v1/orders/${pending.id}/deliver`);
      assert.equal(now.statusCode, 503, now.body);
      assert.match(now.json().message, /storage/i);
      assert.equal(now.headers['retry-after'], '5');

      // The real production loop takes both orders when due; rendering works, storing does not.
      const worker = startProductionWorker({ production: ctx.app.services.production, log, intervalMs: 10 });
      t.after(() => worker.stop());
      // idle() may resolve on a round that began before the clock moved; the second one began after.
      const settle = async () => {
        await worker.idle();
        await worker.idle();
      };
      const assertUnchanged = async (attempts: number) => {
        const p = await ok(call(ctx, null, 'GET', `/admin/v1/orders/${pending.id}`));
        assert.equal(p.order.info.status, 'Pending');
        assert.equal(p.production.attempts, attempts, 'the failed round is counted');
        assert.ok(p.production.due_at !== null && p.production.due_at > Math.floor(ctx.clock.nowUs() / 1e6), 'a retry is scheduled');
        assert.deepEqual(fileUrls(p.order.delivery_assets), []);
        const r = await ok(call(ctx, null, 'GET', `/admin/v1/orders/${ready.id}`));
        assert.equal(r.order.info.status, 'Ready');
        assert.deepEqual(r.production.delivered_products, ['listing_floorplans']);
        assert.deepEqual(r.production.pending_products, ['gla_package']);
        assert.equal(r.production.attempts, attempts);
        assert.deepEqual(r.order.delivery_assets.gla_package, { pdf_urls: [], json_urls: [] });
        assert.deepEqual(await events(ctx, ready.id), before.readyEvents);
        assert.deepEqual(await events(ctx, pending.id), before.pendingEvents);
        assert.equal(await deliveryRows(ctx, ready.id), before.readyHooks, 'no webhook for a delivery that did not happen');
        assert.equal(await deliveryRows(ctx, pending.id), before.pendingHooks);
        assert.equal(await assertNoDanglingUrl(ctx, company, ready.id), readyUrls, 'the first delivery still downloads');
        await assertNoDanglingUrl(ctx, company, pending.id);
      };
      ctx.clock.advanceSeconds(ctx.config.productionDelayS + 1);
      await settle();
      await assertUnchanged(1);
      // Still broken at the retry: tried again, still nothing delivered.
      ctx.clock.advanceSeconds(31);
      await settle();
      await assertUnchanged(2);
      // The combined PDF of the delivered order is still served while its cache cannot be written.
      const pdf = await call(ctx, company, 'GET', `/orders/${ready.id}/combined-pdf`);
      assert.equal(pdf.statusCode, 200, pdf.body.slice(0, 200));
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');

      files.broken = false;
      ctx.clock.advanceSeconds(61);
      await settle();
      const p = await ok(call(ctx, null, 'GET', `/admin/v1/orders/${pending.id}`));
      assert.equal(p.order.info.status, 'Ready');
      assert.deepEqual(await events(ctx, pending.id), [...before.pendingEvents, 'moved_to_ready/new']);
      const r = await ok(call(ctx, null, 'GET', `/admin/v1/orders/${ready.id}`));
      assert.deepEqual(r.production.delivered_products, ['listing_floorplans', 'gla_package']);
      assert.deepEqual(r.production.pending_products, []);
      assert.deepEqual(await events(ctx, ready.id), [...before.readyEvents, 'moved_to_ready/update']);
      assert.equal(await deliveryRows(ctx, pending.id), before.pendingHooks + 1);
      assert.equal(await deliveryRows(ctx, ready.id), before.readyHooks + 1);
      assert.ok((await assertNoDanglingUrl(ctx, company, pending.id)) > 0);
      assert.ok((await assertNoDanglingUrl(ctx, company, ready.id)) > readyUrls, 'the upgrade is delivered');
      const leftovers: string[] = [];
      for await (const f of ctx.files.list()) if (f.key.endsWith('.tmp')) leftovers.push(f.key);
      assert.deepEqual(leftovers, [], 'no temporary file left behind');
    });
  });
