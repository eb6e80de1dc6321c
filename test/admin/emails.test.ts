import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { USERS, uniqueEmail } from '../helpers/users.js';

const EMAIL_KEYS = ['id', 'company_id', 'to', 'subject', 'kind', 'text', 'html', 'created_at', 'sent_at', 'attempts', 'last_error'];
const ADMIN_401 = { message: 'Invalid or missing admin-key header.' };

/** Two companies; A invites two users and asks for a reset, B invites one. */
async function seed(ctx: TestApp) {
  const a = await ctx.createCompany('Alpha');
  const b = await ctx.createCompany('Beta');
  const invitedA1 = uniqueEmail('a1');
  const invitedA2 = uniqueEmail('a2');
  const invitedB = uniqueEmail('b1');
  for (const [company, email] of [
    [a, invitedA1],
    [a, invitedA2],
    [b, invitedB],
  ] as const) {
    ctx.clock.advanceSeconds(1);
    const res = await ctx.inject({ method: 'POST', url: USERS, headers: company.headers, payload: { email, role: 'User' } });
    assert.equal(res.statusCode, 200);
  }
  ctx.clock.advanceSeconds(1);
  await ctx.inject({ method: 'POST', url: `${USERS}/reset-password`, headers: a.headers, payload: { email: a.managerEmail } });
  return { a, b, invitedA1, invitedA2, invitedB };
}

async function list(ctx: TestApp, query = '') {
  const res = await ctx.inject({ method: 'GET', url: `/admin/v1/emails${query}`, headers: ctx.adminHeaders });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

describe('GET /admin/v1/emails', () => {
  it('lists the outbox newest first, paginated, with every field', async (t) => {
    const ctx = await buildTestApp(t);
    const s = await seed(ctx);
    const first = await list(ctx, '?limit=3');
    assert.deepEqual(first.pagination, { has_more: true, limit: 3, next_offset: 3, previous_offset: 0 });
    assert.deepEqual(
      first.items.map((e: { to: string }) => e.to),
      [s.a.managerEmail, s.invitedB, s.invitedA2],
    );
    assert.deepEqual(Object.keys(first.items[0]), EMAIL_KEYS);
    const reset = first.items[0];
    assert.equal(reset.company_id, s.a.id);
    assert.equal(reset.kind, 'password_reset');
    assert.equal(reset.sent_at, null);
    assert.equal(reset.attempts, 0);
    assert.equal(reset.last_error, null);
    assert.match(reset.text, /http:\/\/casa\.test\/reset-password\//);
    assert.match(reset.html, /^<!doctype html>/);
    const rest = await list(ctx, '?limit=3&offset=3');
    assert.deepEqual(rest.pagination, { has_more: false, limit: 3, next_offset: 6, previous_offset: 0 });
    assert.deepEqual(
      rest.items.map((e: { to: string }) => e.to),
      [s.invitedA1],
    );
  });

  it('filters by recipient (any case), company and kind', async (t) => {
    const ctx = await buildTestApp(t);
    const s = await seed(ctx);
    const to = (body: { items: { to: string }[] }) => body.items.map((e) => e.to);
    assert.deepEqual(to(await list(ctx, `?to=${s.invitedA2.toUpperCase()}`)), [s.invitedA2]);
    assert.deepEqual(to(await list(ctx, `?company_id=${s.b.id}`)), [s.invitedB]);
    assert.deepEqual(to(await list(ctx, `?company_id=${s.a.id}&kind=invitation`)), [s.invitedA2, s.invitedA1]);
    assert.deepEqual(to(await list(ctx, '?kind=password_reset')), [s.a.managerEmail]);
    assert.deepEqual(to(await list(ctx, '?kind=merge_request')), []);
  });

  it('rejects bad filters in the validation shape', async (t) => {
    const ctx = await buildTestApp(t);
    const res = await ctx.inject({ method: 'GET', url: '/admin/v1/emails?company_id=abc&offset=-1', headers: ctx.adminHeaders });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      validation_error: {
        query_params: [
          { loc: ['offset'], msg: 'ensure this value is greater than or equal to 0', type: 'value_error.number.not_ge' },
          { loc: ['company_id'], msg: 'value is not a valid uuid', type: 'type_error.uuid' },
        ],
      },
    });
  });

  it('requires the admin key; a company api key is not one', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    for (const headers of [{}, { 'admin-key': 'wrong' }, company.headers, { 'admin-key': company.apiKey }]) {
      const res = await ctx.inject({ method: 'GET', url: '/admin/v1/emails', headers });
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), ADMIN_401);
    }
  });
});

describe('GET /admin/v1/emails/{id}', () => {
  it('answers one email exactly as listed', async (t) => {
    const ctx = await buildTestApp(t);
    const s = await seed(ctx);
    const listed = (await list(ctx, `?to=${s.invitedB}`)).items[0];
    const res = await ctx.inject({ method: 'GET', url: `/admin/v1/emails/${listed.id}`, headers: ctx.adminHeaders });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), listed);
    assert.equal(listed.subject, 'You are invited to Beta on casa-integrate');
  });

  it('answers 404 for an unknown or malformed id', async (t) => {
    const ctx = await buildTestApp(t);
    for (const id of ['7c9e6679-7425-40de-944b-e07fc1f90ae7', 'nope']) {
      const res = await ctx.inject({ method: 'GET', url: `/admin/v1/emails/${id}`, headers: ctx.adminHeaders });
      assert.equal(res.statusCode, 404, id);
      assert.deepEqual(res.json(), { message: 'Email not found.' });
    }
  });

  it('requires the admin key', async (t) => {
    const ctx = await buildTestApp(t);
    const s = await seed(ctx);
    const id = (await list(ctx)).items[0].id;
    const res = await ctx.inject({ method: 'GET', url: `/admin/v1/emails/${id}`, headers: s.a.headers });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), ADMIN_401);
  });
});
