// Console pages and actions through `inject`: what an order page shows after each button, model
// uploads (refused ones change nothing), the masked webhook secret, merge approval, the system
// figures, and the request figures collector.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTestApp } from '../helpers/app.js';
import { requestMerge } from '../helpers/merges.js';
import { subscribe } from '../helpers/webhooks.js';
import { createDraft } from '../orders/order-helpers.js';
import { generateModel } from '../../src/render/generate-model.js';
import { createRequestStats } from '../../src/services/console/request-stats.js';
import { get, post, signIn } from './console-helpers.js';

describe('order page actions', () => {
  test('a refused transition shows the reason with 409 and changes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const draft = await createDraft(ctx, company);
    const s = await signIn(ctx);
    const res = await post(ctx, s, `/console/orders/${draft.id}/deliver`);
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /role="alert">Order is in status Draft/);
    const admin = await ctx.inject({ method: 'GET', url: `/admin/v1/orders/${draft.id}`, headers: ctx.adminHeaders });
    assert.equal(admin.json().order.info.status, 'Draft');
    assert.equal((await post(ctx, s, '/console/orders/00000000-0000-4000-8000-000000000000/scan')).statusCode, 404);
  });

  test('hold and release show at once; the model upload checks JSON, shape and geometry', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const draft = await createDraft(ctx, company);
    const s = await signIn(ctx);
    const o = `/console/orders/${draft.id}`;
    assert.equal((await post(ctx, s, `${o}/hold`)).headers.location, `${o}?done=hold`);
    const held = await get(ctx, s, `${o}?done=hold`);
    assert.match(held.body, /role="status">Production of this order is on hold\./);
    assert.match(held.body, /badge-held/);
    assert.match(held.body, /Release hold/);
    await post(ctx, s, `${o}/unhold`);
    assert.doesNotMatch((await get(ctx, s, o)).body, /badge-held/);

    const notJson = await post(ctx, s, `${o}/model`, { model: '{not json' });
    assert.equal(notJson.statusCode, 400);
    assert.match(notJson.body, /The model is not valid JSON\./);
    assert.match(notJson.body, /\{not json<\/textarea>/);
    const wrongShape = await post(ctx, s, `${o}/model`, { model: JSON.stringify({ version: 1, floors: [] }) });
    assert.equal(wrongShape.statusCode, 400);
    assert.match(wrongShape.body, /floors: ensure this value has at least 1 items/);
    const model = generateModel(draft.id, 120);
    const overlapping = structuredClone(model);
    overlapping.floors[0]!.rooms.push({ ...overlapping.floors[0]!.rooms[0]!, id: 'copy' });
    assert.equal((await post(ctx, s, `${o}/model`, { model: JSON.stringify(overlapping) })).statusCode, 400);
    assert.equal(await ctx.app.services.deliverables.model({ id: draft.id }), null);

    const ok = await post(ctx, s, `${o}/model`, { model: JSON.stringify(model) });
    assert.equal(ok.statusCode, 303);
    assert.deepEqual(await ctx.app.services.deliverables.model({ id: draft.id }), model);
  });
});

