// A company's sandbox settings and request log in the console, through `inject` with a session and
// CSRF: the form saves exactly what the operator API then answers, refuses bad fields next to the
// field and changes nothing, clears, delivers what waits; the request log searches, pages, opens
// one request and shows logged bodies escaped; unknown companies and entries are 404 pages.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTestApp, type TestApp, type TestCompany } from '../helpers/app.js';
import { runProduction } from '../helpers/production.js';
import { API, redrawBody } from '../orders/order-helpers.js';
import { get, post, signIn, type ConsoleSession } from './console-helpers.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

async function adminSandbox(ctx: TestApp, companyId: string) {
  const res = await ctx.inject({ method: 'GET', url: `/admin/v1/companies/${companyId}/sandbox`, headers: ctx.adminHeaders });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

/** The form's fields as the page shows them (name → value), read from the page's markup. */
function formFields(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const form = /<form class="card" method="post" action="[^"]+\/sandbox"[\s\S]*?<\/form>/.exec(body)![0];
  for (const m of form.matchAll(/<input [^>]*name="([^"]+)" value="([^"]*)"/g)) fields[m[1]!] = m[2]!;
  const faults = /<textarea [^>]*name="faults"[^>]*>([\s\S]*?)<\/textarea>/.exec(form)![1]!;
  fields.faults = faults
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  delete fields.csrf_token;
  return fields;
}

const FORM = {
  seed: '42',
  faults: JSON.stringify([
    { id: 'orders-503', match: { method: 'GET', path: '/orders' }, rate: 0.2, action: { status: 503 } },
    { id: 'slow', match: {}, rate: 1, action: { latency_ms: [50, 400] } },
  ]),
  'webhooks.duplicate_rate': '0.5',
  'webhooks.duplicate_after_s': '5',
  'webhooks.reorder_rate': '0',
  'webhooks.reorder_hold_s': '30',
  'webhooks.delay_rate': '0.25',
  'webhooks.delay_s': '10',
  'webhooks.fail_first_rate': '1',
  production_delay_s: '0',
  webhook_schedule_s: '0, 1, 2',
};

