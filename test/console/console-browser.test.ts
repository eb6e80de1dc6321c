// The console in headless Chromium, as an operator uses it: sign in, create a company (its key is
// shown once), watch a draft made through the API, drive it to Ready with the console's buttons,
// see its floor plans, find the moved_to_ready webhook with the receiver's answer, replay it and
// see it arrive again, open the invitation email and follow its link. Every page is checked with
// axe-core, watched for off-origin requests and CSP violations, and photographed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp } from '../helpers/app.js';
import { requestMerge } from '../helpers/merges.js';
import { assertAccessible, launchBrowser, openPage, serve } from '../helpers/browser.js';
import { ALL_TRIGGERS, startReceiver, subscribe, testDispatcher, waitFor } from '../helpers/webhooks.js';
import { createUser, uniqueEmail } from '../helpers/users.js';
import { draftBody } from '../orders/order-helpers.js';
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

async function statusText(page: Page) {
  return (await page.locator('#order-status').innerText()).trim();
}

test('an operator drives an order to Ready, replays its webhook and follows an emailed link', async (t) => {
  const ctx = await buildTestApp(t);
  const origin = await serve(ctx);
  const receiver = await startReceiver(t);
  receiver.respond = () => ({ status: 202, body: 'accepted by the loopback receiver' });
  const dispatcher = testDispatcher(ctx, t);
  const w = await openPage(browser, origin);
  t.after(() => w.close());
  const { page } = w;
  page.on('dialog', (d) => void d.accept());

  // Without a session the console sends the operator to sign in, then back where they were going.
  await page.goto('/console/companies');
  assert.match(page.url(), /\/console\/sign-in\?next=%2Fconsole%2Fcompanies$/);
  await check(page, '01-sign-in');
  await page.getByLabel('Admin key').fill('not the key');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'That is not the admin key' }).waitFor();
  await page.getByLabel('Admin key').fill(ctx.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${origin}/console/companies`);

  // Create a company: the key is shown once and works against the API.
  const managerEmail = uniqueEmail('boss');
  await page.getByLabel('Name', { exact: true }).fill('Harbour Homes');
  await page.getByLabel("Manager's email").fill(managerEmail);
  await page.getByRole('button', { name: 'Create company' }).click();
  await page.getByRole('heading', { name: 'Company Harbour Homes was created' }).waitFor();
  const apiKey = (await page.locator('#new-api-key').innerText()).trim();
  assert.match(apiKey, /^casa_[A-Za-z0-9]{40}$/);
  await check(page, '02-companies-created');
  const headers = { 'api-key': apiKey };
  const info = await ctx.inject({ method: 'GET', url: '/api/integrate/v3/companies/info', headers });
  assert.equal(info.statusCode, 200);
  const companyId = info.json().id as string;

  // The customer subscribes to webhooks, makes a draft and invites a user, all through the API.
  await subscribe(ctx, { headers }, [receiver.url], ALL_TRIGGERS);
  const company = { id: companyId, apiKey, apiKeyId: '', headers, managerId: '', managerEmail, mainOfficeId: '' };
  const draftRes = await ctx.inject({
    method: 'POST',
    url: '/api/integrate/v3/orders/draft',
    headers,
    payload: draftBody(company, { external_id: 'HARBOUR-1' }),
  });
  assert.equal(draftRes.statusCode, 200, draftRes.body);
  const orderId = draftRes.json().id as string;
  const invitedEmail = uniqueEmail('invited');
  await createUser(ctx, company, { email: invitedEmail, role: 'User' });

  // The company page: users, the webhook URL, the secret masked until revealed, a new key.
  await page.getByRole('link', { name: 'Open Harbour Homes' }).click();
  await page.getByRole('heading', { name: 'Harbour Homes', level: 1 }).waitFor();
  assert.ok(await page.getByRole('cell', { name: invitedEmail }).isVisible());
  assert.ok(await page.getByText(receiver.url).isVisible());
  assert.match(await page.locator('#webhook-secret').innerText(), /^whsec_•+$/);
  await check(page, '03-company');
  await page.getByRole('link', { name: 'Reveal secret' }).click();
  const secret = (await page.locator('#webhook-secret').innerText()).trim();
  const stored = await ctx.inject({ method: 'GET', url: `/admin/v1/companies/${companyId}/webhook-secret`, headers: ctx.adminHeaders });
  assert.equal(secret, stored.json().secret);
  await page.getByRole('button', { name: 'Create an api key' }).click();
  const issued = (await page.locator('#issued-api-key').innerText()).trim();
  assert.equal(
    (await ctx.inject({ method: 'GET', url: '/api/integrate/v3/companies/info', headers: { 'api-key': issued } })).statusCode,
    200,
  );
  await page.getByRole('button', { name: `Revoke ${issued.slice(0, 9)}…` }).click();
  await page.getByRole('status').filter({ hasText: 'The api key was revoked.' }).waitFor();
  assert.equal(
    (await ctx.inject({ method: 'GET', url: '/api/integrate/v3/companies/info', headers: { 'api-key': issued } })).statusCode,
    401,
  );

  // The orders table, filtered to the company; the order page.
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Orders' }).click();
  await page.getByLabel('Company').selectOption(companyId);
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/company_id=/);
  const rows = page.locator('table.orders tbody tr');
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /HARBOUR-1/);
  await check(page, '04-orders');
  await rows.first().getByRole('link').first().click();
  await page.waitForURL(`${origin}/console/orders/${orderId}`);
  assert.equal(await statusText(page), 'Draft');
  await page.getByText('615 Bourbon St', { exact: false }).first().waitFor();

  // Drive it with the buttons; each result shows at once.
  await page.getByRole('button', { name: 'Upload scan (→ Pending)' }).click();
  await page.getByRole('status').filter({ hasText: 'The scan was uploaded' }).waitFor();
  assert.equal(await statusText(page), 'Pending');
  await page.getByRole('button', { name: 'Deliver now (→ Ready)' }).click();
  await page.getByRole('status').filter({ hasText: 'Delivered: the order is Ready.' }).waitFor();
  assert.equal(await statusText(page), 'Ready');
  // A Ready order offers no scan upload and nothing to deliver (the lifecycle table decides).
  assert.equal(await page.getByRole('button', { name: 'Upload scan (→ Pending)' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Deliver now (→ Ready)' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Fail order' }).count(), 0);
  await page.goto(`/console/orders/${orderId}`);

  // The floor plans: inline SVG per floor with PNG thumbnails that load; every file downloadable.
  const plans = page.locator('figure.plan');
  assert.ok((await plans.count()) >= 1);
  assert.ok(await plans.first().locator('svg.plan-svg').isVisible());
  const thumb = plans.first().locator('img.thumb');
  await thumb.scrollIntoViewIfNeeded();
  await waitFor(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 10_000, 'the PNG thumbnail');
  const download = page
    .locator('a[download]')
    .filter({ hasText: /\.pdf$/ })
    .first();
  const href = await download.getAttribute('href');
  assert.ok(href?.startsWith('/files/'), `a same-origin file link: ${href}`);
  const file = await page.request.get(href!);
  assert.equal(file.status(), 200);
  assert.equal(file.headers()['content-type'], 'application/pdf');
  const timeline = await page.locator('ol.timeline').innerText();
  for (const trigger of ['moved_to_draft', 'moved_to_pending', 'moved_to_ready']) assert.match(timeline, new RegExp(trigger));
  await check(page, '05-order-ready');

  // The dispatcher sends the webhooks; the log shows the receiver's answer.
  await dispatcher.drain();
  assert.deepEqual(
    receiver.received.map((r) => JSON.parse(r.body).current_status),
    ['Draft', 'Pending', 'Ready'],
  );
  await page.getByRole('link', { name: 'Webhook deliveries of this order' }).click();
  const readyRow = page.locator('table.deliveries tbody tr').filter({ hasText: 'moved_to_ready' });
  assert.equal(await readyRow.count(), 1);
  assert.match(await readyRow.innerText(), /delivered/);
  assert.match(await readyRow.innerText(), /202/);
  await check(page, '06-webhooks');
  await readyRow.getByRole('link').first().click();
  await page.getByRole('heading', { name: 'Webhook moved_to_ready', level: 1 }).waitFor();
  const firstReady = receiver.received[2]!;
  assert.equal(await page.locator('pre[aria-label="Body sent"]').innerText(), firstReady.body);
  const sentHeaders = await page.locator('pre[aria-label="Headers sent in attempt 1"]').innerText();
  assert.match(sentHeaders, new RegExp(`webhook-id: ${firstReady.headers['webhook-id']}`));
  assert.match(sentHeaders, new RegExp(`webhook-signature: ${String(firstReady.headers['webhook-signature']).replace(/[+/]/g, '\\$&')}`));
  assert.equal(await page.locator('pre[aria-label="Answer to attempt 1"]').innerText(), 'accepted by the loopback receiver');
  await check(page, '07-webhook-delivery');

  // Replay: a second attempt arrives at the receiver with the same body and webhook-id.
  await page.getByRole('button', { name: 'Replay this delivery' }).click();
  await page.getByRole('status').filter({ hasText: 'The delivery was queued again' }).waitFor();
  await dispatcher.drain();
  assert.equal(receiver.received.length, 4);
  assert.equal(receiver.received[3]!.body, firstReady.body);
  assert.equal(receiver.received[3]!.headers['webhook-id'], firstReady.headers['webhook-id']);
  await page.reload();
  assert.equal(await page.locator('li.attempt').count(), 2);
  assert.match(await page.locator('#delivery-status').innerText(), /delivered/);

  // The mail catcher: open the invitation and follow its link to the password page.
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Emails' }).click();
  await check(page, '08-emails');
  const invitation = page.locator('tbody tr').filter({ hasText: invitedEmail }).filter({ hasText: 'invitation' });
  await invitation.getByRole('link').click();
  await page.locator('iframe.email-html').waitFor();
  await check(page, '09-email');
  const link = page.locator('ul.email-links a').filter({ hasText: '/invite/' });
  await link.click();
  await page.waitForURL(new RegExp(`^${origin}/invite/[A-Za-z0-9_-]+$`));
  await page.getByRole('heading', { name: 'Set your password' }).waitFor();
  assert.equal(await page.getByLabel('Email').inputValue(), invitedEmail);
  await consoleScreenshot(page, '10-invitation-link');

  // The system page refreshes its figures and charts by itself.
  await page.goto('/console/system');
  // Only the script draws the lines: a drawn line is a refresh done by the page itself.
  await page.locator('#spark-rate polyline[points*=","]').waitFor({ state: 'attached' });
  await page.locator('#spark-queue polyline[points*=","]').waitFor({ state: 'attached' });
  assert.match(await page.locator('#fig-rate').innerText(), /req\/s$/);
  assert.match(await page.locator('#fig-success').innerText(), /^100\.0 %$/);
  await check(page, '11-system');

  // On a phone.
  const phone = await openPage(browser, origin, { width: 390, height: 844 });
  t.after(() => phone.close());
  await phone.context.addCookies(await w.context.cookies());
  await phone.page.goto(`/console/orders/${orderId}`);
  await assertAccessible(phone.page);
  await consoleScreenshot(phone.page, '12-order-phone');

  // Sign out from the system page: its answer is held until the page's own refresh has been refused
  // with 401, which must not send the page to the sign-in page on its own and lose the notice.
  await page.route(
    (u) => u.pathname === '/console/sign-out',
    async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      await page.waitForResponse((r) => r.url().endsWith('/console/system/figures') && r.status() === 401, { timeout: 10_000 });
      await route.fulfill({ response });
    },
  );
  await Promise.all([
    page.waitForURL(/\/console\/sign-in\?done=signed_out$/),
    page.getByRole('button', { name: 'Sign out', exact: true }).click(),
  ]);
  await page.getByRole('status').filter({ hasText: 'You are signed out.' }).waitFor();
  await page.goto('/console/orders');
  assert.match(page.url(), /\/console\/sign-in/);

  assert.deepEqual([...w.problems, ...phone.problems], []);
});

test('an operator approving a merge sees the requester’s webhook URLs and takes them only by choice', async (t) => {
  const ctx = await buildTestApp(t);
  const origin = await serve(ctx);
  const crafty = await ctx.createCompany('Crafty');
  const dependable = await ctx.createCompany('Dependable');
  await subscribe(ctx, crafty, ['https://attacker.c.example/steal'], ['moved_to_ready']);
  await subscribe(ctx, dependable, ['https://dependable.example/hook'], ['moved_to_ready']);
  await requestMerge(ctx, crafty, dependable);
  const w = await openPage(browser, origin);
  t.after(() => w.close());
  const { page } = w;
  page.on('dialog', (d) => void d.accept());
  await page.goto('/console/sign-in');
  await page.getByLabel('Admin key').fill(ctx.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/console\/orders/);

  await page.goto('/console/companies#merges');
  const approval = page.getByRole('group', { name: 'Webhooks' });
  assert.ok(await approval.getByText('https://attacker.c.example/steal').isVisible());
  assert.ok(await page.getByLabel("Keep Dependable's webhook settings only").isChecked(), 'keeping is the default');
  assert.ok(!(await page.getByLabel("Also send Dependable's events to Crafty's URLs").isChecked()));
  await check(page, '13-merge-approval');
  await page.getByLabel("Also send Dependable's events to Crafty's URLs").check();
  await page.getByRole('button', { name: 'Approve merge' }).click();
  await page.getByRole('status').filter({ hasText: 'The merge request was approved.' }).waitFor();
  const info = await ctx.inject({ method: 'GET', url: '/api/integrate/v3/companies/info', headers: dependable.headers });
  assert.deepEqual(info.json().webhook_urls, ['https://dependable.example/hook', 'https://attacker.c.example/steal']);
  assert.deepEqual(w.problems, []);
});
