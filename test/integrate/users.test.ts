import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sha256Hex } from '../../src/domain/clock.js';
import { buildTestApp } from '../helpers/app.js';
import { assertRequiresApiKey } from '../helpers/security.js';
import { USERS, createUser, outbox, passwordWorks, tokenFromLink, uniqueEmail, userRow } from '../helpers/users.js';

const USER_KEYS = ['id', 'email', 'name', 'surname', 'role', 'email_confirmed', 'created_at', 'office_id'];
const INVITED = 'Invitation email was sent to user email and needs to be finished before first login.';

describe('GET /users', () => {
  it('lists the company’s Manager as the exact user item in the pagination envelope', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const res = await ctx.inject({ method: 'GET', url: USERS, headers: company.headers });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['pagination', 'items']);
    assert.deepEqual(body.pagination, { has_more: false, limit: 20, next_offset: 20, previous_offset: 0 });
    assert.equal(body.items.length, 1);
    assert.deepEqual(Object.keys(body.items[0]), USER_KEYS);
    const row = await userRow(ctx, company.managerId);
    assert.deepEqual(body.items[0], {
      id: company.managerId,
      email: company.managerEmail,
      name: null,
      surname: null,
      role: 'Manager',
      email_confirmed: true,
      created_at: row!.created_at / 1e6,
      office_id: company.mainOfficeId,
    });
  });

  it('pages newest first and reports has_more', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const emails: string[] = [];
    for (let i = 1; i <= 4; i++) {
      ctx.clock.advanceSeconds(1);
      emails.push((await createUser(ctx, company, { email: `u${i}-${uniqueEmail()}`, role: 'User', password: 'password-123' })).email);
    }
    const first = (await ctx.inject({ method: 'GET', url: `${USERS}?limit=2`, headers: company.headers })).json();
    assert.deepEqual(first.pagination, { has_more: true, limit: 2, next_offset: 2, previous_offset: 0 });
    assert.deepEqual(
      first.items.map((u: { email: string }) => u.email),
      [emails[3], emails[2]],
    );
    const second = (await ctx.inject({ method: 'GET', url: `${USERS}?limit=2&offset=2`, headers: company.headers })).json();
    assert.deepEqual(second.pagination, { has_more: true, limit: 2, next_offset: 4, previous_offset: 0 });
    assert.deepEqual(
      second.items.map((u: { email: string }) => u.email),
      [emails[1], emails[0]],
    );
    const last = (await ctx.inject({ method: 'GET', url: `${USERS}?limit=2&offset=4`, headers: company.headers })).json();
    assert.deepEqual(last.pagination, { has_more: false, limit: 2, next_offset: 6, previous_offset: 2 });
    assert.deepEqual(
      last.items.map((u: { email: string }) => u.email),
      [company.managerEmail],
    );
  });

  it('keeps a stable order for users created at the same instant', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const now = ctx.clock.nowUs();
    const ids = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000c', '00000000-0000-4000-8000-00000000000b'];
    for (const id of ids) {
      await ctx.storage.db
        .insertInto('users')
        .values({
          id,
          company_id: company.id,
          office_id: company.mainOfficeId,
          email: `${id}@example.com`,
          name: null,
          surname: null,
          role: 'User',
          email_confirmed: 1,
          password_hash: null,
          created_at: now,
        })
        .execute();
    }
    const page1 = (await ctx.inject({ method: 'GET', url: `${USERS}?limit=2`, headers: company.headers })).json();
    const page2 = (await ctx.inject({ method: 'GET', url: `${USERS}?limit=2&offset=2`, headers: company.headers })).json();
    assert.deepEqual(
      [...page1.items, ...page2.items].map((u: { id: string }) => u.id),
      [ids[1], ids[2], ids[0], company.managerId],
    );
  });

  it('filters by role (repeatable) and by office', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const office = (
      await ctx.inject({ method: 'POST', url: '/api/integrate/v3/offices', headers: company.headers, payload: { name: 'Tampere' } })
    ).json();
    const collaborator = await createUser(ctx, company, { email: uniqueEmail('collab'), role: 'Collaborator', password: 'password-123' });
    const user = await createUser(ctx, company, {
      email: uniqueEmail('user'),
      role: 'User',
      password: 'password-123',
      office_id: office.id,
    });
    const list = async (query: string) =>
      (await ctx.inject({ method: 'GET', url: `${USERS}?${query}`, headers: company.headers }))
        .json()
        .items.map((u: { id: string }) => u.id);
    assert.deepEqual(await list('role=Collaborator'), [collaborator.id]);
    assert.deepEqual(await list('role=Collaborator&role=Manager'), [collaborator.id, company.managerId]);
    assert.deepEqual(await list('role=Manager&role=Collaborator&role=Manager'), [collaborator.id, company.managerId]);
    assert.deepEqual(await list(`office_id=${office.id}`), [user.id]);
    assert.deepEqual(await list(`office_id=${company.mainOfficeId}&role=User`), []);
    assert.deepEqual(await list(`office_id=${office.id}&role=User`), [user.id]);
  });

  it('rejects bad filters and paging in the validation shape', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const res = await ctx.inject({ method: 'GET', url: `${USERS}?limit=101&role=Boss&office_id=nope`, headers: company.headers });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      validation_error: {
        query_params: [
          { loc: ['limit'], msg: 'ensure this value is less than or equal to 100', type: 'value_error.number.not_le' },
          {
            loc: ['role', 0],
            msg: "value is not a valid enumeration member; permitted: 'Collaborator', 'User', 'Manager'",
            type: 'type_error.enum',
          },
          { loc: ['office_id'], msg: 'value is not a valid uuid', type: 'type_error.uuid' },
        ],
      },
    });
  });

  it('shows only the calling company’s users', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany();
    const b = await ctx.createCompany();
    await createUser(ctx, a, { email: uniqueEmail(), role: 'User', password: 'password-123' });
    const res = (await ctx.inject({ method: 'GET', url: USERS, headers: b.headers })).json();
    assert.deepEqual(
      res.items.map((u: { id: string }) => u.id),
      [b.managerId],
    );
    const filtered = (await ctx.inject({ method: 'GET', url: `${USERS}?office_id=${a.mainOfficeId}`, headers: b.headers })).json();
    assert.deepEqual(filtered.items, []);
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildTestApp(t);
    await assertRequiresApiKey(ctx, { method: 'GET', url: USERS });
  });
});

