import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { buildTestApp, type TestApp, type TestCompany } from '../helpers/app.js';
import { assertRequiresApiKey, UNAUTHORIZED } from '../helpers/security.js';

const BASE = '/api/integrate/v3';

function requestMerge(ctx: TestApp, from: TestCompany, email: string) {
  return ctx.inject({ method: 'POST', url: `${BASE}/companies/merge-request`, headers: from.headers, payload: { email } });
}

function approve(ctx: TestApp, id: string, payload?: object) {
  return ctx.inject({
    method: 'POST',
    url: `/admin/v1/merge-requests/${id}/approve`,
    headers: ctx.adminHeaders,
    ...(payload === undefined ? {} : { payload }),
  });
}

/** An order row with its event and change request, written directly: only the company move matters here. */
async function insertOrder(ctx: TestApp, companyId: string): Promise<string> {
  const id = crypto.randomUUID();
  const now = ctx.clock.nowUs();
  await ctx.storage.db
    .insertInto('orders')
    .values({
      id,
      company_id: companyId,
      status: 'Ready',
      created_by: 'someone@example.com',
      order_type: 'vbim',
      is_scan_order: 1,
      add_info: '',
      package_type: 'plus',
      add_ons: '[]',
      total_scanned_area: 100,
      created_at: now,
      updated_at: now,
      status_changed_at: now,
      model_id: crypto.randomUUID(),
      street: 'Main St',
      city: 'Springfield',
      country: 'United States',
      full_address: 'Main St, Springfield, United States',
    } as never)
    .execute();
  await ctx.storage.db
    .insertInto('order_events')
    .values({
      id: crypto.randomUUID(),
      order_id: id,
      company_id: companyId,
      trigger: 'moved_to_ready',
      current_status: 'Ready',
      previous_status: 'Pending',
      model_id: crypto.randomUUID(),
      product_type: 'products_2d',
      delivery_type: 'new',
      created_at: now,
    })
    .execute();
  await ctx.storage.db
    .insertInto('change_requests')
    .values({
      id: crypto.randomUUID(),
      order_id: id,
      company_id: companyId,
      status: 'Done',
      message: 'fix',
      product_type: 'products_2d',
      attachment_urls: '[]',
      created_by: 'someone@example.com',
      created_at: now,
      resolved_at: now,
    })
    .execute();
  return id;
}

async function companyOf(
  ctx: TestApp,
  table: 'orders' | 'order_events' | 'change_requests',
  column: 'id' | 'order_id',
  value: string,
): Promise<string[]> {
  const rows = await ctx.storage.db.selectFrom(table).select('company_id').where(column, '=', value).execute();
  return rows.map((r) => r.company_id);
}

