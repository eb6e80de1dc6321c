// Moving files into S3 and carrying them in snapshots: `casa-integrate storage copy --to s3` copies a
// data directory's files into the bucket (idempotent, resumable, with a progress line), and snapshot
// save and restore carry the files of an S3 store as they do a local one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { restoreSnapshot, saveSnapshot } from '../../src/services/db-snapshot/db-snapshot.js';
import { s3FileStorage } from '../../src/storage/s3-file-storage.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { cliEnvironment, runCli } from '../helpers/child-process.js';
import { NO_S3, S3_ENDPOINT, ensureTestBucket, testS3Settings } from '../helpers/s3.js';
import { deliveredOrder, download, fileUrls } from '../deliverables/delivery-helpers.js';

async function keys(files: { list(prefix?: string): AsyncIterable<{ key: string }> }): Promise<string[]> {
  const out: string[] = [];
  for await (const f of files.list()) out.push(f.key);
  return out.sort();
}

describe('casa-integrate storage copy --to s3', { skip: S3_ENDPOINT ? false : NO_S3 }, () => {
  it('copies every stored file into the bucket, skips what is there, and resumes', async (t) => {
    const cli = await cliEnvironment(t);
    const s3 = testS3Settings();
    await ensureTestBucket();
    const content: Record<string, Buffer> = {
      'deliverables/o1/abc/floorplan.png': crypto.randomBytes(70_000),
      'deliverables/o1/abc/floorplan.svg': Buffer.from('<svg/>'),
      'scans/o2/3f2a': crypto.randomBytes(6 * 1024 * 1024),
    };
    for (const [key, data] of Object.entries(content)) {
      fs.mkdirSync(path.dirname(path.join(cli.dataDir, 'files', key)), { recursive: true });
      fs.writeFileSync(path.join(cli.dataDir, 'files', key), data);
    }
    fs.writeFileSync(path.join(cli.dataDir, 'files', 'scans/o2/3f2b.0a1b2c3d4e5f.tmp'), 'half');
    const env = { ...cli.env, CASA_S3_BUCKET: s3.bucket, CASA_S3_PREFIX: s3.prefix, CASA_S3_ENDPOINT: S3_ENDPOINT! };
    const total = Object.values(content).reduce((n, b) => n + b.length, 0);

    const first = await runCli(['storage', 'copy', '--to', 's3'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout), { files: 3, copied: 3, skipped: 0, copied_bytes: total });
    assert.match(first.stderr, /3\/3 files: 3 copied \(6\.1 MiB\), 0 already there\n$/);
    const bucket = s3FileStorage(s3);
    assert.deepEqual(await keys(bucket), Object.keys(content).sort());
    for (const [key, data] of Object.entries(content)) assert.deepEqual(await bucket.read(key), data);

    const again = await runCli(['storage', 'copy', '--to', 's3'], env);
    assert.deepEqual(JSON.parse(again.stdout), { files: 3, copied: 0, skipped: 3, copied_bytes: 0 });

    // A run cut off before the scan: the next one copies only what is missing.
    await bucket.delete('scans/o2/3f2a');
    const resumed = await runCli(['storage', 'copy', '--to', 's3'], env);
    assert.deepEqual(JSON.parse(resumed.stdout), { files: 3, copied: 1, skipped: 2, copied_bytes: 6 * 1024 * 1024 });
    assert.deepEqual(await bucket.read('scans/o2/3f2a'), content['scans/o2/3f2a']);

    const usage = await runCli(['storage', 'copy'], env);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^casa-integrate: storage copy needs --to s3 or --to local\n/);
  });
});

describe('snapshots of an S3 store', { skip: S3_ENDPOINT ? false : NO_S3 }, () => {
  it('save the objects rows name and restore exactly them, removing the rest', async (t) => {
    const s3 = testS3Settings();
    await ensureTestBucket();
    const files = s3FileStorage(s3);
    const ctx: TestApp = await buildTestApp(t, { storage: 's3', s3, s3Redirect: false }, { files: () => files });
    const company = await ctx.createCompany();
    const kept = await deliveredOrder(ctx, company, 'base', [], 900);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-snap-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const saved = await saveSnapshot(ctx.storage, dir, path.join(dir, 'state.zip'), { files });
    const atSave = await keys(files);
    assert.equal(saved.files, atSave.length);
    assert.ok(saved.files >= 10);

    // Afterwards: another order delivered, a file of the first lost, an orphan.
    await deliveredOrder(ctx, company, 'base', [], 1200);
    const lost = atSave[0]!;
    await files.delete(lost);
    await files.put('scans/nobody/left-over', Buffer.from('x'));

    const restored = await restoreSnapshot(ctx.storage, dir, path.join(dir, 'state.zip'), files);
    assert.equal(restored.files, saved.files);
    assert.deepEqual(await keys(files), atSave);
    for (const { url } of fileUrls(kept.delivery_assets)) assert.equal((await download(ctx, url)).statusCode, 200, url);
    assert.ok(!fs.existsSync(path.join(dir, 'files')), 'nothing went to the local files directory');
  });
});
