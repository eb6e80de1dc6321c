// Downloads of delivered files kept in S3: `/files/…` links redirect to a short presigned URL of the
// store (or stream the object with CASA_S3_REDIRECT=false), ranges work either way, and with
// CASA_ASSET_URLS=presigned `delivery_assets` holds the store's own URLs.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { Config } from '../../src/config.js';
import { s3FileStorage } from '../../src/storage/s3-file-storage.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { NO_S3, S3_ENDPOINT, TEST_BUCKET, ensureTestBucket, testS3Settings } from '../helpers/s3.js';
import { deliveredOrder, download, fileUrls } from '../deliverables/delivery-helpers.js';

async function s3App(t: TestContext, overrides: Partial<Config>): Promise<TestApp> {
  const s3 = testS3Settings();
  await ensureTestBucket();
  return buildTestApp(
    t,
    { storage: 's3', s3, rateLimitPerSecond: 1_000_000, rateLimitBurst: 1_000_000, ...overrides },
    { files: () => s3FileStorage(s3) },
  );
}

const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

async function fetchBytes(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

describe('downloads from S3', { skip: S3_ENDPOINT ? false : NO_S3 }, () => {
  it('redirect every delivered file to a presigned URL of a few minutes, with its type, name and ranges', async (t) => {
    const ctx = await s3App(t, { s3Redirect: true });
    const company = await ctx.createCompany();
    const order = await deliveredOrder(ctx, company, 'plus_3d', ['3d_cad_files'], 1200);
    const urls = fileUrls(order.delivery_assets);
    assert.ok(urls.length >= 10, `files delivered: ${urls.length}`);
    for (const { url } of urls) {
      assert.ok(url.startsWith(`${ctx.config.publicUrl}/files/deliverables/${order.id}/`), url);
      const res = await download(ctx, url);
      assert.equal(res.statusCode, 302);
      assert.equal(res.headers['cache-control'], 'no-store');
      const location = String(res.headers.location);
      assert.ok(location.startsWith(`${S3_ENDPOINT}/${TEST_BUCKET}/${ctx.config.s3!.prefix}deliverables/${order.id}/`), location);
      assert.equal(new URL(location).searchParams.get('X-Amz-Expires'), '300');
      const etag = String(res.headers.etag).replace(/"/g, '');
      const { res: got, body } = await fetchBytes(location);
      assert.equal(got.status, 200);
      assert.equal(sha256(body), etag, 'the bytes are the delivered file');
      const name = decodeURIComponent(new URL(url).pathname.split('/').pop()!);
      assert.match(String(got.headers.get('content-disposition')), new RegExp(`^attachment; filename="${name.replace(/\./g, '\\.')}"`));
      assert.ok(got.headers.get('content-type'), 'a content type');
    }
    const pdf = urls.find((u) => u.url.includes('.pdf'))!.url;
    const location = String((await download(ctx, pdf)).headers.location);
    const whole = (await fetchBytes(location)).body;
    assert.equal((await fetchBytes(location)).res.headers.get('content-type'), 'application/pdf');
    const part = await fetchBytes(location, { range: 'bytes=100-299' });
    assert.equal(part.res.status, 206);
    assert.equal(part.res.headers.get('content-range'), `bytes 100-299/${whole.length}`);
    assert.deepEqual(part.body, whole.subarray(100, 300));

    // The server still answers If-None-Match itself, and refuses an altered link before any redirect.
    const etag = String((await download(ctx, pdf)).headers.etag);
    assert.equal((await download(ctx, pdf, { 'if-none-match': etag })).statusCode, 304);
    const altered = pdf.replace(/signature=./, (m) => (m.endsWith('A') ? 'signature=B' : 'signature=A'));
    const refused = await download(ctx, altered);
    assert.equal(refused.statusCode, 403);
    assert.deepEqual(refused.json(), { message: 'This link is invalid or has expired.' });
    assert.equal(refused.headers.location, undefined);
  });

  it('stream the object through the server with CASA_S3_REDIRECT=false, ranges included', async (t) => {
    const ctx = await s3App(t, { s3Redirect: false });
    const company = await ctx.createCompany();
    const order = await deliveredOrder(ctx, company, 'base', [], 900);
    const url = order.delivery_assets.listing_floorplans.pdf_urls[0] as string;
    const full = await download(ctx, url);
    assert.equal(full.statusCode, 200);
    assert.equal(full.headers['content-type'], 'application/pdf');
    assert.equal(Number(full.headers['content-length']), full.rawPayload.length);
    assert.equal(sha256(full.rawPayload), String(full.headers.etag).replace(/"/g, ''));
    const part = await download(ctx, url, { range: 'bytes=10-59' });
    assert.equal(part.statusCode, 206);
    assert.equal(part.headers['content-range'], `bytes 10-59/${full.rawPayload.length}`);
    assert.deepEqual(part.rawPayload, full.rawPayload.subarray(10, 60));
  });

  it('hand out the store own URLs in delivery_assets with CASA_ASSET_URLS=presigned, to the order company only', async (t) => {
    const ctx = await s3App(t, { assetUrls: 'presigned' });
    const company = await ctx.createCompany();
    const other = await ctx.createCompany();
    const order = await deliveredOrder(ctx, company, 'base', [], 900);
    const urls = fileUrls(order.delivery_assets);
    assert.ok(urls.length >= 10);
    for (const { url } of urls) {
      assert.ok(url.startsWith(`${S3_ENDPOINT}/${TEST_BUCKET}/`), url);
      // The link lives as long as a server link does (7 days, SigV4's longest).
      assert.equal(new URL(url).searchParams.get('X-Amz-Expires'), String(ctx.config.fileUrlTtlS));
      const { res, body } = await fetchBytes(url);
      assert.equal(res.status, 200);
      assert.ok(body.length > 0);
    }
    const tampered = urls[0]!.url.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`);
    assert.equal((await fetch(tampered)).status, 403);
    const foreign = await ctx.inject({ method: 'GET', url: `/api/integrate/v3/orders/${order.id}`, headers: other.headers });
    assert.equal(foreign.statusCode, 404);
  });
});
