// Web pages: security headers and CSP only in the pages' scope (the JSON API is unchanged), static
// assets from this origin only, and every value from the database escaped in the HTML.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTestApp } from '../helpers/app.js';
import { call, draftBody, ok } from '../orders/order-helpers.js';
import { html, trusted } from '../../src/web/html.js';
import { pathOf } from '../helpers/browser.js';

describe('web pages: headers', () => {
  test('pages carry helmet headers and a strict CSP; the JSON API does not', async (t) => {
    const ctx = await buildTestApp(t);
    const page = await ctx.inject({ method: 'GET', url: '/invite/not-a-real-token-aaaaaaaaaaaaaaaa' });
    assert.equal(page.statusCode, 404);
    assert.match(String(page.headers['content-type']), /^text\/html; charset=utf-8/);
    assert.equal(
      page.headers['content-security-policy'],
      "default-src 'none';script-src 'self';style-src 'self';img-src 'self' data: blob:;font-src 'self';connect-src 'self' blob: data:;worker-src 'self' blob:;form-action 'self';frame-ancestors 'none';base-uri 'none';object-src 'none'",
    );
    assert.equal(page.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['cross-origin-opener-policy'], 'same-origin');
    // HSTS means nothing over plain HTTP and would pin a development host name to HTTPS.
    assert.equal(page.headers['strict-transport-security'], undefined);

    const company = await ctx.createCompany();
    const api = await ctx.inject({ method: 'GET', url: '/api/integrate/v3/offices', headers: company.headers });
    assert.equal(api.statusCode, 200);
    assert.equal(api.headers['x-content-type-options'], 'nosniff');
    for (const res of [
      await ctx.inject({ method: 'GET', url: '/api/integrate/v3/offices' }),
      await ctx.inject({ method: 'GET', url: '/api/integrate/v3/nothing-here', headers: company.headers }),
      await ctx.inject({ method: 'GET', url: '/admin/v1/companies', headers: ctx.adminHeaders }),
      await ctx.inject({ method: 'GET', url: '/healthz' }),
    ]) {
      assert.match(String(res.headers['content-type']), /^application\/json/, res.body);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', res.body);
    }
    for (const header of [
      'content-security-policy',
      'x-frame-options',
      'referrer-policy',
      'cross-origin-opener-policy',
      'strict-transport-security',
    ]) {
      assert.equal(api.headers[header], undefined, header);
    }
  });

  test('HSTS is sent on every answer over HTTPS as a trusted proxy reports it, never over plain HTTP', async (t) => {
    // light-my-request's socket is 127.0.0.1: the proxy CASA_TRUST_PROXY names here.
    const behindProxy = await buildTestApp(t, { trustProxy: ['127.0.0.1'] });
    const direct = await buildTestApp(t);
    const https = { 'x-forwarded-proto': 'https' };
    for (const ctx of [behindProxy, direct]) {
      const company = await ctx.createCompany();
      for (const [url, headers] of [
        ['/invite/not-a-real-token-aaaaaaaaaaaaaaaa', {}],
        ['/console/sign-in', {}],
        ['/api/integrate/v3/offices', company.headers],
      ] as const) {
        const plain = await ctx.inject({ method: 'GET', url, headers });
        assert.equal(plain.headers['strict-transport-security'], undefined, url);
        const forwarded = await ctx.inject({ method: 'GET', url, headers: { ...headers, ...https } });
        assert.equal(
          forwarded.headers['strict-transport-security'],
          ctx === behindProxy ? 'max-age=31536000; includeSubDomains' : undefined,
          `${url}: a client's own X-Forwarded-Proto is believed only from a trusted proxy`,
        );
      }
    }
  });

  test("the pages' own assets and model-viewer are served; nothing else from node_modules", async (t) => {
    const ctx = await buildTestApp(t);
    for (const [url, type] of [
      ['/assets/site.css', 'text/css'],
      ['/assets/go2scan.js', 'application/javascript'],
      ['/assets/tour.js', 'application/javascript'],
      ['/vendor/model-viewer/model-viewer.min.js', 'application/javascript'],
    ] as const) {
      const res = await ctx.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), new RegExp(`^${type}`), url);
    }
    for (const url of ['/vendor/model-viewer/model-viewer.js', '/vendor/model-viewer/../package.json', '/assets/../html.ts']) {
      assert.equal((await ctx.inject({ method: 'GET', url })).statusCode, 404, url);
    }
  });
});

describe('web pages: escaping', () => {
  test('html`` escapes values, keeps trusted markup, joins lists and drops null/false', () => {
    const name = `<script>alert("x")</script> & 'quotes'`;
    assert.equal(
      html`<p title="${name}">${name}</p>${[html`<b>${1}</b>`, null, false, undefined]}${trusted('<svg/>')}`.value,
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</p><b>1</b><svg/>',
    );
  });

  test('an address and company name holding markup are shown as text on the GoToScan page', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany('<img src=x onerror=alert(1)> Realty');
    const order = await ok(
      call(ctx, company, 'POST', '/orders/go2scan', {
        ...draftBody(company),
        street: '"><script>alert(1)</script>',
        send_invitation: false,
      }),
    );
    const page = await ctx.inject({ method: 'GET', url: pathOf(order.info.go2scan.link) });
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('<script>alert(1)'));
    assert.ok(!page.body.includes('<img src=x'));
    assert.ok(page.body.includes('&lt;img src=x onerror=alert(1)&gt; Realty'));
    assert.ok(page.body.includes('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'));
    // Scripts are external only.
    assert.deepEqual(
      [...page.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]),
      ['<script src="/assets/go2scan.js" defer>'],
    );
  });
});
