import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { UNAUTHORIZED } from '../helpers/security.js';

const ADMIN_UNAUTHORIZED = { message: 'Invalid or missing admin-key header.' };
const KEY_FORMAT = /^casa_[0-9A-Za-z]{40}$/;

function createCompany(ctx: TestApp, payload: Record<string, unknown>) {
  return ctx.inject({ method: 'POST', url: '/admin/v1/companies', headers: ctx.adminHeaders, payload });
}

async function companyInfo(ctx: TestApp, apiKey: string) {
  return ctx.inject({ method: 'GET', url: '/api/integrate/v3/companies/info', headers: { 'api-key': apiKey } });
}

describe('POST /admin/v1/companies', () => {
  it('creates the company, its main office, its Manager and a working key shown once', async (t) => {
    const ctx = await buildTestApp(t);
    const res = await createCompany(ctx, {
      name: 'Acme Realty',
      manager_email: 'Boss@Acme.TEST',
      manager_password: 'a-long-password',
      country: 'Finland',
      customer_type: 'Agent',
    });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['company', 'manager', 'api_key', 'api_key_id']);
    assert.match(body.api_key, KEY_FORMAT);
    assert.deepEqual(body.manager, {
      id: body.manager.id,
      email: 'boss@acme.test',
      name: null,
      surname: null,
      role: 'Manager',
      email_confirmed: true,
      created_at: body.manager.created_at,
      office_id: body.company.main_office_id,
    });
    const info = await companyInfo(ctx, body.api_key);
    assert.equal(info.statusCode, 200);
    assert.deepEqual(info.json(), body.company);
    assert.equal(body.company.name, 'Acme Realty');
    assert.equal(body.company.customer_type, 'Agent');

    // Only a hash is stored: the clear key appears nowhere in the database.
    const keys = await ctx.storage.db.selectFrom('api_keys').selectAll().where('company_id', '=', body.company.id).execute();
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.key_hash, crypto.createHash('sha256').update(body.api_key).digest('hex'));
    assert.equal(keys[0]!.user_id, body.manager.id, 'the key is attributed to the Manager');
    assert.ok(!JSON.stringify(keys).includes(body.api_key));
  });

  it('leaves the Manager unconfirmed without a password', async (t) => {
    const ctx = await buildTestApp(t);
    const res = await createCompany(ctx, { name: 'No Password', manager_email: 'np@example.com' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().manager.email_confirmed, false);
    assert.equal(res.json().company.customer_type, 'Other');
  });

  it('refuses a Manager email already in use (any case) with 409 and writes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    assert.equal((await createCompany(ctx, { name: 'First', manager_email: 'taken@example.com' })).statusCode, 201);
    const dup = await createCompany(ctx, { name: 'Second', manager_email: 'TAKEN@example.com' });
    assert.equal(dup.statusCode, 409);
    assert.deepEqual(dup.json(), { message: 'A user with this email already exists.' });
    const list = (await ctx.inject({ method: 'GET', url: '/admin/v1/companies', headers: ctx.adminHeaders })).json();
    assert.deepEqual(
      list.items.map((c: { name: string }) => c.name),
      ['First'],
    );
    const offices = await ctx.storage.db.selectFrom('offices').select('id').execute();
    assert.equal(offices.length, 1, 'the failed company left no office behind');
  });

  it('validates the body in the validation shape', async (t) => {
    const ctx = await buildTestApp(t);
    const res = await createCompany(ctx, { name: '', manager_email: 'nope', manager_password: 'short', customer_type: 'Wizard' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      validation_error: {
        body_params: [
          { loc: ['name'], msg: 'ensure this value has at least 1 characters', type: 'value_error.any_str.min_length' },
          { loc: ['manager_email'], msg: 'value is not a valid email address', type: 'value_error.email' },
          { loc: ['manager_password'], msg: 'ensure this value has at least 8 characters', type: 'value_error.any_str.min_length' },
          {
            loc: ['customer_type'],
            msg: "value is not a valid enumeration member; permitted: 'Agent', 'Appraiser', 'Photographer', 'Contractor', 'Home Inspector', 'Personal use', 'Other'",
            type: 'type_error.enum',
          },
        ],
      },
    });
    const missing = await createCompany(ctx, {});
    assert.deepEqual(
      missing.json().validation_error.body_params.map((e: { loc: string[] }) => e.loc[0]),
      ['name', 'manager_email'],
    );
    const list = (await ctx.inject({ method: 'GET', url: '/admin/v1/companies', headers: ctx.adminHeaders })).json();
    assert.deepEqual(list.items, []);
  });
});

