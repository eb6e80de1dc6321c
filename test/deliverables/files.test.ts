import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildOrdersApp } from '../orders/order-helpers.js';
import { deliveredOrder, download, localPath } from './delivery-helpers.js';

const INVALID = { message: 'This link is invalid or has expired.' };

async function deliveredSvgUrl(t: Parameters<typeof buildOrdersApp>[0]) {
  const ctx = await buildOrdersApp(t);
  const company = await ctx.createCompany();
  const order = await deliveredOrder(ctx, company, 'base', [], 900);
  return {
    ctx,
    order,
    url: order.delivery_assets.listing_floorplans.svg_urls[0] as string,
    other: order.delivery_assets.listing_floorplans.png_urls[0] as string,
  };
}

function withQuery(url: string, change: (q: URLSearchParams) => void): string {
  const u = new URL(url);
  change(u.searchParams);
  return u.toString();
}

describe('GET /files/… (signed URLs)', () => {
  it('serves the file without an api-key: type, length, ETag, 304, HEAD and byte ranges', async (t) => {
    const { ctx, url } = await deliveredSvgUrl(t);
    const full = await download(ctx, url);
    assert.equal(full.statusCode, 200);
    assert.equal(full.headers['content-type'], 'image/svg+xml');
    assert.equal(full.headers['accept-ranges'], 'bytes');
    assert.equal(Number(full.headers['content-length']), full.rawPayload.length);
    assert.ok(full.body.startsWith('<?xml'));
    const etag = String(full.headers.etag);

    const head = await ctx.inject({ method: 'HEAD', url: localPath(ctx, url) });
    assert.equal(head.statusCode, 200);
    assert.equal(head.headers['content-length'], full.headers['content-length']);
    assert.equal(head.rawPayload.length, 0);

    const cached = await download(ctx, url, { 'if-none-match': etag });
    assert.equal(cached.statusCode, 304);
    assert.equal(cached.rawPayload.length, 0);

    const size = full.rawPayload.length;
    const first = await download(ctx, url, { range: 'bytes=0-99' });
    assert.equal(first.statusCode, 206);
    assert.equal(first.headers['content-range'], `bytes 0-99/${size}`);
    assert.equal(first.headers['content-length'], '100');
    assert.ok(first.rawPayload.equals(full.rawPayload.subarray(0, 100)));
    const tail = await download(ctx, url, { range: 'bytes=-10' });
    assert.equal(tail.statusCode, 206);
    assert.ok(tail.rawPayload.equals(full.rawPayload.subarray(size - 10)));
    const open = await download(ctx, url, { range: `bytes=${size - 5}-` });
    assert.ok(open.rawPayload.equals(full.rawPayload.subarray(size - 5)));
    const beyond = await download(ctx, url, { range: `bytes=${size}-` });
    assert.equal(beyond.statusCode, 416);
    assert.equal(beyond.headers['content-range'], `bytes */${size}`);
    const staleIfRange = await download(ctx, url, { range: 'bytes=0-9', 'if-range': '"something-else"' });
    assert.equal(staleIfRange.statusCode, 200);
    assert.equal(staleIfRange.rawPayload.length, size);
  });

  it('answers 403 with the same body for an altered, incomplete, extended or foreign link', async (t) => {
    const { ctx, url, other } = await deliveredSvgUrl(t);
    const sig = new URL(url).searchParams.get('signature')!;
    const flipped = sig.slice(0, -1) + (sig.endsWith('A') ? 'B' : 'A');
    const foreignPath = withQuery(other, (q) => q.set('signature', sig)); // this file's signature on another file
    const attempts = [
      withQuery(url, (q) => q.set('signature', flipped)),
      withQuery(url, (q) => q.delete('signature')),
      withQuery(url, (q) => q.delete('expires')),
      withQuery(url, (q) => q.set('expires', String(Number(q.get('expires')) + 3600))),
      withQuery(url, (q) => q.set('expires', 'soon')),
      foreignPath,
      url.replace('/files/deliverables/', '/files/deliverables/x'),
    ];
    for (const attempt of attempts) {
      const res = await download(ctx, attempt);
      assert.equal(res.statusCode, 403, attempt);
      assert.deepEqual(res.json(), INVALID);
      assert.equal(res.headers.etag, undefined);
    }
  });

  it('answers 403 once the link expired, and to another server’s signature', async (t) => {
    const { ctx, url } = await deliveredSvgUrl(t);
    const elsewhere = await buildOrdersApp(t);
    const foreign = await elsewhere.inject({ method: 'GET', url: localPath(ctx, url) });
    assert.equal(foreign.statusCode, 403);
    assert.deepEqual(foreign.json(), INVALID);

    ctx.clock.advanceSeconds(ctx.config.fileUrlTtlS - 60);
    assert.equal((await download(ctx, url)).statusCode, 200);
    ctx.clock.advanceSeconds(120);
    const expired = await download(ctx, url);
    assert.equal(expired.statusCode, 403);
    assert.deepEqual(expired.json(), INVALID);
  });
});
