import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp, type TestCompany } from '../helpers/app.js';
import { assertRequiresApiKey } from '../helpers/security.js';

const BASE = '/api/integrate/v3';

async function info(ctx: TestApp, company: TestCompany) {
  const res = await ctx.inject({ method: 'GET', url: `${BASE}/companies/info`, headers: company.headers });
  assert.equal(res.statusCode, 200);
  return res.json();
}

function patchWebhook(ctx: TestApp, company: TestCompany, payload: unknown) {
  return ctx.inject({ method: 'PATCH', url: `${BASE}/companies/webhook`, headers: company.headers, payload: payload as object });
}

describe('GET /companies/info', () => {
  it('answers the company with the contract fields in order', async (t) => {
    const ctx = await buildTestApp(t);
    const created = await ctx.inject({
      method: 'POST',
      url: '/admin/v1/companies',
      headers: ctx.adminHeaders,
      payload: { name: 'Acme Realty', manager_email: 'Boss@Acme.test', country: 'Finland', customer_type: 'Appraiser' },
    });
    assert.equal(created.statusCode, 201);
    const { company, api_key: apiKey } = created.json();
    const res = await ctx.inject({ method: 'GET', url: `${BASE}/companies/info`, headers: { 'api-key': apiKey } });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body), [
      'id',
      'name',
      'country',
      'customer_type',
      'created_at',
      'main_office_id',
      'webhook_urls',
      'webhook_triggers',
      'settings',
    ]);
    assert.deepEqual(body, {
      id: company.id,
      name: 'Acme Realty',
      country: 'Finland',
      customer_type: 'Appraiser',
      created_at: body.created_at,
      main_office_id: company.main_office_id,
      webhook_urls: [],
      webhook_triggers: [],
      settings: { allow_submission_without_draft: true, allow_post_scan_upgrades: true },
    });
    assert.equal(typeof body.created_at, 'number');
    assert.ok(Math.abs(body.created_at - Date.UTC(2026, 0, 15, 12) / 1000) < 1, 'created_at is the clock’s time in epoch seconds');
    assert.ok(!Number.isInteger(body.created_at), 'created_at carries a microsecond fraction');
    const offices = (await ctx.inject({ method: 'GET', url: `${BASE}/offices`, headers: { 'api-key': apiKey } })).json();
    assert.deepEqual(
      offices.items.map((o: { id: string }) => o.id),
      [body.main_office_id],
    );
  });

  it('defaults country to null and customer_type to Other', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany('Plain');
    const body = await info(ctx, company);
    assert.equal(body.country, null);
    assert.equal(body.customer_type, 'Other');
  });

  it('shows each key its own company only', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany('A');
    const b = await ctx.createCompany('B');
    assert.equal((await info(ctx, a)).id, a.id);
    assert.equal((await info(ctx, b)).name, 'B');
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildTestApp(t);
    await assertRequiresApiKey(ctx, { method: 'GET', url: `${BASE}/companies/info` });
  });
});