describe('GET /admin/v1/companies', () => {
  it('lists newest first with pagination and a name search', async (t) => {
    const ctx = await buildTestApp(t);
    for (const name of ['Alpha Homes', 'Beta Realty', 'Gamma Homes']) await ctx.createCompany(name);
    const page = (await ctx.inject({ method: 'GET', url: '/admin/v1/companies?limit=2', headers: ctx.adminHeaders })).json();
    assert.deepEqual(page.pagination, { has_more: true, limit: 2, next_offset: 2, previous_offset: 0 });
    assert.deepEqual(
      page.items.map((c: { name: string }) => c.name),
      ['Gamma Homes', 'Beta Realty'],
    );
    assert.deepEqual(Object.keys(page.items[0]), [
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
    const rest = (await ctx.inject({ method: 'GET', url: '/admin/v1/companies?limit=2&offset=2', headers: ctx.adminHeaders })).json();
    assert.deepEqual(
      rest.items.map((c: { name: string }) => c.name),
      ['Alpha Homes'],
    );
    assert.equal(rest.pagination.has_more, false);
    const search = (await ctx.inject({ method: 'GET', url: '/admin/v1/companies?search=homes', headers: ctx.adminHeaders })).json();
    assert.deepEqual(search.items.map((c: { name: string }) => c.name).sort(), ['Alpha Homes', 'Gamma Homes']);
  });
});

describe('operator api keys', () => {
  it('creates a second working key, lists keys without secrets, and a revoked key answers 401 at once', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const created = await ctx.inject({ method: 'POST', url: `/admin/v1/companies/${company.id}/api-keys`, headers: ctx.adminHeaders });
    assert.equal(created.statusCode, 201);
    const key = created.json();
    assert.deepEqual(Object.keys(key), ['id', 'api_key', 'prefix', 'created_at']);
    assert.match(key.api_key, KEY_FORMAT);
    assert.equal(key.prefix, key.api_key.slice(0, 9));
    assert.equal((await companyInfo(ctx, key.api_key)).json().id, company.id);

    const list = (await ctx.inject({ method: 'GET', url: `/admin/v1/companies/${company.id}/api-keys`, headers: ctx.adminHeaders })).json();
    assert.deepEqual(
      list.items.map((k: { id: string }) => k.id),
      [key.id, company.apiKeyId],
    );
    assert.deepEqual(list.items[0], {
      id: key.id,
      prefix: key.prefix,
      user_id: company.managerId,
      created_at: key.created_at,
      revoked_at: null,
    });
    assert.ok(!JSON.stringify(list).includes(key.api_key.slice(9)), 'no secret in the list');

    const revoked = await ctx.inject({ method: 'DELETE', url: `/admin/v1/api-keys/${company.apiKeyId}`, headers: ctx.adminHeaders });
    assert.equal(revoked.statusCode, 200);
    assert.deepEqual(revoked.json(), { message: 'API key was revoked.' });
    const dead = await companyInfo(ctx, company.apiKey);
    assert.equal(dead.statusCode, 401);
    assert.deepEqual(dead.json(), UNAUTHORIZED);
    assert.equal((await companyInfo(ctx, key.api_key)).statusCode, 200, 'the other key still works');

    const after = (
      await ctx.inject({ method: 'GET', url: `/admin/v1/companies/${company.id}/api-keys`, headers: ctx.adminHeaders })
    ).json();
    assert.equal(typeof after.items.find((k: { id: string }) => k.id === company.apiKeyId).revoked_at, 'number');

    const twice = await ctx.inject({ method: 'DELETE', url: `/admin/v1/api-keys/${company.apiKeyId}`, headers: ctx.adminHeaders });
    assert.equal(twice.statusCode, 404);
    assert.deepEqual(twice.json(), { message: 'API key not found.' });
  });

  it('answers 404 for unknown companies and keys', async (t) => {
    const ctx = await buildTestApp(t);
    for (const id of [crypto.randomUUID(), 'nope']) {
      const create = await ctx.inject({ method: 'POST', url: `/admin/v1/companies/${id}/api-keys`, headers: ctx.adminHeaders });
      assert.equal(create.statusCode, 404);
      assert.deepEqual(create.json(), { message: 'Company not found.' });
      const list = await ctx.inject({ method: 'GET', url: `/admin/v1/companies/${id}/api-keys`, headers: ctx.adminHeaders });
      assert.equal(list.statusCode, 404);
      const revoke = await ctx.inject({ method: 'DELETE', url: `/admin/v1/api-keys/${id}`, headers: ctx.adminHeaders });
      assert.equal(revoke.statusCode, 404);
    }
  });
});

describe('operator authentication', () => {
  it('refuses a missing, wrong or customer key on every operator route, and changes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const routes: [string, string, object?][] = [
      ['POST', '/admin/v1/companies', { name: 'X', manager_email: 'x@example.com' }],
      ['GET', '/admin/v1/companies'],
      ['GET', `/admin/v1/companies/${company.id}/api-keys`],
      ['POST', `/admin/v1/companies/${company.id}/api-keys`],
      ['DELETE', `/admin/v1/api-keys/${company.apiKeyId}`],
      ['GET', '/admin/v1/merge-requests'],
      ['GET', '/admin/v1/emails'],
    ];
    const variants: Record<string, string>[] = [
      {},
      { 'admin-key': 'wrong' },
      { 'admin-key': `${ctx.adminKey}x` },
      { 'admin-key': '' },
      { 'api-key': company.apiKey },
      { 'admin-key': company.apiKey },
      { authorization: `Bearer ${ctx.adminKey}` },
    ];
    for (const [method, url, payload] of routes) {
      for (const headers of variants) {
        const res = await ctx.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) });
        assert.equal(res.statusCode, 401, `${method} ${url} with ${JSON.stringify(Object.keys(headers))}`);
        assert.deepEqual(res.json(), ADMIN_UNAUTHORIZED);
        assert.ok(res.headers['x-request-id']);
      }
    }
    assert.equal((await companyInfo(ctx, company.apiKey)).statusCode, 200, 'the key was not revoked');
    const list = (await ctx.inject({ method: 'GET', url: '/admin/v1/companies', headers: ctx.adminHeaders })).json();
    assert.equal(list.items.length, 1, 'no company was created');
  });

  it('refuses the admin key on customer routes', async (t) => {
    const ctx = await buildTestApp(t);
    for (const headers of [{ 'admin-key': ctx.adminKey }, { 'api-key': ctx.adminKey }]) {
      const res = await ctx.inject({ method: 'GET', url: '/api/integrate/v3/companies/info', headers });
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), UNAUTHORIZED);
    }
  });
});