describe('POST /users', () => {
  it('without a password invites the user: unconfirmed, one invitation email with a 7-day single-use link', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany('Acme Floors');
    const email = uniqueEmail('invitee');
    const res = await ctx.inject({
      method: 'POST',
      url: USERS,
      headers: company.headers,
      payload: { email, role: 'User', name: 'Ada', surname: 'Lovelace' },
    });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['email', 'id', 'message', 'role']);
    assert.deepEqual(body, { email, id: body.id, message: INVITED, role: 'User' });

    const item = (await ctx.inject({ method: 'GET', url: `${USERS}/${email}`, headers: company.headers })).json();
    assert.deepEqual(
      { ...item, created_at: 0 },
      {
        id: body.id,
        email,
        name: 'Ada',
        surname: 'Lovelace',
        role: 'User',
        email_confirmed: false,
        created_at: 0,
        office_id: company.mainOfficeId,
      },
    );
    assert.equal((await userRow(ctx, body.id))!.password_hash, null);

    const mails = await outbox(ctx, `to=${email}`);
    assert.equal(mails.length, 1);
    const mail = mails[0]!;
    assert.equal(mail.kind, 'invitation');
    assert.equal(mail.company_id, company.id);
    assert.equal(mail.subject, 'You are invited to Acme Floors on casa-integrate');
    assert.equal(mail.sent_at, null, 'no SMTP configured: the email stays in the outbox');
    const token = tokenFromLink(ctx, mail.text, 'invite');
    assert.equal(tokenFromLink(ctx, mail.html, 'invite'), token);
    assert.match(mail.text, /^Hello Ada,/);
    assert.match(mail.text, /expires in 7 days/);

    const stored = await ctx.storage.db.selectFrom('user_tokens').selectAll().where('user_id', '=', body.id).execute();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.token_hash, sha256Hex(token), 'only the SHA-256 of the token is stored');
    assert.equal(stored[0]!.kind, 'invite');
    assert.equal(stored[0]!.expires_at - stored[0]!.created_at, 7 * 24 * 3600 * 1e6);
    assert.deepEqual(await ctx.app.services.users.checkToken('invite', token), { state: 'valid', email });
  });

  it('with a password creates an active, confirmed user and sends no email', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const email = uniqueEmail();
    const res = await ctx.inject({
      method: 'POST',
      url: USERS,
      headers: company.headers,
      payload: { email, role: 'Collaborator', password: 'a-long-password' },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { email, id: res.json().id, message: 'User was created.', role: 'Collaborator' });
    const item = (await ctx.inject({ method: 'GET', url: `${USERS}/${email}`, headers: company.headers })).json();
    assert.equal(item.email_confirmed, true);
    assert.equal(item.role, 'Collaborator');
    assert.equal(await passwordWorks(ctx, email, 'a-long-password'), true);
    assert.deepEqual(await outbox(ctx, `to=${email}`), []);
  });

  it('stores the email lower-case and places the user in the office given', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const office = (
      await ctx.inject({ method: 'POST', url: '/api/integrate/v3/offices', headers: company.headers, payload: { name: 'Espoo' } })
    ).json();
    const res = await ctx.inject({
      method: 'POST',
      url: USERS,
      headers: company.headers,
      payload: { email: 'Mixed.Case@Example.COM', role: 'Manager', office_id: office.id, password: 'password-123' },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().email, 'mixed.case@example.com');
    const item = (await ctx.inject({ method: 'GET', url: `${USERS}/MIXED.case@example.com`, headers: company.headers })).json();
    assert.equal(item.email, 'mixed.case@example.com');
    assert.equal(item.office_id, office.id);
    assert.equal(item.role, 'Manager');
  });

  it('refuses an email that exists anywhere, in any case, with 409 and writes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany();
    const b = await ctx.createCompany();
    const email = uniqueEmail('taken');
    await createUser(ctx, a, { email, role: 'User' });
    const before = await ctx.storage.db.selectFrom('users').select('id').execute();
    const mailsBefore = await outbox(ctx);
    for (const [company, candidate] of [
      [a, email.toUpperCase()],
      [b, email],
      [b, a.managerEmail.toUpperCase()],
    ] as const) {
      const res = await ctx.inject({ method: 'POST', url: USERS, headers: company.headers, payload: { email: candidate, role: 'User' } });
      assert.equal(res.statusCode, 409, candidate);
      assert.deepEqual(res.json(), { message: 'A user with this email already exists.' });
    }
    assert.equal((await ctx.storage.db.selectFrom('users').select('id').execute()).length, before.length);
    assert.equal((await outbox(ctx)).length, mailsBefore.length);
  });

  it('lets only one of two simultaneous requests for one email succeed', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const email = uniqueEmail('race');
    const results = await Promise.all(
      [email, email.toUpperCase()].map((e) =>
        ctx.inject({ method: 'POST', url: USERS, headers: company.headers, payload: { email: e, role: 'User' } }),
      ),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
    assert.equal((await ctx.storage.db.selectFrom('users').select('id').where('email', '=', email).execute()).length, 1);
    assert.equal((await outbox(ctx, `to=${email}`)).length, 1);
  });

  it('answers 404 for an unknown office or another company’s, and writes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany();
    const b = await ctx.createCompany();
    for (const officeId of ['5a0d1b3c-9e53-4f3e-8d7c-2b1a0f9e8d7c', b.mainOfficeId]) {
      const email = uniqueEmail();
      const res = await ctx.inject({
        method: 'POST',
        url: USERS,
        headers: a.headers,
        payload: { email, role: 'User', office_id: officeId },
      });
      assert.equal(res.statusCode, 404);
      assert.deepEqual(res.json(), { message: 'Office not found.' });
      assert.equal((await ctx.inject({ method: 'GET', url: `${USERS}/${email}`, headers: a.headers })).statusCode, 404);
      assert.deepEqual(await outbox(ctx, `to=${email}`), []);
    }
  });

  it('validates the body field by field and writes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const post = (payload: unknown) => ctx.inject({ method: 'POST', url: USERS, headers: company.headers, payload: payload as object });
    assert.deepEqual((await post({})).json(), {
      validation_error: {
        body_params: [
          { loc: ['email'], msg: 'field required', type: 'value_error.missing' },
          { loc: ['role'], msg: 'field required', type: 'value_error.missing' },
        ],
      },
    });
    assert.deepEqual((await post({ email: 'not-an-email', role: 'Owner', office_id: 'x', password: 'short', name: 5 })).json(), {
      validation_error: {
        body_params: [
          { loc: ['email'], msg: 'value is not a valid email address', type: 'value_error.email' },
          {
            loc: ['role'],
            msg: "value is not a valid enumeration member; permitted: 'Collaborator', 'User', 'Manager'",
            type: 'type_error.enum',
          },
          { loc: ['office_id'], msg: 'value is not a valid uuid', type: 'type_error.uuid' },
          { loc: ['password'], msg: 'ensure this value has at least 8 characters', type: 'value_error.any_str.min_length' },
          { loc: ['name'], msg: 'str type expected', type: 'type_error.str' },
        ],
      },
    });
    const tooLong = await post({ email: uniqueEmail(), role: 'User', password: 'x'.repeat(129) });
    assert.deepEqual(tooLong.json().validation_error.body_params, [
      { loc: ['password'], msg: 'ensure this value has at most 128 characters', type: 'value_error.any_str.max_length' },
    ]);
    const text = await ctx.inject({
      method: 'POST',
      url: USERS,
      headers: { ...company.headers, 'content-type': 'text/plain' },
      payload: 'x',
    });
    assert.equal(text.statusCode, 415);
    const list = (await ctx.inject({ method: 'GET', url: USERS, headers: company.headers })).json();
    assert.equal(list.items.length, 1);
    assert.deepEqual(await outbox(ctx), []);
  });

  it('ignores unknown fields', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const res = await ctx.inject({
      method: 'POST',
      url: USERS,
      headers: company.headers,
      payload: { email: uniqueEmail(), role: 'User', password: 'password-123', company_id: 'x', admin: true },
    });
    assert.equal(res.statusCode, 200);
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildTestApp(t);
    await assertRequiresApiKey(ctx, { method: 'POST', url: USERS, payload: { email: uniqueEmail(), role: 'User' } });
    assert.deepEqual(await outbox(ctx), []);
  });
});

