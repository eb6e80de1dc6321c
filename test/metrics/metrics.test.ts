// GET /metrics: Prometheus exposition behind the admin key, request figures by route pattern and
// status, and the database gauges (work queues, webhook deliveries, production backlog) as they stand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildOrdersApp, call, createDraft, ok, scan } from '../orders/order-helpers.js';
import { ALL_TRIGGERS, subscribe, testDispatcher } from '../helpers/webhooks.js';
import { runProduction } from '../helpers/production.js';
import type { TestApp } from '../helpers/app.js';

/** Every sample of the exposition: `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

async function scrape(ctx: TestApp) {
  const res = await ctx.inject({ method: 'GET', url: '/metrics', headers: ctx.adminHeaders });
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return { text: res.body, values: samples(res.body) };
}

describe('GET /metrics', () => {
  it('answers only with the admin key (header or bearer), never with an api key', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    for (const headers of [
      {},
      { 'admin-key': 'wrong' },
      company.headers,
      { authorization: `Bearer ${company.apiKey}` },
      { authorization: 'Basic abc' },
    ]) {
      const res = await ctx.inject({ method: 'GET', url: '/metrics', headers });
      assert.equal(res.statusCode, 401, JSON.stringify(headers));
      assert.deepEqual(res.json(), { message: 'Invalid or missing admin-key header.' });
    }
    const bearer = await ctx.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${ctx.adminKey}` } });
    assert.equal(bearer.statusCode, 200);
    assert.match(bearer.body, /# TYPE casa_http_requests_total counter/);
  });

  it('counts requests by route pattern and status, with latency histograms, and reads queue, webhook and production figures from the database', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    await subscribe(ctx, company, ['https://hooks.example.com/casa'], ALL_TRIGGERS);
    const draft = await createDraft(ctx, company);
    await scan(ctx, draft.id); // Draft → Pending: an order in production and two webhook deliveries
    await ok(call(ctx, company, 'GET', `/orders/${draft.id}`));
    await ok(call(ctx, company, 'GET', `/orders/${draft.id}`));
    const missing = await call(ctx, company, 'GET', '/orders/00000000-0000-4000-8000-000000000000');
    assert.equal(missing.statusCode, 404);

    const { text, values } = await scrape(ctx);
    const route = '/api/integrate/v3/orders/:order_id';
    const routeLabel = Object.keys(Object.fromEntries(values)).find((k) =>
      k.startsWith('casa_http_requests_total{method="GET",route="/api/integrate/v3/orders/'),
    );
    assert.ok(routeLabel, text);
    const pattern = /route="([^"]+)"/.exec(routeLabel!)![1]!;
    assert.match(pattern, /^\/api\/integrate\/v3\/orders\/:[a-z_]+$/, `the route pattern, never the order id (${route})`);
    assert.ok(!text.includes(draft.id), 'no order id in any label');
    assert.equal(values.get(`casa_http_requests_total{method="GET",route="${pattern}",status="200"}`), 2);
    assert.equal(values.get(`casa_http_requests_total{method="GET",route="${pattern}",status="404"}`), 1);
    assert.equal(values.get(`casa_http_requests_total{method="POST",route="/api/integrate/v3/orders/draft",status="200"}`), 1);
    assert.equal(values.get(`casa_http_request_duration_seconds_count{method="GET",route="${pattern}",status="200"}`), 2);
    assert.equal(values.get(`casa_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="${pattern}",status="200"}`), 2);
    assert.equal(
      values.get(`casa_http_request_duration_seconds_bucket{le="10",method="GET",route="${pattern}",status="200"}`),
      2,
      'buckets are cumulative',
    );
    const buckets = [...values]
      .filter(([k]) => k.startsWith('casa_http_request_duration_seconds_bucket{') && k.endsWith(`route="${pattern}",status="200"}`))
      .map(([, v]) => v);
    assert.equal(buckets.length, 14, 'thirteen bounds and +Inf');
    assert.deepEqual(
      buckets,
      [...buckets].sort((x, y) => x - y),
      'never decreasing',
    );
    const sum = values.get(`casa_http_request_duration_seconds_sum{method="GET",route="${pattern}",status="200"}`)!;
    assert.ok(sum > 0 && sum < 20, `latency sum in seconds: ${sum}`);
    assert.match(text, /# TYPE casa_http_request_duration_seconds histogram/);

    // The work queues: the deliveries are due at once, the order when the production delay has passed.
    assert.equal(values.get('casa_jobs_depth{kind="webhook"}'), 2);
    assert.equal(values.get('casa_jobs_depth{kind="production"}'), 0, 'not due yet');
    assert.equal(values.get('casa_jobs_oldest_age_seconds{kind="production"}'), 0);
    const deliveries = await ctx.storage.db.selectFrom('webhook_deliveries').select('status').execute();
    assert.equal(deliveries.length, 2, 'moved_to_draft and moved_to_pending');
    assert.equal(values.get('casa_webhook_deliveries{status="pending"}'), 2);
    assert.equal(values.get('casa_webhook_attempts{result="2xx"}'), 0);
    assert.equal(values.get('casa_production_backlog{status="Pending"}'), 1);
    assert.equal(values.get('casa_production_backlog{status="Fixing"}'), 0);
    assert.equal(values.get('casa_production_overdue_seconds'), 0, 'not due yet');

    ctx.clock.advanceSeconds(ctx.config.productionDelayS + 30);
    const later = (await scrape(ctx)).values;
    const overdue = later.get('casa_production_overdue_seconds')!;
    assert.ok(overdue >= 30 && overdue < 30.01, `overdue by thirty seconds: ${overdue}`);
    assert.ok(later.has('process_resident_memory_bytes'), 'process figures are exposed too');
    assert.equal(later.get(`casa_http_requests_total{method="GET",route="/metrics",status="200"}`), 1, 'the first scrape is counted');
    assert.equal(later.get('casa_jobs_depth{kind="production"}'), 1, 'the order is due');
    assert.equal(later.get('casa_jobs_depth{kind="webhook"}'), 2);
    const productionAge = later.get('casa_jobs_oldest_age_seconds{kind="production"}')!;
    assert.ok(
      productionAge >= 30 && productionAge < 30.01,
      `the order has been due for thirty seconds (the test clock ticks a microsecond a read): ${productionAge}`,
    );
    const webhookAge = later.get('casa_jobs_oldest_age_seconds{kind="webhook"}')!;
    const waited = ctx.config.productionDelayS + 30;
    assert.ok(
      webhookAge >= waited && webhookAge < waited + 0.01,
      `the first delivery has been due since the draft was made: ${webhookAge}`,
    );

    // Once the work is done, both queues are empty.
    assert.equal(await runProduction(ctx), 1);
    const sender = {
      send: async () => ({ statusCode: 200, error: null, latencyMs: 1, excerpt: 'ok', retryAfterS: null }),
      close: async () => {},
    };
    assert.equal(await testDispatcher(ctx, t, { sender }).drain(), 3, 'moved_to_draft, moved_to_pending and moved_to_ready');
    const done = (await scrape(ctx)).values;
    assert.equal(done.get('casa_jobs_depth{kind="production"}'), 0);
    assert.equal(done.get('casa_jobs_depth{kind="webhook"}'), 0);
    assert.equal(done.get('casa_jobs_oldest_age_seconds{kind="production"}'), 0);
    assert.equal(done.get('casa_jobs_oldest_age_seconds{kind="webhook"}'), 0);
    assert.equal(done.get('casa_webhook_deliveries{status="delivered"}'), 3);
    assert.equal(done.get('casa_webhook_attempts{result="2xx"}'), 3);
    assert.equal(done.get('casa_production_backlog{status="Pending"}'), 0);
  });
});
