// The console's orders table over 100,000 orders of several companies: server-side paging and
// filtering give the right rows at any depth, and the page is rendered in Chromium; its time to
// first render is measured and written to test-results/console/orders-timing.json (not asserted).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildTestApp, dialectName } from '../helpers/app.js';
import { assertAccessible, launchBrowser, openPage, serve } from '../helpers/browser.js';
import { seedOrders } from '../orders/seed.js';
import { CONSOLE_SCREENSHOTS, consoleScreenshot, get, signIn } from './console-helpers.js';

const TOTAL = 100_000;
const COMPANIES = 4;
const STATUSES = ['Draft', 'Pending', 'Ready', 'Fixing', 'Failed'];

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

function rowsOf(body: string): string[] {
  const tbody = /<table class="orders">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(body)![1]!;
  return [...tbody.matchAll(/href="\/console\/orders\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
}

test('the orders table pages and filters 100,000 orders on the server', async (t) => {
  const ctx = await buildTestApp(t);
  const companies = [];
  for (let c = 0; c < COMPANIES; c++) companies.push(await ctx.createCompany(`Scale ${c}`));
  const startUs = Date.UTC(2025, 0, 1) * 1000;
  const seedStarted = performance.now();
  // Interleaved: order i belongs to company i % 4 and was created i ms after the first.
  const ids: string[][] = [];
  for (let c = 0; c < COMPANIES; c++) {
    ids.push(
      await seedOrders(ctx.storage.db, {
        companyId: companies[c]!.id,
        count: TOTAL / COMPANIES,
        startUs: startUs + c * 1000,
        stepUs: COMPANIES * 1000,
        batch: 500,
        row: (i) => ({
          status: STATUSES[(i * COMPANIES + c) % STATUSES.length]!,
          external_id: `EXT-${i * COMPANIES + c}`,
          owner_email: `owner${(i * COMPANIES + c) % 10}@example.com`,
        }),
      }),
    );
  }
  const seedMs = performance.now() - seedStarted;
  const idAt = (n: number) => ids[n % COMPANIES]![Math.floor(n / COMPANIES)]!; // n-th created order
  const s = await signIn(ctx);

  const first = await get(ctx, s, '/console/orders');
  assert.equal(first.statusCode, 200);
  assert.deepEqual(
    rowsOf(first.body),
    Array.from({ length: 50 }, (_, k) => idAt(TOTAL - 1 - k)),
  );
  assert.match(first.body, /Showing 1–50 of 100,000 orders/);

  const deep = await get(ctx, s, '/console/orders?offset=99980');
  assert.deepEqual(
    rowsOf(deep.body),
    Array.from({ length: 20 }, (_, k) => idAt(19 - k)),
  );
  assert.doesNotMatch(deep.body, /rel="next"/);

  const ready = await get(ctx, s, `/console/orders?status=Ready&company_id=${companies[1]!.id}`);
  // Orders n = 4i + 1 with n % 5 == 2: n ≡ 17 (mod 20), 5,000 of them.
  assert.match(ready.body, /of 5,000 orders/);
  assert.deepEqual(rowsOf(ready.body).slice(0, 3), [99997, 99977, 99957].map(idAt));

  const byExternal = await get(ctx, s, '/console/orders?external_id=EXT-4242');
  assert.deepEqual(rowsOf(byExternal.body), [idAt(4242)]);
  const byOwner = await get(ctx, s, '/console/orders?owner_email=OWNER7%40example.com&created_from=2025-01-01&created_to=2025-01-01');
  assert.match(byOwner.body, /of 10,000 orders/); // every order was created on Jan 1 (1 ms apart); every tenth is owner7's
  const later = await get(ctx, s, '/console/orders?created_from=2025-01-02');
  assert.match(later.body, /No orders/);
  const none = await get(ctx, s, '/console/orders?status=Ready&external_id=EXT-4243');
  assert.deepEqual(rowsOf(none.body), []);
  assert.match(none.body, /No orders/);

  // Time to first render in Chromium, signed in with the same session.
  const origin = await serve(ctx);
  const w = await openPage(browser, origin);
  t.after(() => w.close());
  await w.context.addCookies([
    { name: 'casa_console', value: s.session, url: `${origin}/console` },
    { name: 'casa_csrf', value: s.csrf, url: origin },
  ]);
  const timings: Record<string, unknown> = { database: dialectName, orders: TOTAL, seedMs: Math.round(seedMs) };
  for (const [name, url] of [
    ['warm-up', '/console/orders'],
    ['newest', '/console/orders'],
    ['status filter', '/console/orders?status=Fixing'],
    ['deep page', '/console/orders?offset=99950'],
    ['company + owner', `/console/orders?company_id=${companies[2]!.id}&owner_email=owner2%40example.com`],
  ] as const) {
    await w.page.goto(url);
    timings[name] = await w.page.evaluate(async () => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      // The paint entry may be reported a moment after load.
      const fcp = await new Promise<PerformanceEntry | undefined>((resolve) => {
        new PerformanceObserver((list) => resolve(list.getEntriesByName('first-contentful-paint')[0])).observe({
          type: 'paint',
          buffered: true,
        });
        setTimeout(() => resolve(undefined), 3000);
      });
      return {
        serverMs: Math.round(nav.responseStart - nav.requestStart),
        firstContentfulPaintMs: fcp ? Math.round(fcp.startTime) : null,
        domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd),
      };
    });
  }
  assert.equal(await w.page.locator('table.orders tbody tr').count(), 50);
  await assertAccessible(w.page);
  await consoleScreenshot(w.page, `orders-100k-${dialectName}`);
  assert.deepEqual(w.problems, []);
  fs.mkdirSync(CONSOLE_SCREENSHOTS, { recursive: true });
  fs.writeFileSync(path.join(CONSOLE_SCREENSHOTS, `orders-timing-${dialectName}.json`), `${JSON.stringify(timings, null, 2)}\n`);
  t.diagnostic(JSON.stringify(timings));
});