describe('GET /users/{email}', () => {
  it('answers the user item, whatever the case or encoding of the email', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const created = await createUser(ctx, company, {
      email: 'tim+api@internet.com',
      role: 'Collaborator',
      name: 'Tim',
      surname: 'Berners-Lee',
      password: 'password-123',
    });
    for (const path of ['tim+api@internet.com', 'TIM%2Bapi%40internet.com']) {
      const res = await ctx.inject({ method: 'GET', url: `${USERS}/${path}`, headers: company.headers });
      assert.equal(res.statusCode, 200, path);
      const item = res.json();
      assert.deepEqual(Object.keys(item), USER_KEYS);
      assert.deepEqual(
        { ...item, created_at: 0 },
        {
          id: created.id,
          email: 'tim+api@internet.com',
          name: 'Tim',
          surname: 'Berners-Lee',
          role: 'Collaborator',
          email_confirmed: true,
          created_at: 0,
          office_id: company.mainOfficeId,
        },
      );
    }
  });

  it('answers 404 for an unknown email and for another company’s user', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany();
    const b = await ctx.createCompany();
    for (const email of ['nobody@example.com', b.managerEmail, 'not an email']) {
      const res = await ctx.inject({ method: 'GET', url: `${USERS}/${encodeURIComponent(email)}`, headers: a.headers });
      assert.equal(res.statusCode, 404, email);
      assert.deepEqual(res.json(), { message: 'User not found.' });
    }
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    await assertRequiresApiKey(ctx, { method: 'GET', url: `${USERS}/${company.managerEmail}` });
  });
});
