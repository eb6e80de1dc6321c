import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.js';
import { assertRequiresApiKey } from '../helpers/security.js';

describe('GET /offices', () => {
  it('lists the main office of a new company in the pagination envelope', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const res = await ctx.inject({ method: 'GET', url: '/api/integrate/v3/offices', headers: company.headers });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(body.pagination, { has_more: false, limit: 20, next_offset: 20, previous_offset: 0 });
    assert.equal(body.items.length, 1);
    assert.deepEqual(Object.keys(body.items[0]), ['id', 'name', 'created_at']);
    assert.equal(body.items[0].id, company.mainOfficeId);
    assert.equal(body.items[0].name, 'Main office');
    assert.equal(typeof body.items[0].created_at, 'number');
  });

  it('pages newest first and reports has_more', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    for (let i = 1; i <= 4; i++) {
      const res = await ctx.inject({
        method: 'POST',
        url: '/api/integrate/v3/offices',
        headers: company.headers,
        payload: { name: `Office ${i}` },
      });
      assert.equal(res.statusCode, 200);
    }
    const first = (await ctx.inject({ method: 'GET', url: '/api/integrate/v3/offices?limit=2', headers: company.headers })).json();
    assert.deepEqual(first.pagination, { has_more: true, limit: 2, next_offset: 2, previous_offset: 0 });
    assert.deepEqual(
      first.items.map((o: { name: string }) => o.name),
      ['Office 4', 'Office 3'],
    );
    const last = (await ctx.inject({ method: 'GET', url: '/api/integrate/v3/offices?limit=2&offset=4', headers: company.headers })).json();
    assert.deepEqual(last.pagination, { has_more: false, limit: 2, next_offset: 6, previous_offset: 2 });
    assert.deepEqual(
      last.items.map((o: { name: string }) => o.name),
      ['Main office'],
    );
  });

  it('rejects a bad limit and offset in the validation shape', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const res = await ctx.inject({ method: 'GET', url: '/api/integrate/v3/offices?limit=0&offset=x', headers: company.headers });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      validation_error: {
        query_params: [
          { loc: ['limit'], msg: 'ensure this value is greater than or equal to 1', type: 'value_error.number.not_ge' },
          { loc: ['offset'], msg: 'value is not a valid integer', type: 'type_error.integer' },
        ],
      },
    });
  });

  it('shows only the calling company’s offices', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany();
    const b = await ctx.createCompany();
    await ctx.inject({ method: 'POST', url: '/api/integrate/v3/offices', headers: a.headers, payload: { name: 'Only A' } });
    const res = (await ctx.inject({ method: 'GET', url: '/api/integrate/v3/offices', headers: b.headers })).json();
    assert.deepEqual(
      res.items.map((o: { name: string }) => o.name),
      ['Main office'],
    );
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildTestApp(t);
    await assertRequiresApiKey(ctx, { method: 'GET', url: '/api/integrate/v3/offices' });
  });
});

describe('POST /offices', () => {
  it('creates an office and answers it', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const res = await ctx.inject({
      method: 'POST',
      url: '/api/integrate/v3/offices',
      headers: company.headers,
      payload: { name: 'Helsinki', ignored: true },
    });
    assert.equal(res.statusCode, 200);
    const office = res.json();
    assert.deepEqual(Object.keys(office), ['id', 'name', 'created_at']);
    assert.equal(office.name, 'Helsinki');
  });

  it('refuses a duplicate name case-insensitively with 409 and writes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    await ctx.inject({ method: 'POST', url: '/api/integrate/v3/offices', headers: company.headers, payload: { name: 'Helsinki' } });
    const dup = await ctx.inject({
      method: 'POST',
      url: '/api/integrate/v3/offices',
      headers: company.headers,
      payload: { name: 'HELSINKI' },
    });
    assert.equal(dup.statusCode, 409);
    assert.deepEqual(dup.json(), { message: 'An office with this name already exists.' });
    const list = (await ctx.inject({ method: 'GET', url: '/api/integrate/v3/offices', headers: company.headers })).json();
    assert.equal(list.items.length, 2);
  });

  it('validates the body, the content type and the JSON', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const missing = await ctx.inject({ method: 'POST', url: '/api/integrate/v3/offices', headers: company.headers, payload: {} });
    assert.deepEqual(missing.json(), {
      validation_error: { body_params: [{ loc: ['name'], msg: 'field required', type: 'value_error.missing' }] },
    });
    const wrongType = await ctx.inject({
      method: 'POST',
      url: '/api/integrate/v3/offices',
      headers: company.headers,
      payload: { name: { a: 1 } },
    });
    assert.deepEqual(wrongType.json(), {
      validation_error: { body_params: [{ loc: ['name'], msg: 'str type expected', type: 'type_error.str' }] },
    });
    const text = await ctx.inject({
      method: 'POST',
      url: '/api/integrate/v3/offices',
      headers: { ...company.headers, 'content-type': 'text/plain' },
      payload: 'name',
    });
    assert.equal(text.statusCode, 415);
    const badJson = await ctx.inject({
      method: 'POST',
      url: '/api/integrate/v3/offices',
      headers: { ...company.headers, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    assert.equal(badJson.statusCode, 400);
    assert.deepEqual(badJson.json().validation_error.body_params[0].loc, ['__root__']);
    const list = (await ctx.inject({ method: 'GET', url: '/api/integrate/v3/offices', headers: company.headers })).json();
    assert.equal(list.items.length, 1);
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildTestApp(t);
    await assertRequiresApiKey(ctx, { method: 'POST', url: '/api/integrate/v3/offices', payload: { name: 'X' } });
  });
});