describe('PATCH /companies/webhook', () => {
  it('replaces both lists and answers the stored pair, as the docs example', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const first = await patchWebhook(ctx, company, {
      webhook_urls: ['https://domain.com/webhook', 'https://domain.com/webhook-2'],
      webhook_triggers: ['moved_to_ready', 'moved_to_fixing'],
    });
    assert.equal(first.statusCode, 200);
    assert.deepEqual(Object.keys(first.json()), ['webhook_urls', 'webhook_triggers']);
    assert.deepEqual(first.json(), {
      webhook_urls: ['https://domain.com/webhook', 'https://domain.com/webhook-2'],
      webhook_triggers: ['moved_to_ready', 'moved_to_fixing'],
    });

    const second = await patchWebhook(ctx, company, {
      webhook_urls: ['http://hooks.example.com/in'],
      webhook_triggers: ['moved_to_draft', 'moved_to_failed'],
      secret: 'ignored',
    });
    assert.equal(second.statusCode, 200);
    assert.deepEqual(second.json(), {
      webhook_urls: ['http://hooks.example.com/in'],
      webhook_triggers: ['moved_to_draft', 'moved_to_failed'],
    });
    const body = await info(ctx, company);
    assert.deepEqual([body.webhook_urls, body.webhook_triggers], [['http://hooks.example.com/in'], ['moved_to_draft', 'moved_to_failed']]);
  });

  it('accepts all five triggers, including moved_to_failed', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const all = ['moved_to_draft', 'moved_to_pending', 'moved_to_ready', 'moved_to_fixing', 'moved_to_failed'];
    const res = await patchWebhook(ctx, company, { webhook_urls: ['https://a.example/hook'], webhook_triggers: all });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().webhook_triggers, all);
  });

  it('drops duplicate URLs and triggers, keeping the first order', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const res = await patchWebhook(ctx, company, {
      webhook_urls: ['https://a.example/1', 'https://b.example/2', 'https://a.example/1'],
      webhook_triggers: ['moved_to_ready', 'moved_to_pending', 'moved_to_ready'],
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      webhook_urls: ['https://a.example/1', 'https://b.example/2'],
      webhook_triggers: ['moved_to_ready', 'moved_to_pending'],
    });
    assert.deepEqual((await info(ctx, company)).webhook_urls, ['https://a.example/1', 'https://b.example/2']);
  });

  it('accepts empty lists, which turn webhooks off', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    await patchWebhook(ctx, company, { webhook_urls: ['https://a.example/1'], webhook_triggers: ['moved_to_ready'] });
    const res = await patchWebhook(ctx, company, { webhook_urls: [], webhook_triggers: [] });
    assert.deepEqual(res.json(), { webhook_urls: [], webhook_triggers: [] });
    assert.deepEqual((await info(ctx, company)).webhook_urls, []);
  });

  it('keeps a list the body leaves out, as the live API set nothing up from {"url", "secret"}', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const stored = { webhook_urls: ['https://keep.example/hook'], webhook_triggers: ['moved_to_ready'] };
    await patchWebhook(ctx, company, stored);
    const legacy = await patchWebhook(ctx, company, { url: 'https://x.example', secret: 's' });
    assert.equal(legacy.statusCode, 200);
    assert.deepEqual(legacy.json(), stored);
    const onlyTriggers = await patchWebhook(ctx, company, { webhook_triggers: ['moved_to_fixing'] });
    assert.deepEqual(onlyTriggers.json(), { webhook_urls: ['https://keep.example/hook'], webhook_triggers: ['moved_to_fixing'] });
    const onlyUrls = await patchWebhook(ctx, company, { webhook_urls: ['https://new.example/hook'] });
    assert.deepEqual(onlyUrls.json(), { webhook_urls: ['https://new.example/hook'], webhook_triggers: ['moved_to_fixing'] });
    const read = await info(ctx, company);
    assert.deepEqual([read.webhook_urls, read.webhook_triggers], [['https://new.example/hook'], ['moved_to_fixing']]);
  });

  it('refuses bad input in the validation shape and changes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const stored = { webhook_urls: ['https://keep.example/hook'], webhook_triggers: ['moved_to_ready'] };
    await patchWebhook(ctx, company, stored);
    const cases: [unknown, unknown][] = [
      [
        { webhook_urls: 'https://x.example', webhook_triggers: ['moved_to_ready'] },
        [{ loc: ['webhook_urls'], msg: 'value is not a valid list', type: 'type_error.list' }],
      ],
      [
        { webhook_urls: ['https://x.example'], webhook_triggers: ['moved_to_ready', 'order_created'] },
        [
          {
            loc: ['webhook_triggers', 1],
            msg: "value is not a valid enumeration member; permitted: 'moved_to_draft', 'moved_to_pending', 'moved_to_ready', 'moved_to_fixing', 'moved_to_failed'",
            type: 'type_error.enum',
          },
        ],
      ],
      [
        { webhook_urls: ['ftp://x.example/in', '/relative', 'https://ok.example', 'not a url'], webhook_triggers: [] },
        [
          { loc: ['webhook_urls', 0], msg: 'invalid or missing URL scheme', type: 'value_error.url.scheme' },
          { loc: ['webhook_urls', 1], msg: 'invalid or missing URL scheme', type: 'value_error.url.scheme' },
          { loc: ['webhook_urls', 3], msg: 'invalid or missing URL scheme', type: 'value_error.url.scheme' },
        ],
      ],
      [
        { webhook_urls: Array.from({ length: 11 }, (_, i) => `https://h${i}.example/`), webhook_triggers: ['moved_to_ready'] },
        [{ loc: ['webhook_urls'], msg: 'ensure this value has at most 10 items', type: 'value_error.list.max_items' }],
      ],
      [{ webhook_urls: [42], webhook_triggers: [] }, [{ loc: ['webhook_urls', 0], msg: 'str type expected', type: 'type_error.str' }]],
    ];
    for (const [payload, entries] of cases) {
      const res = await patchWebhook(ctx, company, payload);
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.deepEqual(res.json(), { validation_error: { body_params: entries } }, JSON.stringify(payload));
    }
    const body = await info(ctx, company);
    assert.deepEqual({ webhook_urls: body.webhook_urls, webhook_triggers: body.webhook_triggers }, stored);
  });

  it('accepts exactly ten URLs', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const urls = Array.from({ length: 10 }, (_, i) => `https://h${i}.example/`);
    const res = await patchWebhook(ctx, company, { webhook_urls: urls, webhook_triggers: ['moved_to_ready'] });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().webhook_urls, urls);
  });

  it('takes only https URLs when the server requires https', async (t) => {
    const ctx = await buildTestApp(t, { webhookRequireHttps: true });
    const company = await ctx.createCompany();
    const refused = await patchWebhook(ctx, company, {
      webhook_urls: ['https://ok.example/1', 'http://plain.example/2'],
      webhook_triggers: ['moved_to_ready'],
    });
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(refused.json(), {
      validation_error: { body_params: [{ loc: ['webhook_urls', 1], msg: 'URL scheme not permitted', type: 'value_error.url.scheme' }] },
    });
    assert.deepEqual((await info(ctx, company)).webhook_urls, []);
    const ok = await patchWebhook(ctx, company, { webhook_urls: ['https://ok.example/1'], webhook_triggers: ['moved_to_ready'] });
    assert.equal(ok.statusCode, 200);
  });

  it('refuses a URL whose host is a literal non-public address unless CASA_WEBHOOK_ALLOW_PRIVATE', async (t) => {
    const ctx = await buildTestApp(t, { webhookAllowPrivate: false });
    const company = await ctx.createCompany();
    const stored = { webhook_urls: ['https://keep.example/hook'], webhook_triggers: ['moved_to_ready'] };
    await patchWebhook(ctx, company, stored);
    const urls = [
      'https://hooks.example.com/in',
      'http://127.0.0.1:8080/hook',
      'http://[::1]/',
      'http://[64:ff9b::7f00:1]:9000/',
      'http://[::7f00:1]/',
      'http://[::ffff:0:7f00:1]/',
      'http://[2002:7f00:1::]/',
      'http://169.254.169.254/latest/meta-data',
      'http://2130706433/',
      'http://[2606:4700:4700::1111]/',
    ];
    const refused = await patchWebhook(ctx, company, { webhook_urls: urls, webhook_triggers: ['moved_to_pending'] });
    assert.equal(refused.statusCode, 400);
    const entry = (i: number, reason: string) => ({
      loc: ['webhook_urls', i],
      msg: `URL host is not a public address (${reason})`,
      type: 'value_error.url.host',
    });
    assert.deepEqual(refused.json(), {
      validation_error: {
        body_params: [
          entry(1, 'loopback'),
          entry(2, 'loopback'),
          entry(3, 'loopback'),
          entry(4, 'loopback'),
          entry(5, 'loopback'),
          entry(6, 'loopback'),
          entry(7, 'cloud metadata'),
          entry(8, 'loopback'),
        ],
      },
    });
    const body = await info(ctx, company);
    assert.deepEqual({ webhook_urls: body.webhook_urls, webhook_triggers: body.webhook_triggers }, stored);

    // Host names stay checked when a delivery resolves them: their addresses may change.
    const named = await patchWebhook(ctx, company, { webhook_urls: ['http://localhost:8080/hook', urls[9]!, 'http://93.184.216.34/'] });
    assert.equal(named.statusCode, 200, named.body);

    const allowing = await buildTestApp(t, { webhookAllowPrivate: true });
    const local = await allowing.createCompany();
    const ok = await patchWebhook(allowing, local, { webhook_urls: urls, webhook_triggers: ['moved_to_pending'] });
    assert.equal(ok.statusCode, 200, ok.body);
  });

  it('changes only the calling company', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany();
    const b = await ctx.createCompany();
    await patchWebhook(ctx, a, { webhook_urls: ['https://a.example/'], webhook_triggers: ['moved_to_ready'] });
    assert.deepEqual((await info(ctx, b)).webhook_urls, []);
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildTestApp(t);
    await assertRequiresApiKey(ctx, {
      method: 'PATCH',
      url: `${BASE}/companies/webhook`,
      payload: { webhook_urls: [], webhook_triggers: [] },
    });
  });
});

