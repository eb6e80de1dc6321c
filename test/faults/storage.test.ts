// The file storage failing while production renders: the real disk driver writes under a root that
// is a regular file (ENOTDIR, whoever runs the test, root included), reads go on from the real root.
// The order stays where it was (no event, no webhook, no URL to a missing file), production tries
// again later, and once writes work again the order is delivered.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { FileStorage } from '../../src/storage/file-storage.js';
import { localFileStorage } from '../../src/storage/local-file-storage.js';
import { startProductionWorker } from '../../src/workers/production-worker.js';
import { buildTestApp, type TestApp, type TestCompany } from '../helpers/app.js';
import { ALL_TRIGGERS, subscribe } from '../helpers/webhooks.js';
import { call, createDraft, getOrder, ok, scan } from '../orders/order-helpers.js';
import { download, fileUrls } from '../deliverables/delivery-helpers.js';

/** The real disk driver; while `broken`, writes go to a driver whose root is a regular file. */
function switchableStorage(root: string, brokenRoot: string): FileStorage & { broken: boolean } {
  const good = localFileStorage(root);
  const bad = localFileStorage(brokenRoot);
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
  };
}

/** The test app of helpers/app.ts, with the switchable file storage. */
async function buildStorageFaultApp(
  t: import('node:test').TestContext,
): Promise<{ ctx: TestApp; files: ReturnType<typeof switchableStorage>; root: string }> {
  let files: ReturnType<typeof switchableStorage> | undefined;
  let root = '';
  const ctx = await buildTestApp(
    t,
    {},
    {
      files: (dataDir) => {
        root = path.join(dataDir, 'files');
        const brokenRoot = path.join(dataDir, 'not-a-directory');
        fs.writeFileSync(brokenRoot, 'a regular file where the files directory should be\n');
        files = switchableStorage(root, brokenRoot);
        return files;
      },
    },
  );
  return { ctx, files: files!, root };
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
async function assertNoDanglingUrl(ctx: TestApp, company: TestCompany, orderId: string, root: string): Promise<number> {
  const order = await getOrder(ctx, company, orderId);
  const urls = fileUrls(order.delivery_assets);
  for (const { url } of urls) {
    const res = await download(ctx, url);
    assert.equal(res.statusCode, 200, `${url} answers ${res.statusCode}`);
  }
  const rows = await ctx.storage.db.selectFrom('delivered_files').select(['storage_key', 'size']).where('order_id', '=', orderId).execute();
  for (const row of rows)
    assert.equal(fs.statSync(path.join(root, row.storage_key)).size, Number(row.size), `${row.storage_key} is on disk`);
  return urls.length;
}

describe('file storage failing during production', () => {
  it('keeps orders where they were, retries later, and delivers once writes work again', { timeout: 120_000 }, async (t) => {
    const { ctx, files, root } = await buildStorageFaultApp(t);
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
    const readyUrls = await assertNoDanglingUrl(ctx, company, ready.id, root);
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
      assert.equal(await assertNoDanglingUrl(ctx, company, ready.id, root), readyUrls, 'the first delivery still downloads');
      await assertNoDanglingUrl(ctx, company, pending.id, root);
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
    assert.ok((await assertNoDanglingUrl(ctx, company, pending.id, root)) > 0);
    assert.ok((await assertNoDanglingUrl(ctx, company, ready.id, root)) > readyUrls, 'the upgrade is delivered');
    assert.equal(
      fs.readdirSync(root, { recursive: true }).filter((f) => String(f).endsWith('.tmp')).length,
      0,
      'no temporary file left behind',
    );
  });
});
