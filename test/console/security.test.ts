// The console's locks, without a browser: no page or action without a session, sessions that end
// (sign-out, expiry, idle), sign-in only with the admin key or the operator password, and every
// form refused without its CSRF token — changing nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createDraft } from '../orders/order-helpers.js';
import { get, post, signIn } from './console-helpers.js';

async function orderStatus(ctx: TestApp, orderId: string): Promise<string> {
  const res = await ctx.inject({ method: 'GET', url: `/admin/v1/orders/${orderId}`, headers: ctx.adminHeaders });
  return res.json().order.info.status;
}

async function fixtures(ctx: TestApp) {
  const company = await ctx.createCompany('Locked Co');
  const draft = await createDraft(ctx, company);
  // Set, so that a forged clear or save would show.
  await ctx.app.services.sandbox.put(company.id, { seed: 1, production_delay_s: 600 });
  const companies = await ctx.app.services.company.list({ limit: 100, offset: 0 });
  return { company, orderId: draft.id as string, companyCount: companies.items.length };
}

function pages(f: { company: { id: string; apiKeyId: string }; orderId: string }) {
  return [
    '/console',
    '/console/orders',
    `/console/orders/${f.orderId}`,
    '/console/companies',
    `/console/companies/${f.company.id}`,
    `/console/companies/${f.company.id}/sandbox`,
    `/console/companies/${f.company.id}/requests?status=5xx`,
    `/console/companies/${f.company.id}/requests/00000000-0000-4000-8000-000000000000`,
    '/console/webhooks',
    '/console/emails',
    '/console/system',
  ];
}

function actions(f: { company: { id: string; apiKeyId: string }; orderId: string }): { url: string; fields: Record<string, string> }[] {
  const o = `/console/orders/${f.orderId}`;
  return [
    { url: '/console/companies', fields: { name: 'Forged Co', manager_email: 'forged@example.com' } },
    { url: `/console/companies/${f.company.id}/api-keys`, fields: {} },
    { url: `/console/api-keys/${f.company.apiKeyId}/revoke`, fields: { company_id: f.company.id } },
    { url: `/console/companies/${f.company.id}/sandbox`, fields: { seed: '7', faults: '[]', production_delay_s: '0' } },
    { url: `/console/companies/${f.company.id}/sandbox/clear`, fields: {} },
    { url: `/console/companies/${f.company.id}/sandbox/deliver-now`, fields: {} },
    { url: `${o}/scan`, fields: {} },
    { url: `${o}/deliver`, fields: {} },
    { url: `${o}/fail`, fields: {} },
    { url: `${o}/hold`, fields: {} },
    { url: `${o}/model`, fields: { model: '{}' } },
    { url: '/console/merge-requests/00000000-0000-4000-8000-000000000000/approve', fields: {} },
    { url: '/console/webhooks/00000000-0000-4000-8000-000000000000/replay', fields: {} },
    { url: '/console/sign-out', fields: {} },
    { url: '/console/sign-out-everywhere', fields: {} },
  ];
}

/** What the actions above would change: the companies, the company's keys and sandbox settings, the order. */
async function state(ctx: TestApp, f: { company: { id: string }; orderId: string }) {
  const [companies, keys, order, sandbox] = await Promise.all([
    ctx.app.services.company.list({ limit: 100, offset: 0 }),
    ctx.app.services.apiKeys.list(f.company.id),
    ctx.inject({ method: 'GET', url: `/admin/v1/orders/${f.orderId}`, headers: ctx.adminHeaders }),
    ctx.inject({ method: 'GET', url: `/admin/v1/companies/${f.company.id}/sandbox`, headers: ctx.adminHeaders }),
  ]);
  return {
    companies: companies.items.map((c) => c.id),
    keys: keys.map((k) => [k.id, k.revoked_at]),
    order: order.json(),
    sandbox: sandbox.json(),
  };
}