describe('DELETE /companies/webhook', () => {
  it('clears both lists and answers them empty', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const other = await ctx.createCompany();
    for (const c of [company, other])
      await patchWebhook(ctx, c, { webhook_urls: ['https://a.example/'], webhook_triggers: ['moved_to_ready'] });
    const res = await ctx.inject({ method: 'DELETE', url: `${BASE}/companies/webhook`, headers: company.headers });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { webhook_urls: [], webhook_triggers: [] });
    const body = await info(ctx, company);
    assert.deepEqual([body.webhook_urls, body.webhook_triggers], [[], []]);
    assert.deepEqual((await info(ctx, other)).webhook_urls, ['https://a.example/'], 'another company keeps its webhooks');
    const again = await ctx.inject({ method: 'DELETE', url: `${BASE}/companies/webhook`, headers: company.headers });
    assert.equal(again.statusCode, 200, 'clearing twice is fine');
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildTestApp(t);
    await assertRequiresApiKey(ctx, { method: 'DELETE', url: `${BASE}/companies/webhook` });
  });
});

describe('GET /companies/package', () => {
  it('answers the default product and the catalog to choose from', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const res = await ctx.inject({ method: 'GET', url: `${BASE}/companies/package`, headers: company.headers });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['package_type', 'add_ons', 'available_package_types', 'available_add_ons']);
    assert.deepEqual(body, {
      package_type: 'plus',
      add_ons: [],
      available_package_types: ['base', 'plus', 'plus_3d'],
      available_add_ons: ['gla', '3d_cad_files', '3d_video', '6h_turnaround'],
    });
  });

  it('reflects the stored default of the calling company', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const other = await ctx.createCompany();
    await ctx.storage.db
      .updateTable('companies')
      .set({ default_package_type: 'plus_3d', default_add_ons: '["gla"]' })
      .where('id', '=', company.id)
      .execute();
    const mine = (await ctx.inject({ method: 'GET', url: `${BASE}/companies/package`, headers: company.headers })).json();
    assert.equal(mine.package_type, 'plus_3d');
    assert.deepEqual(mine.add_ons, ['gla']);
    const theirs = (await ctx.inject({ method: 'GET', url: `${BASE}/companies/package`, headers: other.headers })).json();
    assert.equal(theirs.package_type, 'plus');
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildTestApp(t);
    await assertRequiresApiKey(ctx, { method: 'GET', url: `${BASE}/companies/package` });
  });
});