describe('company page', () => {
  test('the webhook secret is masked until revealed; a new key is shown once; merges are approved', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany('Alpha');
    const b = await ctx.createCompany('Beta');
    const s = await signIn(ctx);
    const secret = (await ctx.app.services.webhooks.getSecret(a.id)).secret;
    const masked = await get(ctx, s, `/console/companies/${a.id}`);
    assert.equal(masked.statusCode, 200);
    assert.equal(masked.headers['cache-control'], 'no-store');
    assert.ok(!masked.body.includes(secret));
    assert.match(masked.body, /whsec_•{12}/);
    assert.ok((await get(ctx, s, `/console/companies/${a.id}?reveal=secret`)).body.includes(secret));

    const issued = await post(ctx, s, `/console/companies/${a.id}/api-keys`);
    const key = /id="issued-api-key">([^<]+)</.exec(issued.body)![1]!;
    assert.equal(
      (await ctx.inject({ method: 'GET', url: '/api/integrate/v3/companies/info', headers: { 'api-key': key } })).json().id,
      a.id,
    );
    assert.ok(!(await get(ctx, s, `/console/companies/${a.id}`)).body.includes(key));

    await requestMerge(ctx, a, b);
    const list = await get(ctx, s, '/console/companies');
    const approve = /action="(\/console\/merge-requests\/[0-9a-f-]+\/approve)"/.exec(list.body)![1]!;
    const res = await post(ctx, s, approve);
    assert.equal(res.headers.location, '/console/companies?done=merged#merges');
    assert.equal((await ctx.inject({ method: 'GET', url: '/api/integrate/v3/companies/info', headers: a.headers })).statusCode, 401);
    assert.match((await get(ctx, s, '/console/companies?done=merged')).body, /No merge request is waiting\./);
  });

  test('a merge approval shows the requester’s webhook URLs, keeps the target’s by default, and takes them only when chosen', async (t) => {
    const ctx = await buildTestApp(t);
    const s = await signIn(ctx);
    const webhooks = (company: { headers: Record<string, string> }, urls: string[]) => subscribe(ctx, company, urls, ['moved_to_ready']);
    const urlsOf = async (company: { headers: Record<string, string> }) =>
      (await ctx.inject({ method: 'GET', url: '/api/integrate/v3/companies/info', headers: company.headers })).json().webhook_urls;
    const ask = async (from: { headers: Record<string, string> }, to: { managerEmail: string }) =>
      `/console/merge-requests/${await requestMerge(ctx, from, to)}/approve`;

    const crafty = await ctx.createCompany('Crafty');
    const dependable = await ctx.createCompany('Dependable');
    await webhooks(crafty, ['https://attacker.c.example/steal']);
    await webhooks(dependable, ['https://dependable.example/hook']);
    const first = await ask(crafty, dependable);
    const list = (await get(ctx, s, '/console/companies')).body;
    const form = list.slice(list.indexOf(`action="${first}"`), list.indexOf('</form>', list.indexOf(`action="${first}"`)));
    assert.match(form, /Crafty's webhook URLs: <ul class="plain"><li><code>https:\/\/attacker\.c\.example\/steal<\/code><\/li><\/ul>/);
    assert.match(
      form,
      /<input type="radio" name="webhooks" id="[^"]+" value="keep_target" checked> Keep Dependable's webhook settings only/,
    );
    assert.match(form, /value="add_source"> Also send Dependable's events to Crafty's URLs/);

    // A value the form never offers: 400 with the reason, and nothing is merged.
    const bad = await post(ctx, s, first, { webhooks: 'everything' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /role="alert">The merge was not approved\. webhooks: value is not a valid enumeration member/);
    assert.equal((await ctx.inject({ method: 'GET', url: '/api/integrate/v3/companies/info', headers: crafty.headers })).statusCode, 200);

    // The default the form submits keeps the target's URLs.
    assert.equal((await post(ctx, s, first, { webhooks: 'keep_target' })).headers.location, '/console/companies?done=merged#merges');
    assert.deepEqual(await urlsOf(dependable), ['https://dependable.example/hook']);

    // Choosing the requester's URLs adds them.
    const evident = await ctx.createCompany('Evident');
    const flagged = await ctx.createCompany('Flagged');
    await webhooks(evident, ['https://evident.example/hook']);
    const second = await ask(evident, flagged);
    assert.equal((await post(ctx, s, second, { webhooks: 'add_source' })).statusCode, 303);
    assert.deepEqual(await urlsOf(flagged), ['https://evident.example/hook']);
  });

  test('creating a company with bad input says why and creates nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const s = await signIn(ctx);
    const res = await post(ctx, s, '/console/companies', { name: 'Nope', manager_email: 'not-an-email' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /manager_email: value is not a valid email address/);
    assert.equal((await ctx.app.services.company.list({ limit: 10, offset: 0 })).items.length, 0);
  });
});

