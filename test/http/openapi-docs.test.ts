import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileErrors, validate } from '@readme/openapi-parser';
import { buildTestApp } from '../helpers/app.js';
import { launchBrowser, openPage, serve } from '../helpers/browser.js';

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

type Operation = { tags?: string[]; summary?: string; security?: unknown[] };

describe('GET /api/integrate/v3/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document in which every operation has tags and a summary', async (t) => {
    const ctx = await buildTestApp(t);
    const res = await ctx.inject({ method: 'GET', url: '/api/integrate/v3/openapi.json' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');

    const result = await validate(structuredClone(doc));
    assert.ok(result.valid, result.valid ? '' : compileErrors(result));

    const operations: [string, string, Operation][] = [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
      for (const method of METHODS) if (item[method]) operations.push([method.toUpperCase(), path, item[method]!]);
    }
    assert.ok(operations.length >= 10, `${operations.length} operations`);
    for (const [method, path, op] of operations) {
      assert.ok(Array.isArray(op.tags) && op.tags.length > 0, `${method} ${path} has tags`);
      assert.ok(typeof op.summary === 'string' && op.summary.length > 0, `${method} ${path} has a summary`);
      const declared = new Set((doc.tags as { name: string }[]).map((tag) => tag.name));
      for (const tag of op.tags!) assert.ok(declared.has(tag), `${method} ${path}: tag ${tag} is declared`);
    }
    const listed = new Set(operations.map(([m, p]) => `${m} ${p}`));
    for (const op of [
      'GET /api/integrate/v3/companies/info',
      'PATCH /api/integrate/v3/companies/webhook',
      'DELETE /api/integrate/v3/companies/webhook',
      'GET /api/integrate/v3/companies/package',
      'POST /api/integrate/v3/companies/merge-request',
      'GET /api/integrate/v3/offices',
      'POST /admin/v1/companies',
      'POST /admin/v1/merge-requests/{merge_request_id}/approve',
    ]) {
      assert.ok(listed.has(op), `${op} is documented`);
    }
    assert.ok(!listed.has('POST /admin/v1/reset'), 'reset is absent when not enabled');
    assert.ok(!listed.has('GET /healthz') && !listed.has('GET /api/integrate/v3/openapi.json'), 'plumbing is hidden');

    const webhook = doc.paths['/api/integrate/v3/companies/webhook'].patch;
    const body = webhook.requestBody.content['application/json'].schema;
    // Neither list is required (a list left out keeps its stored value), as the real API's body is not marked Required.
    assert.equal(body.required, undefined);
    assert.deepEqual(Object.keys(body.properties), ['webhook_urls', 'webhook_triggers']);
    assert.deepEqual(body.properties.webhook_triggers.items.enum, [
      'moved_to_draft',
      'moved_to_pending',
      'moved_to_ready',
      'moved_to_fixing',
      'moved_to_failed',
    ]);
    assert.equal(body.properties.webhook_urls.maxItems, 10);
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['adminKey', 'apiKey']);
  });
});

describe('GET /docs', () => {
  it('serves the docs page, which loads nothing from another origin', async (t) => {
    const ctx = await buildTestApp(t);
    const redirect = await ctx.inject({ method: 'GET', url: '/docs' });
    assert.equal(redirect.statusCode, 301);
    const res = await ctx.inject({ method: 'GET', url: '/docs/' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    const html = res.body;
    assert.match(html, /\/api\/integrate\/v3\/openapi\.json/);
    const references = [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]!);
    assert.ok(references.length > 0);
    for (const ref of references) assert.ok(!/^(?:[a-z]+:)?\/\//i.test(ref), `same-origin reference: ${ref}`);
    assert.doesNotMatch(html, /https?:\/\//, 'no absolute URL in the page');
    for (const ref of references.filter((r) => r.endsWith('.js'))) {
      const script = await ctx.inject({ method: 'GET', url: new URL(ref, 'http://x/docs/').pathname });
      assert.equal(script.statusCode, 200, `${ref} is served locally`);
    }
  });

  it('renders in a browser with no request leaving the server', async (t) => {
    const ctx = await buildTestApp(t);
    const origin = await serve(ctx);
    const browser = await launchBrowser();
    t.after(() => browser.close());
    const watched = await openPage(browser, origin);
    await watched.page.goto('/docs/');
    await watched.page.getByText('casa-integrate: CubiCasa Integrate API v3').first().waitFor();
    await watched.page.getByText('Get company information').first().waitFor();
    await watched.page.waitForLoadState('load');
    await watched.page.waitForTimeout(1500); // lets late background fetches (the kind Scalar's agent made) show up
    assert.deepEqual(
      watched.problems.filter((p) => p.startsWith('off-origin')),
      [],
    );
    await watched.close();
  });
});
