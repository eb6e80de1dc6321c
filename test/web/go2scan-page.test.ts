// The GoToScan page in headless Chromium: a homeowner opens the link, sees the property and who
// ordered, drops or picks the scan files, watches the upload and gets a confirmation; the order is
// Pending through the API. Used, expired, unknown and tampered links show their page and change nothing.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp, type TestCompany } from '../helpers/app.js';
import { assertAccessible, launchBrowser, openPage, pathOf, screenshot, serve, type WatchedPage } from '../helpers/browser.js';
import { call, draftBody, getOrder, ok, snapshot } from '../orders/order-helpers.js';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

interface Setup {
  ctx: TestApp;
  origin: string;
  company: TestCompany;
}

async function setup(t: Parameters<typeof buildTestApp>[0], overrides: Parameters<typeof buildTestApp>[1] = {}): Promise<Setup> {
  const ctx = await buildTestApp(t, overrides);
  const origin = await serve(ctx);
  return { ctx, origin, company: await ctx.createCompany('Bayou Homes Realty') };
}

async function go2scanOrder(s: Setup): Promise<{ id: string; path: string; address: string }> {
  const order = await ok(call(s.ctx, s.company, 'POST', '/orders/go2scan', { ...draftBody(s.company), send_invitation: false }));
  assert.equal(order.info.status, 'New');
  return { id: order.id, path: pathOf(order.info.go2scan.link), address: order.address.full_address };
}

async function withPage<T>(s: Setup, fn: (w: WatchedPage) => Promise<T>, viewport?: { width: number; height: number }): Promise<T> {
  const w = await openPage(browser, s.origin, viewport);
  try {
    const result = await fn(w);
    assert.deepEqual(w.problems, [], 'no off-origin request, CSP violation or script error');
    return result;
  } finally {
    await w.close();
  }
}

const photo = (name: string, size: number) => ({ name, mimeType: 'image/jpeg', buffer: crypto.randomBytes(size) });