describe('console without a session', () => {
  test('every page redirects to sign-in, keeping where it was going; the figures answer 401', async (t) => {
    const ctx = await buildTestApp(t);
    const f = await fixtures(ctx);
    for (const url of pages(f)) {
      const res = await get(ctx, null, url);
      assert.equal(res.statusCode, 303, url);
      assert.equal(res.headers.location, `/console/sign-in?next=${encodeURIComponent(url)}`, url);
    }
    const figures = await get(ctx, null, '/console/system/figures');
    assert.equal(figures.statusCode, 401);
    assert.deepEqual(figures.json(), { message: 'Sign in to the console first.' });
    const emailHtml = await get(ctx, null, '/console/emails/00000000-0000-4000-8000-000000000000/html');
    assert.equal(emailHtml.statusCode, 401);
  });

  test('every action answers 401 and changes nothing, even with a valid CSRF pair', async (t) => {
    const ctx = await buildTestApp(t);
    const f = await fixtures(ctx);
    const before = await state(ctx, f);
    const csrf = 'A'.repeat(43);
    for (const a of actions(f)) {
      const res = await ctx.inject({
        method: 'POST',
        url: a.url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `casa_csrf=${csrf}` },
        payload: new URLSearchParams({ ...a.fields, csrf_token: csrf }).toString(),
      });
      assert.equal(res.statusCode, 401, a.url);
      assert.match(res.body, /Sign in first/);
    }
    assert.deepEqual(await state(ctx, f), before);
  });

  test('a made-up or malformed session cookie is no session', async (t) => {
    const ctx = await buildTestApp(t);
    for (const cookie of ['casa_console=' + 'x'.repeat(43), 'casa_console=abc', `casa_console=${'A'.repeat(43)}; casa_console=`]) {
      const res = await ctx.inject({ method: 'GET', url: '/console/orders', headers: { cookie } });
      assert.equal(res.statusCode, 303);
    }
  });
});

describe('POST /console/sign-in', () => {
  test('the admin key opens a session in an HttpOnly, SameSite=Strict cookie scoped to /console', async (t) => {
    const ctx = await buildTestApp(t);
    const page = await get(ctx, null, '/console/sign-in');
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page.body)![1]!;
    const res = await ctx.inject({
      method: 'POST',
      url: '/console/sign-in',
      headers: { cookie: `casa_csrf=${csrf}` },
      payload: { csrf_token: csrf, secret: ctx.adminKey, next: '/console/webhooks?status=failed' },
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/console/webhooks?status=failed');
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /^casa_console=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/console; HttpOnly; SameSite=Strict$/);
    const token = /casa_console=([^;]+)/.exec(cookie)![1]!;
    // Only the hash is stored.
    const rows = await ctx.storage.db.selectFrom('console_sessions').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0]!.token_hash, token);
    assert.equal(rows[0]!.signed_in_with, 'admin_key');
    const orders = await ctx.inject({ method: 'GET', url: '/console/orders', headers: { cookie: `casa_console=${token}` } });
    assert.equal(orders.statusCode, 200);
    assert.match(orders.body, /<h1>Orders<\/h1>/);
  });

  test('a wrong secret answers 401 with the form again and sets no session', async (t) => {
    const ctx = await buildTestApp(t);
    const page = await get(ctx, null, '/console/sign-in');
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page.body)![1]!;
    for (const secret of ['', 'casa_admin_wrong', `${ctx.adminKey}x`]) {
      const res = await ctx.inject({
        method: 'POST',
        url: '/console/sign-in',
        headers: { cookie: `casa_csrf=${csrf}` },
        payload: { csrf_token: csrf, secret },
      });
      assert.equal(res.statusCode, 401);
      assert.match(res.body, /That is not the admin key or the operator password\./);
      assert.doesNotMatch(String(res.headers['set-cookie'] ?? ''), /casa_console=/);
    }
    assert.equal((await ctx.storage.db.selectFrom('console_sessions').selectAll().execute()).length, 0);
  });

  test('after ten failures from one address, even the right key waits', async (t) => {
    const ctx = await buildTestApp(t);
    const page = await get(ctx, null, '/console/sign-in');
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page.body)![1]!;
    const attempt = (secret: string) =>
      ctx.inject({
        method: 'POST',
        url: '/console/sign-in',
        headers: { cookie: `casa_csrf=${csrf}` },
        payload: { csrf_token: csrf, secret },
      });
    for (let i = 0; i < 10; i++) assert.equal((await attempt(`wrong-${i}`)).statusCode, 401);
    const blocked = await attempt(ctx.adminKey);
    assert.equal(blocked.statusCode, 429);
    assert.match(blocked.body, /Too many failed attempts/);
  });

  test('the operator password from CASA_CONSOLE_PASSWORD signs in too; without it configured it does not', async (t) => {
    const withPassword = await buildTestApp(t, { consolePassword: 'correct horse battery staple' });
    const s = await signIn(withPassword, 'correct horse battery staple');
    assert.equal((await get(withPassword, s, '/console/companies')).statusCode, 200);
    const rows = await withPassword.storage.db.selectFrom('console_sessions').select('signed_in_with').execute();
    assert.deepEqual(rows, [{ signed_in_with: 'password' }]);
    assert.match((await get(withPassword, null, '/console/sign-in')).body, /Admin key or operator password/);

    const without = await buildTestApp(t);
    const page = await get(without, null, '/console/sign-in');
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page.body)![1]!;
    const res = await without.inject({
      method: 'POST',
      url: '/console/sign-in',
      headers: { cookie: `casa_csrf=${csrf}` },
      payload: { csrf_token: csrf, secret: 'correct horse battery staple' },
    });
    assert.equal(res.statusCode, 401);
  });

  test('"next" never leads off the console', async (t) => {
    const ctx = await buildTestApp(t);
    const page = await get(ctx, null, '/console/sign-in');
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page.body)![1]!;
    for (const next of [
      '//evil.example/console',
      'https://evil.example/',
      '/console//evil.example',
      '/console\\evil',
      '/api/integrate/v3/users',
      '/console/sign-out',
      '/console/orders\r\nSet-Cookie: casa_console=forged',
      '/console/orders\nx',
      '/console/orders\u0000',
      '/console/orders\t',
      '/console/orders/\u00e9',
    ]) {
      const res = await ctx.inject({
        method: 'POST',
        url: '/console/sign-in',
        headers: { cookie: `casa_csrf=${csrf}` },
        payload: { csrf_token: csrf, secret: ctx.adminKey, next },
      });
      assert.equal(res.statusCode, 303, next);
      assert.equal(res.headers.location, '/console/orders', next);
      const form = await ctx.inject({ method: 'GET', url: `/console/sign-in?next=${encodeURIComponent(next)}` });
      assert.equal(form.statusCode, 200, next);
      assert.match(form.body, /name="next" value="\/console\/orders"/, next);
    }
  });

  test('a sign-in without the CSRF token is refused (no login CSRF)', async (t) => {
    const ctx = await buildTestApp(t);
    const res = await ctx.inject({ method: 'POST', url: '/console/sign-in', payload: { secret: ctx.adminKey } });
    assert.equal(res.statusCode, 403);
    assert.doesNotMatch(String(res.headers['set-cookie'] ?? ''), /casa_console=/);
  });
});