describe('GET /console/system/figures', () => {
  test('counts requests and reads queue, backlog and webhook figures', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const draft = await createDraft(ctx, company);
    const scanned = await ctx.inject({ method: 'POST', url: `/admin/v1/orders/${draft.id}/scan`, headers: ctx.adminHeaders, payload: {} });
    assert.equal(scanned.statusCode, 200, scanned.body);
    ctx.clock.advanceSeconds(3600);
    const s = await signIn(ctx);
    const res = await get(ctx, s, '/console/system/figures');
    assert.equal(res.statusCode, 200);
    const f = res.json();
    assert.deepEqual(Object.keys(f), ['at', 'requests', 'queueDepth', 'productionBacklog', 'webhookSuccess']);
    assert.ok(f.requests.ratePerS > 0);
    assert.equal(f.requests.series.length, 60);
    assert.equal(f.productionBacklog, 1);
    assert.deepEqual(f.queueDepth, { production: 1, webhookDeliveries: 0 }, 'the order is due; the company subscribes to no webhook');
    assert.deepEqual(f.webhookSuccess, { attempts: 0, ok: 0, rate: null });
  });
});

describe('request figures collector', () => {
  test('rate over the last minute, p99, and a series that forgets old buckets', () => {
    const stats = createRequestStats();
    const t0 = 1_000_000_000_000;
    for (let i = 1; i <= 100; i++) stats.record(i, t0 + i * 100);
    const now = t0 + 10_100;
    const snap = stats.snapshot(now);
    assert.equal(snap.ratePerS, 100 / 60);
    assert.equal(snap.p99Ms, 99);
    assert.equal(snap.series.length, 60);
    assert.equal(snap.series.reduce((n, p) => n + p.ratePerS * 10, 0) > 0, true);
    const later = stats.snapshot(now + 11 * 60_000);
    assert.equal(later.ratePerS, 0);
    assert.equal(later.p99Ms, null);
    assert.ok(later.series.every((p) => p.ratePerS === 0));
  });
});

describe('order page lifecycle buttons', () => {
  test('show only what the lifecycle table allows in each status', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const s = await signIn(ctx);
    const draft = await createDraft(ctx, company);
    const o = `/console/orders/${draft.id}`;
    const buttons = async () => {
      const body = (await get(ctx, s, o)).body;
      return (['scan', 'deliver', 'fail', 'hold'] as const).filter((a) => body.includes(`action="${o}/${a}"`));
    };
    assert.deepEqual(await buttons(), ['scan', 'fail', 'hold'], 'Draft: a scan may arrive; nothing to deliver yet');
    assert.equal((await post(ctx, s, `${o}/scan`)).statusCode, 303);
    assert.deepEqual(await buttons(), ['deliver', 'fail', 'hold'], 'Pending: no second scan');
    assert.equal((await post(ctx, s, `${o}/deliver`)).statusCode, 303);
    assert.deepEqual(await buttons(), ['hold'], 'Ready with nothing waiting: no scan, no delivery, no fail');
    const upgrade = await ctx.inject({
      method: 'POST',
      url: `/api/integrate/v3/orders/${draft.id}/post-purchase`,
      headers: company.headers,
      payload: { package_type: 'plus_3d', add_ons: [] },
    });
    assert.equal(upgrade.statusCode, 200, upgrade.body);
    assert.deepEqual(await buttons(), ['deliver', 'hold'], 'Ready with an upgrade waiting: it may be delivered now');

    const failed = await createDraft(ctx, company);
    assert.equal((await post(ctx, s, `/console/orders/${failed.id}/fail`)).statusCode, 303);
    const body = (await get(ctx, s, `/console/orders/${failed.id}`)).body;
    for (const a of ['scan', 'deliver', 'fail'])
      assert.ok(!body.includes(`action="/console/orders/${failed.id}/${a}"`), `no ${a} on Failed`);
  });
});