describe('GET /go2scan/{token}', () => {
  test('a homeowner uploads a scan with the file picker and sees it received; the order is Pending', async (t) => {
    const s = await setup(t);
    const order = await go2scanOrder(s);
    await withPage(s, async (w) => {
      const res = await w.page.goto(order.path);
      assert.equal(res?.status(), 200);
      assert.equal(res?.headers()['cache-control'], 'no-store');
      assert.equal(await w.page.locator('#property-address').textContent(), order.address);
      assert.equal(await w.page.locator('#ordering-company').textContent(), 'Bayou Homes Realty');
      assert.match((await w.page.locator('#scan-files-hint').textContent()) ?? '', /at most 20 files, each up to 200 MB, 1 GB in all\./);
      await assertAccessible(w.page);
      await screenshot(w.page, 'go2scan-form');

      await w.page
        .getByLabel('Scan files')
        .setInputFiles([
          photo('living-room.jpg', 3_000_000),
          { name: 'scan.zip', mimeType: 'application/zip', buffer: crypto.randomBytes(2_000_000) },
        ]);
      assert.deepEqual(await w.page.locator('#file-list li').allTextContents(), ['living-room.jpg (2.9 MB)', 'scan.zip (1.9 MB)']);
      await w.page.getByRole('button', { name: 'Upload scan' }).click();
      await w.page.getByRole('heading', { name: 'Thank you, your scan was received' }).waitFor();
      assert.equal(await w.page.locator('#upload-progress').evaluate((el) => (el as HTMLProgressElement).value), 100);
      await assertAccessible(w.page);
      await screenshot(w.page, 'go2scan-done');

      // The link is used up.
      const again = await w.page.goto(order.path);
      assert.equal(again?.status(), 410);
      assert.equal(await w.page.getByRole('heading', { level: 1 }).textContent(), 'This link can no longer be used');
      assert.match((await w.page.locator('.notice').textContent()) ?? '', /already used/);
      await assertAccessible(w.page);
      await screenshot(w.page, 'go2scan-used');
    });
    const read = await getOrder(s.ctx, s.company, order.id);
    assert.equal(read.info.status, 'Pending');
    const files = await s.ctx.storage.db
      .selectFrom('scan_files')
      .select(['original_name', 'size'])
      .where('order_id', '=', order.id)
      .orderBy('original_name')
      .execute();
    assert.deepEqual(files, [
      { original_name: 'living-room.jpg', size: 3_000_000 },
      { original_name: 'scan.zip', size: 2_000_000 },
    ]);
  });

  test('files dropped on the page on a phone-sized screen are uploaded', async (t) => {
    const s = await setup(t);
    const order = await go2scanOrder(s);
    await withPage(
      s,
      async (w) => {
        await w.page.goto(order.path);
        await w.page.locator('#dropzone').evaluate((zone) => {
          const data = new DataTransfer();
          data.items.add(new File([new Uint8Array(50_000)], 'kitchen.jpg', { type: 'image/jpeg' }));
          zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
          zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
        });
        assert.deepEqual(await w.page.locator('#file-list li').allTextContents(), ['kitchen.jpg (48.8 KB)']);
        await screenshot(w.page, 'go2scan-dropped-phone');
        await w.page.getByRole('button', { name: 'Upload scan' }).click();
        await w.page.getByRole('heading', { name: 'Thank you, your scan was received' }).waitFor();
      },
      { width: 390, height: 844 },
    );
    assert.equal((await getOrder(s.ctx, s.company, order.id)).info.status, 'Pending');
  });

  test('a file over the size limit shown is refused before upload; nothing changes', async (t) => {
    const s = await setup(t, { scanMaxBytes: 100_000 });
    const order = await go2scanOrder(s);
    const before = await snapshot(s.ctx);
    await withPage(s, async (w) => {
      await w.page.goto(order.path);
      assert.match((await w.page.locator('#scan-files-hint').textContent()) ?? '', /each up to 97.7 KB/);
      let uploads = 0;
      w.page.on('request', (r) => {
        if (r.method() === 'POST') uploads++;
      });
      await w.page.getByLabel('Scan files').setInputFiles([photo('huge.jpg', 100_001)]);
      await w.page.getByRole('button', { name: 'Upload scan' }).click();
      assert.equal(await w.page.getByRole('status').textContent(), 'huge.jpg is larger than 97.7 KB.');
      await assertAccessible(w.page);
      await screenshot(w.page, 'go2scan-too-large');
      assert.equal(uploads, 0);
    });
    assert.deepEqual(await snapshot(s.ctx), before);
  });

  test('files together over the total limit shown are refused before upload; nothing changes', async (t) => {
    const s = await setup(t, { scanMaxBytes: 100_000, scanMaxTotalBytes: 150_000 });
    const order = await go2scanOrder(s);
    const before = await snapshot(s.ctx);
    await withPage(s, async (w) => {
      await w.page.goto(order.path);
      assert.match((await w.page.locator('#scan-files-hint').textContent()) ?? '', /each up to 97\.7 KB, 146\.5 KB in all\./);
      let uploads = 0;
      w.page.on('request', (r) => {
        if (r.method() === 'POST') uploads++;
      });
      await w.page.getByLabel('Scan files').setInputFiles([photo('a.jpg', 80_000), photo('b.jpg', 80_000)]);
      await w.page.getByRole('button', { name: 'Upload scan' }).click();
      assert.equal(await w.page.getByRole('status').textContent(), 'These files hold 156.3 KB together; the limit is 146.5 KB.');
      assert.equal(uploads, 0);
    });
    assert.deepEqual(await snapshot(s.ctx), before);
  });

  test('an expired link shows its page; the order stays New', async (t) => {
    const s = await setup(t);
    const order = await go2scanOrder(s);
    s.ctx.clock.advanceSeconds(30 * 86_400);
    const before = await snapshot(s.ctx);
    await withPage(s, async (w) => {
      const res = await w.page.goto(order.path);
      assert.equal(res?.status(), 410);
      assert.equal(await w.page.getByRole('heading', { level: 1 }).textContent(), 'This link can no longer be used');
      assert.match((await w.page.locator('.notice').textContent()) ?? '', /expired/);
      await assertAccessible(w.page);
      await screenshot(w.page, 'go2scan-expired');
    });
    assert.deepEqual(await snapshot(s.ctx), before);
    assert.equal((await getOrder(s.ctx, s.company, order.id)).info.status, 'New');
  });

  test('an unknown or tampered link shows "not valid" and reveals nothing', async (t) => {
    const s = await setup(t);
    const order = await go2scanOrder(s);
    const token = order.path.split('/').pop()!;
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const before = await snapshot(s.ctx);
    await withPage(s, async (w) => {
      for (const bad of [tampered, 'nope']) {
        const res = await w.page.goto(`/go2scan/${bad}`);
        assert.equal(res?.status(), 404);
        assert.equal(await w.page.getByRole('heading', { level: 1 }).textContent(), 'This link is not valid');
        assert.equal(await w.page.getByText(order.address).count(), 0);
      }
      await assertAccessible(w.page);
      await screenshot(w.page, 'go2scan-unknown');
    });
    assert.deepEqual(await snapshot(s.ctx), before);
  });
});