describe('console sessions end', () => {
  test('sign-out ends the session on the server: the old cookie no longer works', async (t) => {
    const ctx = await buildTestApp(t);
    const s = await signIn(ctx);
    const out = await post(ctx, s, '/console/sign-out');
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/console/sign-in?done=signed_out');
    assert.match(String(out.headers['set-cookie']), /casa_console=; Max-Age=0; Path=\/console; HttpOnly; SameSite=Strict/);
    assert.equal((await get(ctx, s, '/console/orders')).statusCode, 303);
    assert.equal((await ctx.storage.db.selectFrom('console_sessions').selectAll().execute()).length, 0);
  });

  test('a session ends 12 hours after sign-in even when used, and after 2 idle hours', async (t) => {
    const ctx = await buildTestApp(t);
    const busy = await signIn(ctx);
    for (let h = 0; h < 11; h++) {
      ctx.clock.advanceSeconds(3600);
      assert.equal((await get(ctx, busy, '/console/orders')).statusCode, 200, `hour ${h + 1}`);
    }
    ctx.clock.advanceSeconds(3601);
    assert.equal((await get(ctx, busy, '/console/orders')).statusCode, 303);

    const idle = await signIn(ctx);
    ctx.clock.advanceSeconds(2 * 3600 + 1);
    assert.equal((await get(ctx, idle, '/console/orders')).statusCode, 303);
  });
});

describe('CSRF on every console form', () => {
  test('a missing or forged token is refused with 403 and changes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const f = await fixtures(ctx);
    const s = await signIn(ctx);
    const before = await state(ctx, f);
    for (const token of [null, 'forged', 'B'.repeat(43)]) {
      for (const a of actions(f)) {
        const res = await post(ctx, s, a.url, a.fields, token);
        assert.equal(res.statusCode, 403, `${a.url} with ${token}`);
        assert.match(res.body, /This form has expired/);
      }
    }
    assert.deepEqual(await state(ctx, f), before);
    assert.equal(await orderStatus(ctx, f.orderId), 'Draft');
    // The session survived the refused sign-out.
    assert.equal((await get(ctx, s, '/console/orders')).statusCode, 200);
  });

  test('the same forms with the token work', async (t) => {
    const ctx = await buildTestApp(t);
    const f = await fixtures(ctx);
    const s = await signIn(ctx);
    const scan = await post(ctx, s, `/console/orders/${f.orderId}/scan`);
    assert.equal(scan.statusCode, 303);
    assert.equal(scan.headers.location, `/console/orders/${f.orderId}?done=scan`);
    assert.equal(await orderStatus(ctx, f.orderId), 'Pending');
    const created = await post(ctx, s, '/console/companies', { name: 'Real Co', manager_email: 'real@example.com' });
    assert.equal(created.statusCode, 200);
    assert.match(created.body, /Company Real Co was created/);
    const revoke = await post(ctx, s, `/console/api-keys/${f.company.apiKeyId}/revoke`, { company_id: f.company.id });
    assert.equal(revoke.statusCode, 303);
    assert.equal(
      (await ctx.inject({ method: 'GET', url: '/api/integrate/v3/companies/info', headers: f.company.headers })).statusCode,
      401,
    );
  });
});
