// The sandbox and request log pages in headless Chromium, as an operator uses them: from the company
// page to its sandbox settings, a refused rate shown beside its field, a saved document, then the
// request log and one request. Every page is checked with axe-core, watched for off-origin
// requests and CSP violations, and photographed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp } from '../helpers/app.js';
import { assertAccessible, launchBrowser, openPage, serve } from '../helpers/browser.js';
import { API } from '../orders/order-helpers.js';
import { consoleScreenshot } from './console-helpers.js';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function check(page: Page, name: string) {
  await assertAccessible(page);
  await consoleScreenshot(page, name);
}

test('an operator sets a company sandbox and reads its request log', async (t) => {
  const ctx = await buildTestApp(t);
  const origin = await serve(ctx);
  const company = await ctx.createCompany('Chaos Realty');
  const w = await openPage(browser, origin);
  t.after(() => w.close());
  const { page } = w;
  page.on('dialog', (d) => void d.accept());

  await page.goto(`/console/companies/${company.id}`);
  await page.getByLabel('Admin key').fill(ctx.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Chaos Realty', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'Sandbox settings of Chaos Realty' }).click();
  await page.getByRole('heading', { name: 'Sandbox of Chaos Realty' }).waitFor();
  await check(page, '20-sandbox');

  // A rate above 1 is refused beside its field; nothing is stored.
  await page.getByLabel('Duplicate rate').fill('1.5');
  await page
    .getByLabel('API fault rules (JSON)')
    .fill(JSON.stringify([{ id: 'users-503', match: { method: 'GET', path: '/users' }, rate: 1, action: { status: 503 } }]));
  await page.getByRole('button', { name: 'Save sandbox settings' }).click();
  await page.getByRole('alert').filter({ hasText: 'The settings were not saved' }).waitFor();
  assert.match(
    await page.locator('#webhooks-duplicate_rate-error').innerText(),
    /webhooks → duplicate_rate: ensure this value is less than/,
  );
  assert.equal(await page.getByLabel('Duplicate rate').getAttribute('aria-invalid'), 'true');
  await check(page, '21-sandbox-refused');
  const stored = async () =>
    (await ctx.inject({ method: 'GET', url: `/admin/v1/companies/${company.id}/sandbox`, headers: ctx.adminHeaders })).json();
  assert.deepEqual((await stored()).faults, []);

  await page.getByLabel('Duplicate rate').fill('0.5');
  await page.getByLabel('Webhook retry schedule (s)').fill('0, 1, 2');
  await page.getByRole('button', { name: 'Save sandbox settings' }).click();
  await page.getByRole('status').filter({ hasText: 'The sandbox settings were saved.' }).waitFor();
  const saved = await stored();
  assert.equal(saved.webhooks.duplicate_rate, 0.5);
  assert.deepEqual(saved.webhook_schedule_s, [0, 1, 2]);
  assert.equal(saved.faults[0].id, 'users-503');

  await page.getByRole('button', { name: 'Deliver everything due now' }).click();
  await page.getByRole('status').filter({ hasText: 'Due now: 0 orders' }).waitFor();

  // The request log: the injected answer, then the request itself.
  assert.equal((await ctx.inject({ method: 'GET', url: `${API}/users`, headers: company.headers })).statusCode, 503);
  await ctx.app.services.requestLog.flush();
  await page.getByRole('link', { name: 'Request log of Chaos Realty' }).click();
  await page.getByRole('heading', { name: 'Request log of Chaos Realty' }).waitFor();
  await page.getByLabel('Status').fill('5xx');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/status=5xx/);
  const rows = page.locator('table.requests tbody tr');
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /GET\s+\/users\s+503[\s\S]*users-503/);
  await check(page, '22-request-log');
  await rows.first().getByRole('link').click();
  await page.getByRole('heading', { name: 'GET /users' }).waitFor();
  assert.equal((await page.locator('#request-injected code').innerText()).trim(), 'users-503');
  await check(page, '23-request');
  assert.deepEqual(w.problems, []);
});