describe('POST /companies/merge-request', () => {
  it('creates a pending request and emails every Manager of the target company', async (t) => {
    const ctx = await buildTestApp(t);
    const from = await ctx.createCompany('Small Shop');
    const target = await ctx.createCompany('Big Realty');
    const second = await ctx.inject({
      method: 'POST',
      url: `${BASE}/users`,
      headers: target.headers,
      payload: { email: 'second.manager@big.test', role: 'Manager', password: 'a-long-password' },
    });
    assert.equal(second.statusCode, 200, second.body);
    const res = await requestMerge(ctx, from, target.managerEmail.toUpperCase());
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['id', 'status', 'target_email', 'created_at', 'message']);
    assert.deepEqual(body, {
      id: body.id,
      status: 'pending',
      target_email: target.managerEmail,
      created_at: body.created_at,
      message: 'Merge request sent.',
    });
    assert.equal(typeof body.created_at, 'number');

    const emails = (await ctx.inject({ method: 'GET', url: '/admin/v1/emails?limit=100', headers: ctx.adminHeaders }))
      .json()
      .items.filter((e: { kind: string }) => e.kind === 'merge_request');
    assert.deepEqual(emails.map((e: { to: string }) => e.to).sort(), [target.managerEmail, 'second.manager@big.test'].sort());
    for (const email of emails) {
      assert.equal(email.subject, 'Small Shop asks to merge into your company');
      assert.equal(email.company_id, target.id);
      assert.match(email.text, new RegExp(body.id));
    }

    const listed = (await ctx.inject({ method: 'GET', url: '/admin/v1/merge-requests', headers: ctx.adminHeaders })).json();
    assert.deepEqual(listed.items, [
      {
        id: body.id,
        company_id: from.id,
        target_company_id: target.id,
        target_email: target.managerEmail,
        status: 'pending',
        created_at: body.created_at,
        approved_at: null,
        requester_webhook_urls: [],
      },
    ]);
  });

  it('answers 404 for an unknown email or a non-Manager, and 409 for its own company; nothing is written', async (t) => {
    const ctx = await buildTestApp(t);
    const from = await ctx.createCompany();
    const target = await ctx.createCompany();
    await ctx.inject({
      method: 'POST',
      url: `${BASE}/users`,
      headers: target.headers,
      payload: { email: 'plain.user@target.test', role: 'User', password: 'a-long-password' },
    });
    const unknown = await requestMerge(ctx, from, 'nobody@nowhere.test');
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(unknown.json(), { message: 'No Manager with this email was found.' });
    const notManager = await requestMerge(ctx, from, 'plain.user@target.test');
    assert.equal(notManager.statusCode, 404);
    const own = await requestMerge(ctx, from, from.managerEmail);
    assert.equal(own.statusCode, 409);
    assert.deepEqual(own.json(), { message: 'This Manager belongs to your own company.' });
    const list = (await ctx.inject({ method: 'GET', url: '/admin/v1/merge-requests', headers: ctx.adminHeaders })).json();
    assert.deepEqual(list.items, []);
    const emails = (await ctx.inject({ method: 'GET', url: '/admin/v1/emails?limit=100', headers: ctx.adminHeaders })).json().items;
    assert.equal(emails.filter((e: { kind: string }) => e.kind === 'merge_request').length, 0);
  });

  it('refuses a second pending request to the same company with 409', async (t) => {
    const ctx = await buildTestApp(t);
    const from = await ctx.createCompany();
    const target = await ctx.createCompany();
    assert.equal((await requestMerge(ctx, from, target.managerEmail)).statusCode, 200);
    const again = await requestMerge(ctx, from, target.managerEmail);
    assert.equal(again.statusCode, 409);
    assert.deepEqual(again.json(), { message: 'A merge request to this company is already pending.' });
  });

  it('validates the body', async (t) => {
    const ctx = await buildTestApp(t);
    const from = await ctx.createCompany();
    const missing = await ctx.inject({ method: 'POST', url: `${BASE}/companies/merge-request`, headers: from.headers, payload: {} });
    assert.deepEqual(missing.json(), {
      validation_error: { body_params: [{ loc: ['email'], msg: 'field required', type: 'value_error.missing' }] },
    });
    const bad = await requestMerge(ctx, from, 'not-an-email');
    assert.deepEqual(bad.json(), {
      validation_error: { body_params: [{ loc: ['email'], msg: 'value is not a valid email address', type: 'value_error.email' }] },
    });
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildTestApp(t);
    const target = await ctx.createCompany();
    await assertRequiresApiKey(ctx, { method: 'POST', url: `${BASE}/companies/merge-request`, payload: { email: target.managerEmail } });
  });
});