describe('console sandbox settings', () => {
  test('the company page links the sandbox and the request log; the form shows the stored document', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany('Sandbox Co');
    const s = await signIn(ctx);
    const page = await get(ctx, s, `/console/companies/${company.id}`);
    assert.match(page.body, new RegExp(`href="/console/companies/${company.id}/sandbox">Sandbox settings of Sandbox Co</a>`));
    assert.match(page.body, new RegExp(`href="/console/companies/${company.id}/requests">Request log of Sandbox Co</a>`));

    const empty = await get(ctx, s, `/console/companies/${company.id}/sandbox`);
    assert.equal(empty.statusCode, 200);
    assert.equal(empty.headers['cache-control'], 'no-store');
    assert.match(empty.body, /Nothing is set: Sandbox Co behaves like production\./);
    assert.deepEqual(formFields(empty.body), {
      seed: '',
      'webhooks.duplicate_rate': '0',
      'webhooks.duplicate_after_s': '5',
      'webhooks.reorder_rate': '0',
      'webhooks.reorder_hold_s': '30',
      'webhooks.delay_rate': '0',
      'webhooks.delay_s': '30',
      'webhooks.fail_first_rate': '0',
      production_delay_s: '',
      webhook_schedule_s: '',
      faults: '[]',
    });
  });

  test('saving changes exactly what GET …/sandbox then answers; the page shows it back', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany('Sandbox Co');
    const other = await ctx.createCompany('Other Co');
    const s = await signIn(ctx);
    const saved = await post(ctx, s, `/console/companies/${company.id}/sandbox`, FORM);
    assert.equal(saved.statusCode, 303, saved.body);
    assert.equal(saved.headers.location, `/console/companies/${company.id}/sandbox?done=sandbox_saved`);
    assert.deepEqual(await adminSandbox(ctx, company.id), {
      seed: 42,
      faults: JSON.parse(FORM.faults),
      webhooks: {
        duplicate_rate: 0.5,
        reorder_rate: 0,
        delay_rate: 0.25,
        delay_s: 10,
        fail_first_rate: 1,
        duplicate_after_s: 5,
        reorder_hold_s: 30,
      },
      production_delay_s: 0,
      webhook_schedule_s: [0, 1, 2],
    });
    assert.equal((await adminSandbox(ctx, other.id)).seed, null, "another company's settings are untouched");

    const shown = await get(ctx, s, saved.headers.location as string);
    assert.match(shown.body, /role="status">The sandbox settings were saved\./);
    assert.match(shown.body, /Sandbox controls are set for Sandbox Co\./);
    const fields = formFields(shown.body);
    assert.deepEqual(JSON.parse(fields.faults!), JSON.parse(FORM.faults));
    assert.deepEqual({ ...fields, faults: FORM.faults }, FORM);

    // Blank fields: seed, delay and schedule back to null (the server's), webhook fields to their defaults.
    const blanked = await post(ctx, s, `/console/companies/${company.id}/sandbox`, {
      ...FORM,
      seed: '',
      faults: '',
      'webhooks.delay_s': '',
      production_delay_s: ' ',
      webhook_schedule_s: '',
    });
    assert.equal(blanked.statusCode, 303);
    const after = await adminSandbox(ctx, company.id);
    assert.deepEqual(
      [after.seed, after.faults, after.webhooks.delay_s, after.webhooks.delay_rate, after.production_delay_s, after.webhook_schedule_s],
      [null, [], 30, 0.25, null, null],
    );
  });

  test('a refused form names each problem next to its field, answers 400 and changes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany('Sandbox Co');
    const s = await signIn(ctx);
    assert.equal((await post(ctx, s, `/console/companies/${company.id}/sandbox`, FORM)).statusCode, 303);
    const before = await adminSandbox(ctx, company.id);
    const url = `/console/companies/${company.id}/sandbox`;
    const cases: [Record<string, string>, [string, RegExp][]][] = [
      [{ faults: '[{"id": "a",' }, [['faults', /faults: not valid JSON/]]],
      [
        { faults: '[{"id": "a", "match": {}, "rate": 1.5, "action": {"status": 418}}]', seed: '-1' },
        [
          ['seed', /seed: ensure this value is greater than or equal to 0/],
          ['faults', /faults → 0 → rate: ensure this value is less than or equal to 1/],
          ['faults', /faults → 0 → action → status: value is not a valid enumeration member/],
        ],
      ],
      [
        { 'webhooks.duplicate_rate': 'lots', 'webhooks.delay_s': '-5', webhook_schedule_s: '0, soon' },
        [
          ['webhooks-duplicate_rate', /webhooks → duplicate_rate: value is not a valid float/],
          ['webhooks-delay_s', /webhooks → delay_s: ensure this value is greater than or equal to 0/],
          ['webhook_schedule_s', /webhook_schedule_s → 1: value is not a valid float/],
        ],
      ],
      [
        { seed: '4.5', production_delay_s: 'never' },
        [
          ['seed', /seed: value is not a valid integer/],
          ['production_delay_s', /production_delay_s: value is not a valid float/],
        ],
      ],
      // Rules only the service knows: unique ids, one action per rule.
      [
        {
          faults: JSON.stringify([
            { id: 'x', match: {}, rate: 1, action: { status: 500 } },
            { id: 'x', match: {}, rate: 1, action: { status: 502, hang_s: 1 } },
          ]),
        },
        [
          ['faults', /faults → 1 → id: fault rule id &quot;x&quot; is used twice/],
          ['faults', /faults → 1 → action: give exactly one of status, latency_ms or hang_s/],
        ],
      ],
    ];
    for (const [change, expected] of cases) {
      const res = await post(ctx, s, url, { ...FORM, ...change });
      assert.equal(res.statusCode, 400, JSON.stringify(change));
      assert.match(res.body, /<title>Error: Sandbox of Sandbox Co/);
      assert.match(res.body, /role="alert" id="sandbox-problems"><p>The settings were not saved; nothing changed\./);
      for (const [id, text] of expected) {
        const beside = new RegExp(`<p class="field-error" id="${id}-error">([^<]*)</p>`).exec(res.body);
        assert.ok(beside, `a problem beside ${id} for ${JSON.stringify(change)}`);
        assert.match(beside[1]!, text);
        assert.match(res.body, new RegExp(`id="${id}"[^>]*aria-describedby="${id}-hint ${id}-error" aria-invalid="true"`));
      }
      // What the operator typed is shown again, to be corrected.
      const shown = formFields(res.body);
      for (const [k, v] of Object.entries(change)) assert.equal(shown[k], v);
      assert.deepEqual(await adminSandbox(ctx, company.id), before, 'nothing changed');
    }
  });

  test('clear is DELETE …/sandbox: the defaults again', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany('Sandbox Co');
    const s = await signIn(ctx);
    const defaults = await adminSandbox(ctx, company.id);
    await post(ctx, s, `/console/companies/${company.id}/sandbox`, FORM);
    assert.notDeepEqual(await adminSandbox(ctx, company.id), defaults);
    const cleared = await post(ctx, s, `/console/companies/${company.id}/sandbox/clear`);
    assert.equal(cleared.statusCode, 303);
    assert.equal(cleared.headers.location, `/console/companies/${company.id}/sandbox?done=sandbox_cleared`);
    assert.deepEqual(await adminSandbox(ctx, company.id), defaults);
    const page = await get(ctx, s, cleared.headers.location as string);
    assert.match(page.body, /role="status">The sandbox settings were cleared/);
    assert.match(page.body, /Nothing is set: Sandbox Co behaves like production\./);
  });

  test("deliver everything due now makes the company's waiting order due, and says how many moved", async (t) => {
    const ctx = await buildTestApp(t, { productionDelayS: 600 });
    const company = await ctx.createCompany('Sandbox Co');
    const other = await ctx.createCompany('Other Co');
    const redraw = async (c: TestCompany) => {
      const res = await ctx.inject({ method: 'POST', url: `${API}/orders`, headers: c.headers, payload: redrawBody() });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().id as string;
    };
    const status = async (c: TestCompany, id: string) =>
      (await ctx.inject({ method: 'GET', url: `${API}/orders/${id}`, headers: c.headers })).json().info.status;
    const order = await redraw(company);
    const otherOrder = await redraw(other);
    const s = await signIn(ctx);
    const page = await get(ctx, s, `/console/companies/${company.id}/sandbox`);
    assert.match(page.body, new RegExp(`action="/console/companies/${company.id}/sandbox/deliver-now"`));
    const res = await post(ctx, s, `/console/companies/${company.id}/sandbox/deliver-now`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /role="status">Due now: 1 order waiting for production and 0 webhook deliveries;/);
    await runProduction(ctx);
    assert.equal(await status(company, order), 'Ready');
    assert.equal(await status(other, otherOrder), 'Pending');
  });
});

