// The orphan sweep on both drivers: stored files no row names and older than the grace period go;
// every file a row names (delivered files, the cached combined PDF, scans) stays and downloads;
// young orphans (a write whose rows are about to commit) stay. And `casa-integrate storage sweep`.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../src/config.js';
import { s3FileStorage } from '../../src/storage/s3-file-storage.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { cliEnvironment, runCli } from '../helpers/child-process.js';
import { NO_S3, S3_ENDPOINT, ensureTestBucket, testS3Settings } from '../helpers/s3.js';
import { deliveredOrder, download, fileUrls } from '../deliverables/delivery-helpers.js';
import { call } from '../orders/order-helpers.js';

const drivers: { name: string; skip: string | false; build(t: TestContext): Promise<TestApp> }[] = [
  {
    name: 'local disk',
    skip: false,
    build: (t) => buildTestApp(t, { storage: 'local', s3: null }),
  },
  {
    name: 'S3',
    skip: S3_ENDPOINT ? false : NO_S3,
    async build(t) {
      const s3 = testS3Settings();
      await ensureTestBucket();
      return buildTestApp(t, { storage: 's3', s3, s3Redirect: false } satisfies Partial<Config>, { files: () => s3FileStorage(s3) });
    },
  },
];

async function keys(ctx: TestApp): Promise<string[]> {
  const out: string[] = [];
  for await (const f of ctx.files.list()) out.push(f.key);
  return out.sort();
}

for (const driver of drivers) {
  describe(`storage sweep on ${driver.name}`, { skip: driver.skip }, () => {
    it('removes old unnamed files only; every named file still downloads', async (t) => {
      const ctx = await driver.build(t);
      const company = await ctx.createCompany();
      const order = await deliveredOrder(ctx, company, 'base', ['gla'], 900);
      const pdf = await call(ctx, company, 'GET', `/orders/${order.id}/combined-pdf`);
      assert.equal(pdf.statusCode, 200);
      const named = await keys(ctx);
      assert.ok(
        named.some((k) => k.includes('/combined/')),
        'the combined PDF is cached',
      );

      const orphans = [`deliverables/${order.id}/0123456789abcdef0123/floorplan.png`, `scans/${order.id}/left-by-a-crash`];
      for (const key of orphans) await ctx.files.put(key, Buffer.from('orphan'));

      // With the default grace period (a day) the fresh orphans are young: nothing goes.
      const young = await ctx.app.services.storageSweep.sweep();
      assert.deepEqual(young, { scanned: named.length + 2, removed: 0, removed_bytes: 0, young: 2 });
      assert.deepEqual(await keys(ctx), [...named, ...orphans].sort());

      const swept = await ctx.app.services.storageSweep.sweep({ graceS: 0 });
      assert.deepEqual(swept, { scanned: named.length + 2, removed: 2, removed_bytes: 12, young: 0 });
      assert.deepEqual(await keys(ctx), named);
      for (const { url } of fileUrls(order.delivery_assets)) assert.equal((await download(ctx, url)).statusCode, 200, url);
      const again = await call(ctx, company, 'GET', `/orders/${order.id}/combined-pdf`);
      assert.equal(again.statusCode, 200);
      assert.deepEqual(await keys(ctx), named, 'the cached combined PDF was kept and used');
    });
  });
}

describe('casa-integrate storage sweep', () => {
  it('deletes an old leftover (a temporary file of a killed write) and keeps a young one; prints the summary', async (t) => {
    const cli = await cliEnvironment(t);
    const dir = path.join(cli.dataDir, 'files', 'deliverables', 'o1', 'abc');
    fs.mkdirSync(dir, { recursive: true });
    const old = path.join(dir, 'plan.png.1a2b3c4d5e6f.tmp');
    const young = path.join(dir, 'plan.svg.0f1e2d3c4b5a.tmp');
    fs.writeFileSync(old, 'half a file');
    fs.writeFileSync(young, 'being written');
    const twoDaysAgo = new Date(Date.now() - 2 * 86400_000);
    fs.utimesSync(old, twoDaysAgo, twoDaysAgo);
    const res = await runCli(['storage', 'sweep'], cli.env);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout), { scanned: 2, removed: 1, removed_bytes: 11, young: 1 });
    assert.ok(!fs.existsSync(old));
    assert.ok(fs.existsSync(young));
  });
});