describe('POST /admin/v1/merge-requests/{id}/approve', () => {
  it('moves offices, users and orders to the target in one go, keeps the target’s webhooks and retires the requester', async (t) => {
    const ctx = await buildTestApp(t);
    const from = await ctx.createCompany('Acme');
    const target = await ctx.createCompany('Big Realty');
    const bystander = await ctx.createCompany('Bystander');
    const helsinki = (
      await ctx.inject({ method: 'POST', url: `${BASE}/offices`, headers: from.headers, payload: { name: 'Helsinki' } })
    ).json();
    await ctx.inject({ method: 'POST', url: `${BASE}/offices`, headers: target.headers, payload: { name: 'Main office (Acme)' } });
    const agent = (
      await ctx.inject({
        method: 'POST',
        url: `${BASE}/users`,
        headers: from.headers,
        payload: { email: 'agent@acme.test', role: 'User', office_id: helsinki.id, password: 'a-long-password' },
      })
    ).json();
    const orderId = await insertOrder(ctx, from.id);
    const bystanderOrder = await insertOrder(ctx, bystander.id);
    await ctx.inject({
      method: 'PATCH',
      url: `${BASE}/companies/webhook`,
      headers: from.headers,
      payload: {
        webhook_urls: ['https://acme.test/hook', 'https://shared.test/hook'],
        webhook_triggers: ['moved_to_ready', 'moved_to_failed'],
      },
    });
    await ctx.inject({
      method: 'PATCH',
      url: `${BASE}/companies/webhook`,
      headers: target.headers,
      payload: { webhook_urls: ['https://shared.test/hook'], webhook_triggers: ['moved_to_pending', 'moved_to_ready'] },
    });
    const extraKey = (
      await ctx.inject({ method: 'POST', url: `/admin/v1/companies/${from.id}/api-keys`, headers: ctx.adminHeaders })
    ).json();

    const request = (await requestMerge(ctx, from, target.managerEmail)).json();
    ctx.clock.advanceSeconds(60);
    const res = await approve(ctx, request.id);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(body, {
      id: request.id,
      company_id: from.id,
      target_company_id: target.id,
      target_email: target.managerEmail,
      status: 'approved',
      created_at: request.created_at,
      approved_at: body.approved_at,
      moved: { offices: 2, users: 2, orders: 1 },
      webhooks: {
        choice: 'keep_target',
        added_urls: [],
        added_triggers: [],
        dropped_urls: ['https://acme.test/hook'],
        cancelled_deliveries: 0,
      },
    });
    assert.ok(body.approved_at >= request.created_at + 60);

    // The requester's keys, all of them, are dead at once.
    for (const key of [from.apiKey, extraKey.api_key]) {
      const dead = await ctx.inject({ method: 'GET', url: `${BASE}/companies/info`, headers: { 'api-key': key } });
      assert.equal(dead.statusCode, 401);
      assert.deepEqual(dead.json(), UNAUTHORIZED);
    }
    const keys = (await ctx.inject({ method: 'GET', url: `/admin/v1/companies/${from.id}/api-keys`, headers: ctx.adminHeaders })).json()
      .items;
    assert.ok(keys.length === 2 && keys.every((k: { revoked_at: number | null }) => k.revoked_at !== null));

    // Offices: the clashing main office takes a suffix, then a counter; the rest keep their names.
    const offices = (await ctx.inject({ method: 'GET', url: `${BASE}/offices`, headers: target.headers })).json().items;
    assert.deepEqual(
      offices.map((o: { name: string }) => o.name).sort(),
      ['Helsinki', 'Main office', 'Main office (Acme)', 'Main office (Acme) 2'].sort(),
    );
    assert.ok(offices.some((o: { id: string }) => o.id === from.mainOfficeId));

    // Users keep their ids, roles and offices.
    const users = (await ctx.inject({ method: 'GET', url: `${BASE}/users?limit=100`, headers: target.headers })).json().items;
    const byEmail = new Map<string, { id: string; role: string; office_id: string }>(
      users.map((u: { email: string; id: string; role: string; office_id: string }) => [u.email, u]),
    );
    const movedAgent = byEmail.get('agent@acme.test')!;
    assert.deepEqual([movedAgent.id, movedAgent.role, movedAgent.office_id], [agent.id, 'User', helsinki.id]);
    const movedManager = byEmail.get(from.managerEmail)!;
    assert.deepEqual([movedManager.id, movedManager.role, movedManager.office_id], [from.managerId, 'Manager', from.mainOfficeId]);
    assert.equal(users.length, 3);

    // Orders and what hangs off them move; another company's do not.
    assert.deepEqual(await companyOf(ctx, 'orders', 'id', orderId), [target.id]);
    assert.deepEqual(await companyOf(ctx, 'order_events', 'order_id', orderId), [target.id]);
    assert.deepEqual(await companyOf(ctx, 'change_requests', 'order_id', orderId), [target.id]);
    assert.deepEqual(await companyOf(ctx, 'orders', 'id', bystanderOrder), [bystander.id]);

    // Webhooks: without a choice the target keeps exactly its own lists.
    const info = (await ctx.inject({ method: 'GET', url: `${BASE}/companies/info`, headers: target.headers })).json();
    assert.deepEqual(info.webhook_urls, ['https://shared.test/hook']);
    assert.deepEqual(info.webhook_triggers, ['moved_to_pending', 'moved_to_ready']);

    const merged = await ctx.storage.db.selectFrom('companies').selectAll().where('id', '=', from.id).executeTakeFirstOrThrow();
    assert.equal(merged.merged_into, target.id);
    assert.equal(merged.webhook_urls, '[]');
    const stillEmpty = await ctx.storage.db.selectFrom('offices').select('id').where('company_id', '=', from.id).execute();
    assert.deepEqual(stillEmpty, []);

    // The bystander is untouched.
    const bys = (await ctx.inject({ method: 'GET', url: `${BASE}/offices`, headers: bystander.headers })).json().items;
    assert.deepEqual(
      bys.map((o: { name: string }) => o.name),
      ['Main office'],
    );

    // And it shows as approved in the operator list, and no new key can be issued for the merged company.
    const listed = (await ctx.inject({ method: 'GET', url: '/admin/v1/merge-requests?status=approved', headers: ctx.adminHeaders })).json();
    assert.deepEqual(
      listed.items.map((m: { id: string }) => m.id),
      [request.id],
    );
    const newKey = await ctx.inject({ method: 'POST', url: `/admin/v1/companies/${from.id}/api-keys`, headers: ctx.adminHeaders });
    assert.equal(newKey.statusCode, 409);
  });

  it('approves only pending requests: a second approval is 409 and changes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const from = await ctx.createCompany();
    const target = await ctx.createCompany();
    const request = (await requestMerge(ctx, from, target.managerEmail)).json();
    assert.equal((await approve(ctx, request.id)).statusCode, 200);
    const again = await approve(ctx, request.id);
    assert.equal(again.statusCode, 409);
    assert.deepEqual(again.json(), { message: 'Merge request is approved; only a pending request can be approved.' });
  });

  it('refuses a request whose company was merged meanwhile, leaving everything as it was', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany('A');
    const b = await ctx.createCompany('B');
    const c = await ctx.createCompany('C');
    const aToB = (await requestMerge(ctx, a, b.managerEmail)).json();
    const bToC = (await requestMerge(ctx, b, c.managerEmail)).json();
    assert.equal((await approve(ctx, bToC.id)).statusCode, 200); // B (with its users) is now part of C
    const stale = await approve(ctx, aToB.id);
    assert.equal(stale.statusCode, 409);
    assert.deepEqual(stale.json(), { message: 'One of the companies was already merged into another company.' });
    const info = await ctx.inject({ method: 'GET', url: `${BASE}/companies/info`, headers: a.headers });
    assert.equal(info.statusCode, 200, 'A keeps working');
    const pending = (await ctx.inject({ method: 'GET', url: '/admin/v1/merge-requests?status=pending', headers: ctx.adminHeaders })).json();
    assert.deepEqual(
      pending.items.map((m: { id: string }) => m.id),
      [aToB.id],
      'the refused approval rolled back',
    );
  });

  it('refuses a webhooks choice it does not know with 400 in the validation shape, and changes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const from = await ctx.createCompany('Acme');
    const target = await ctx.createCompany('Big Realty');
    await ctx.inject({
      method: 'PATCH',
      url: `${BASE}/companies/webhook`,
      headers: from.headers,
      payload: { webhook_urls: ['https://acme.test/hook'], webhook_triggers: ['moved_to_ready'] },
    });
    const request = (await requestMerge(ctx, from, target.managerEmail)).json();
    const cases: [unknown, object][] = [
      [
        { webhooks: 'take_everything' },
        {
          loc: ['webhooks'],
          msg: "value is not a valid enumeration member; permitted: 'keep_target', 'add_source'",
          type: 'type_error.enum',
        },
      ],
      [
        { webhooks: 'ADD_SOURCE' },
        {
          loc: ['webhooks'],
          msg: "value is not a valid enumeration member; permitted: 'keep_target', 'add_source'",
          type: 'type_error.enum',
        },
      ],
      [{ webhooks: true }, { loc: ['webhooks'], msg: 'str type expected', type: 'type_error.str' }],
      [{ webhooks: ['add_source'] }, { loc: ['webhooks'], msg: 'str type expected', type: 'type_error.str' }],
      [['add_source'], { loc: ['__root__'], msg: 'value is not a valid dict', type: 'type_error.dict' }],
    ];
    for (const [payload, entry] of cases) {
      const res = await approve(ctx, request.id, payload as object);
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.deepEqual(res.json(), { validation_error: { body_params: [entry] } }, JSON.stringify(payload));
    }
    const pending = (await ctx.inject({ method: 'GET', url: '/admin/v1/merge-requests', headers: ctx.adminHeaders })).json().items;
    assert.deepEqual(
      pending.map((m: { status: string; requester_webhook_urls: string[] }) => [m.status, m.requester_webhook_urls]),
      [['pending', ['https://acme.test/hook']]],
    );
    assert.equal((await ctx.inject({ method: 'GET', url: `${BASE}/companies/info`, headers: from.headers })).statusCode, 200);
    const info = (await ctx.inject({ method: 'GET', url: `${BASE}/companies/info`, headers: target.headers })).json();
    assert.deepEqual([info.webhook_urls, info.webhook_triggers], [[], []]);
    const approvedEmails = (
      await ctx.inject({ method: 'GET', url: '/admin/v1/emails?kind=merge_approved', headers: ctx.adminHeaders })
    ).json();
    assert.deepEqual(approvedEmails.items, []);

    // The same request still approves with a valid choice.
    const ok = await approve(ctx, request.id, { webhooks: 'keep_target' });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().webhooks.choice, 'keep_target');
  });

  it('answers 404 for an unknown or malformed id', async (t) => {
    const ctx = await buildTestApp(t);
    for (const id of [crypto.randomUUID(), 'not-a-uuid']) {
      const res = await approve(ctx, id);
      assert.equal(res.statusCode, 404);
      assert.deepEqual(res.json(), { message: 'Merge request not found.' });
    }
  });

  it('requires the admin key', async (t) => {
    const ctx = await buildTestApp(t);
    const from = await ctx.createCompany();
    const target = await ctx.createCompany();
    const request = (await requestMerge(ctx, from, target.managerEmail)).json();
    await ctx.inject({
      method: 'PATCH',
      url: `${BASE}/companies/webhook`,
      headers: from.headers,
      payload: { webhook_urls: ['https://from.test/hook'], webhook_triggers: ['moved_to_ready'] },
    });
    const variants: Record<string, string>[] = [
      {},
      { 'admin-key': 'wrong' },
      { 'admin-key': `${ctx.adminKey}x` },
      { 'admin-key': '' },
      from.headers,
      { 'admin-key': from.apiKey },
      { authorization: `Bearer ${ctx.adminKey}` },
    ];
    for (const headers of variants) {
      for (const payload of [undefined, { webhooks: 'add_source' }]) {
        const res = await ctx.inject({
          method: 'POST',
          url: `/admin/v1/merge-requests/${request.id}/approve`,
          headers,
          ...(payload ? { payload } : {}),
        });
        assert.equal(res.statusCode, 401);
        assert.deepEqual(res.json(), { message: 'Invalid or missing admin-key header.' });
        assert.ok(res.headers['x-request-id']);
      }
      const list = await ctx.inject({ method: 'GET', url: '/admin/v1/merge-requests', headers });
      assert.equal(list.statusCode, 401);
    }
    const still = (await ctx.inject({ method: 'GET', url: '/admin/v1/merge-requests', headers: ctx.adminHeaders })).json();
    assert.equal(still.items[0].status, 'pending');
    assert.equal((await ctx.inject({ method: 'GET', url: `${BASE}/companies/info`, headers: from.headers })).statusCode, 200);
    const info = (await ctx.inject({ method: 'GET', url: `${BASE}/companies/info`, headers: target.headers })).json();
    assert.deepEqual(info.webhook_urls, [], 'the target took no URL');
  });
});