async function logged(ctx: TestApp, s: ConsoleSession, company: TestCompany, query = '') {
  await ctx.app.services.requestLog.flush();
  const res = await get(ctx, s, `/console/companies/${company.id}/requests${query}`);
  return res;
}

/** The table's rows as "METHOD path status injected" lines. */
function rows(body: string): string[] {
  const tbody = /<table class="requests">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(body)![1]!;
  return [...tbody.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)]
      .slice(1)
      .filter((_, i) => i !== 3)
      .map((c) => c[1]!.replace(/<[^>]+>/g, '').trim())
      .join(' '),
  );
}

describe('console request log', () => {
  test('one row per request with its time, method, path, status, duration and injected rule; one request opens with its bodies', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany('Logged Co');
    const s = await signIn(ctx);
    await ctx.inject({
      method: 'PUT',
      url: `/admin/v1/companies/${company.id}/sandbox`,
      headers: ctx.adminHeaders,
      payload: { faults: [{ id: 'users-503', match: { method: 'GET', path: '/users' }, rate: 1, action: { status: 503 } }] },
    });
    const created = await ctx.inject({
      method: 'POST',
      url: `${API}/offices`,
      headers: { ...company.headers, 'idempotency-key': 'office-1' },
      payload: { name: 'Uptown' },
    });
    assert.equal(created.statusCode, 200, created.body);
    assert.equal((await ctx.inject({ method: 'GET', url: `${API}/users?limit=5`, headers: company.headers })).statusCode, 503);

    const list = await logged(ctx, s, company);
    assert.equal(list.statusCode, 200);
    assert.deepEqual(rows(list.body), ['GET /users?limit=5 503 users-503', 'POST /offices 200 —']);
    assert.match(list.body, /<td>\d+\.\d ms<\/td>/);
    assert.match(list.body, /<time datetime="/);

    const all = [...list.body.matchAll(new RegExp(`href="(/console/companies/${company.id}/requests/[0-9a-f-]{36})"`, 'g'))].map(
      (m) => m[1]!,
    );
    assert.equal(all.length, 2);
    const detail = await get(ctx, s, all[1]!);
    assert.equal(detail.statusCode, 200);
    assert.match(detail.body, /<h1>POST <code>\/offices<\/code><\/h1>/);
    assert.ok(detail.body.includes(`<code>${created.headers['x-request-id']}</code>`));
    assert.match(detail.body, /<dt>Idempotency key<\/dt><dd><code>office-1<\/code>/);
    assert.match(detail.body, /<dt>Operation<\/dt><dd><code>createOffice<\/code>/);
    assert.match(detail.body, /aria-label="Request body">\{\n {2}&quot;name&quot;: &quot;Uptown&quot;\n\}<\/pre>/);
    assert.ok(detail.body.includes(`&quot;id&quot;: &quot;${created.json().id}&quot;`), 'the response body');

    const injected = await get(ctx, s, all[0]!);
    assert.match(injected.body, /id="request-injected"><code>users-503<\/code>/);
    assert.match(injected.body, /id="request-status"><span class="status-code">503<\/span>/);
  });

  test('a logged body holding markup is shown escaped, in the table and on the request', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany('Logged Co');
    const s = await signIn(ctx);
    const script = '<script>alert(1)</script>';
    const res = await ctx.inject({ method: 'POST', url: `${API}/offices`, headers: company.headers, payload: { name: script } });
    assert.equal(res.statusCode, 200, res.body);
    await ctx.inject({ method: 'GET', url: `${API}/orders/%3Cscript%3E?q=%3Cscript%3E`, headers: company.headers });
    const list = await logged(ctx, s, company);
    const all = [...list.body.matchAll(/href="(\/console\/companies\/[0-9a-f-]+\/requests\/[0-9a-f-]{36})"/g)].map((m) => m[1]!);
    const pages = [list, ...(await Promise.all(all.map((u) => get(ctx, s, u))))];
    for (const page of pages) assert.ok(!/<script>alert/i.test(page.body), 'no markup from a logged request');
    const office = pages.find((p) => p.body.includes('<h1>POST'))!;
    assert.ok(office.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });

  test('the search filters by status, method, path, since and request id, and pages 50 at a time', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany('Logged Co');
    const s = await signIn(ctx);
    const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      ctx.inject({ method, url: `${API}${url}`, headers: company.headers, ...(payload ? { payload } : {}) });
    await call('GET', '/users');
    ctx.clock.advanceSeconds(60);
    const since = new Date(ctx.clock.nowUs() / 1000).toISOString().slice(0, 19);
    ctx.clock.advanceSeconds(10);
    await call('GET', '/orders');
    const missing = await call('GET', '/orders/not-an-order');
    assert.equal((await call('POST', '/offices', {})).statusCode, 400);

    const search = async (query: string) => {
      const res = await logged(ctx, s, company, query);
      assert.equal(res.statusCode, 200, query);
      return rows(res.body).map((r) => r.replace(/ —$/, ''));
    };
    assert.deepEqual(await search('?status=400'), ['POST /offices 400']);
    assert.deepEqual(await search('?status=4xx'), ['POST /offices 400', 'GET /orders/not-an-order 404']);
    assert.deepEqual(await search('?method=POST'), ['POST /offices 400']);
    assert.deepEqual(await search('?path=%2Forders'), ['GET /orders/not-an-order 404', 'GET /orders 200']);
    assert.deepEqual(await search(`?since=${encodeURIComponent(since)}&method=GET`), ['GET /orders/not-an-order 404', 'GET /orders 200']);
    assert.deepEqual(await search(`?request_id=${missing.headers['x-request-id']}`), ['GET /orders/not-an-order 404']);
    // The form shows the search back.
    const shown = await logged(ctx, s, company, '?status=4xx&method=GET&path=%2Forders');
    assert.match(shown.body, /id="status" name="status" value="4xx"/);
    assert.match(shown.body, /<option value="GET" selected>GET<\/option>/);
    assert.match(shown.body, /id="path" name="path" value="\/orders"/);

    for (let i = 0; i < 50; i++) await call('GET', `/users?i=${i}`);
    const first = await logged(ctx, s, company);
    assert.equal(rows(first.body).length, 50);
    assert.match(first.body, /Showing 1–50 requests/);
    const next = /href="([^"]+)" rel="next"/.exec(first.body)![1]!.replace(/&amp;/g, '&');
    assert.equal(next, `/console/companies/${company.id}/requests?offset=50`);
    const second = await logged(ctx, s, company, next.slice(next.indexOf('?')));
    assert.deepEqual(rows(second.body).slice(-1), ['GET /users 200 —'], 'the oldest request last');
    assert.equal(rows(second.body).length, 4);
    const filteredNext = /href="([^"]+)" rel="next"/.exec((await logged(ctx, s, company, '?method=GET')).body)![1]!;
    assert.equal(filteredNext.replace(/&amp;/g, '&'), `/console/companies/${company.id}/requests?method=GET&offset=50`);
  });

  test('a search it cannot run says which field is wrong, beside the field, with 400', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany('Logged Co');
    const s = await signIn(ctx);
    const res = await logged(ctx, s, company, '?status=5x&since=yesterday&path=orders');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<p class="field-error" id="status-error">string does not match regex/);
    assert.match(res.body, /<p class="field-error" id="since-error">not a date and time<\/p>/);
    assert.match(res.body, /<p class="field-error" id="path-error">string does not match regex/);
    assert.match(res.body, /id="since" name="since" value="yesterday" aria-describedby="since-error" aria-invalid="true"/);
  });
});

describe('console sandbox and request log: unknown companies and entries', () => {
  test('answer the 404 page and change nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany('Logged Co');
    const other = await ctx.createCompany('Other Co');
    const s = await signIn(ctx);
    for (const id of [MISSING, 'not-a-uuid']) {
      for (const url of [
        `/console/companies/${id}/sandbox`,
        `/console/companies/${id}/requests`,
        `/console/companies/${id}/requests/${MISSING}`,
      ]) {
        const res = await get(ctx, s, url);
        assert.equal(res.statusCode, 404, url);
        assert.match(res.body, /<h1>Not found<\/h1>/);
      }
      for (const [url, fields] of [
        [`/console/companies/${id}/sandbox`, FORM],
        [`/console/companies/${id}/sandbox`, { ...FORM, seed: 'bad' }],
        [`/console/companies/${id}/sandbox/clear`, {}],
        [`/console/companies/${id}/sandbox/deliver-now`, {}],
      ] as const) {
        const res = await post(ctx, s, url, fields);
        assert.equal(res.statusCode, 404, url);
        assert.match(res.body, /Company not found\./);
      }
    }
    // Another company's entry is not found under this company.
    await ctx.inject({ method: 'GET', url: `${API}/users`, headers: other.headers });
    await ctx.app.services.requestLog.flush();
    const theirs = (await ctx.app.services.requestLog.list(other.id, { limit: 1, offset: 0 }, {})).items[0]!;
    assert.equal((await get(ctx, s, `/console/companies/${other.id}/requests/${theirs.id}`)).statusCode, 200);
    const crossed = await get(ctx, s, `/console/companies/${company.id}/requests/${theirs.id}`);
    assert.equal(crossed.statusCode, 404);
    assert.match(crossed.body, /Logged request not found\./);
    assert.equal((await get(ctx, s, `/console/companies/${company.id}/requests/not-an-id`)).statusCode, 404);
  });
});
