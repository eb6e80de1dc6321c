import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp, type TestCompany } from '../helpers/app.js';
import { assertRequiresApiKey } from '../helpers/security.js';
import { USERS, createUser, insertOrderOwnedBy, outbox, passwordWorks, tokenFromLink, uniqueEmail, userRow } from '../helpers/users.js';

const UNKNOWN_ID = '0f8c4b2e-7d3a-4c1b-9e6f-5a4b3c2d1e0f';
const NOT_FOUND = { message: 'User not found.' };

async function getUser(ctx: TestApp, company: TestCompany, email: string) {
  const res = await ctx.inject({ method: 'GET', url: `${USERS}/${encodeURIComponent(email)}`, headers: company.headers });
  return { status: res.statusCode, body: res.json() };
}

async function managers(ctx: TestApp, companyId: string): Promise<string[]> {
  const rows = await ctx.storage.db
    .selectFrom('users')
    .select('id')
    .where('company_id', '=', companyId)
    .where('role', '=', 'Manager')
    .execute();
  return rows.map((r) => r.id);
}

describe('PATCH /users/{user_id}', () => {
  it('changes name, surname, role and office, answers the user item and keeps it', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const office = (
      await ctx.inject({ method: 'POST', url: '/api/integrate/v3/offices', headers: company.headers, payload: { name: 'Turku' } })
    ).json();
    const user = await createUser(ctx, company, { email: uniqueEmail(), role: 'Collaborator', password: 'password-123' });
    const res = await ctx.inject({
      method: 'PATCH',
      url: `${USERS}/${user.id}`,
      headers: company.headers,
      payload: { name: 'Linus', surname: 'Torvalds', role: 'User', office_id: office.id, email: 'ignored@example.com' },
    });
    assert.equal(res.statusCode, 200);
    const item = res.json();
    assert.deepEqual(Object.keys(item), ['id', 'email', 'name', 'surname', 'role', 'email_confirmed', 'created_at', 'office_id']);
    assert.deepEqual(
      { ...item, created_at: 0 },
      {
        id: user.id,
        email: user.email,
        name: 'Linus',
        surname: 'Torvalds',
        role: 'User',
        email_confirmed: true,
        created_at: 0,
        office_id: office.id,
      },
    );
    assert.deepEqual((await getUser(ctx, company, user.email)).body, item);
  });

  it('clears name and surname with null and leaves omitted fields alone', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const user = await createUser(ctx, company, {
      email: uniqueEmail(),
      role: 'User',
      name: 'Ada',
      surname: 'Lovelace',
      password: 'password-123',
    });
    const cleared = await ctx.inject({ method: 'PATCH', url: `${USERS}/${user.id}`, headers: company.headers, payload: { name: null } });
    assert.equal(cleared.statusCode, 200);
    assert.equal(cleared.json().name, null);
    assert.equal(cleared.json().surname, 'Lovelace');
    const unchanged = await ctx.inject({ method: 'PATCH', url: `${USERS}/${user.id}`, headers: company.headers, payload: {} });
    assert.equal(unchanged.statusCode, 200);
    assert.deepEqual(unchanged.json(), cleared.json());
  });

  it('answers 404 for an unknown, malformed or other company’s user and changes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany();
    const b = await ctx.createCompany();
    const other = await createUser(ctx, b, { email: uniqueEmail(), role: 'User', name: 'Kept', password: 'password-123' });
    for (const id of [UNKNOWN_ID, 'not-a-uuid', other.id]) {
      const res = await ctx.inject({
        method: 'PATCH',
        url: `${USERS}/${id}`,
        headers: a.headers,
        payload: { name: 'Changed', role: 'Manager' },
      });
      assert.equal(res.statusCode, 404, id);
      assert.deepEqual(res.json(), NOT_FOUND);
    }
    const row = await userRow(ctx, other.id);
    assert.equal(row!.name, 'Kept');
    assert.equal(row!.role, 'User');
  });

  it('answers 404 for another company’s office and changes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany();
    const b = await ctx.createCompany();
    const user = await createUser(ctx, a, { email: uniqueEmail(), role: 'User', password: 'password-123' });
    const res = await ctx.inject({
      method: 'PATCH',
      url: `${USERS}/${user.id}`,
      headers: a.headers,
      payload: { name: 'New', office_id: b.mainOfficeId },
    });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { message: 'Office not found.' });
    const row = await userRow(ctx, user.id);
    assert.equal(row!.name, null);
    assert.equal(row!.office_id, a.mainOfficeId);
  });

  it('refuses to demote the last Manager (409) but allows it once another Manager exists', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const demote = () =>
      ctx.inject({
        method: 'PATCH',
        url: `${USERS}/${company.managerId}`,
        headers: company.headers,
        payload: { role: 'User', name: 'Still' },
      });
    const refused = await demote();
    assert.equal(refused.statusCode, 409);
    assert.deepEqual(refused.json(), { message: 'The last Manager of the company cannot be demoted.' });
    assert.equal((await userRow(ctx, company.managerId))!.role, 'Manager');
    assert.equal((await userRow(ctx, company.managerId))!.name, null, 'a refused update changes nothing');

    const keepingManager = await ctx.inject({
      method: 'PATCH',
      url: `${USERS}/${company.managerId}`,
      headers: company.headers,
      payload: { role: 'Manager', name: 'Boss' },
    });
    assert.equal(keepingManager.statusCode, 200, 'setting Manager on the last Manager is no demotion');

    const second = await createUser(ctx, company, { email: uniqueEmail(), role: 'User', password: 'password-123' });
    const promote = await ctx.inject({
      method: 'PATCH',
      url: `${USERS}/${second.id}`,
      headers: company.headers,
      payload: { role: 'Manager' },
    });
    assert.equal(promote.statusCode, 200);
    const allowed = await demote();
    assert.equal(allowed.statusCode, 200);
    assert.equal(allowed.json().role, 'User');
    assert.deepEqual(await managers(ctx, company.id), [second.id]);
  });

  it('lets only one of two simultaneous demotions of the last two Managers through', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const second = await createUser(ctx, company, { email: uniqueEmail(), role: 'Manager', password: 'password-123' });
    const results = await Promise.all(
      [company.managerId, second.id].map((id) =>
        ctx.inject({ method: 'PATCH', url: `${USERS}/${id}`, headers: company.headers, payload: { role: 'Collaborator' } }),
      ),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
    assert.equal((await managers(ctx, company.id)).length, 1);
  });

  it('validates the body', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const res = await ctx.inject({
      method: 'PATCH',
      url: `${USERS}/${company.managerId}`,
      headers: company.headers,
      payload: { name: 1, role: 'Admin', office_id: null },
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      validation_error: {
        body_params: [
          { loc: ['name'], msg: 'str type expected', type: 'type_error.str' },
          {
            loc: ['role'],
            msg: "value is not a valid enumeration member; permitted: 'Collaborator', 'User', 'Manager'",
            type: 'type_error.enum',
          },
          { loc: ['office_id'], msg: 'str type expected', type: 'type_error.str' },
        ],
      },
    });
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    await assertRequiresApiKey(ctx, { method: 'PATCH', url: `${USERS}/${company.managerId}`, payload: { name: 'X' } });
    assert.equal((await userRow(ctx, company.managerId))!.name, null);
  });
});

describe('DELETE /users/{user_id}', () => {
  it('deletes the user; their orders stay with the company with no owner', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const user = await createUser(ctx, company, { email: uniqueEmail(), role: 'User', password: 'password-123' });
    const keptOwner = await createUser(ctx, company, { email: uniqueEmail(), role: 'User', password: 'password-123' });
    const orderId = await insertOrderOwnedBy(ctx, company.id, user);
    const otherOrderId = await insertOrderOwnedBy(ctx, company.id, keptOwner);
    const res = await ctx.inject({ method: 'DELETE', url: `${USERS}/${user.id}`, headers: company.headers });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { message: 'User was deleted.' });
    assert.equal(await userRow(ctx, user.id), undefined);
    assert.deepEqual(await getUser(ctx, company, user.email), { status: 404, body: NOT_FOUND });
    const orders = await ctx.storage.db
      .selectFrom('orders')
      .select(['id', 'company_id', 'owner_user_id', 'owner_email'])
      .orderBy('created_at')
      .execute();
    assert.deepEqual(orders, [
      { id: orderId, company_id: company.id, owner_user_id: null, owner_email: null },
      { id: otherOrderId, company_id: company.id, owner_user_id: keptOwner.id, owner_email: keptOwner.email },
    ]);
    const again = await ctx.inject({ method: 'DELETE', url: `${USERS}/${user.id}`, headers: company.headers });
    assert.equal(again.statusCode, 404);
  });

  it('frees the email for a new user and kills the deleted user’s links', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const email = uniqueEmail('invited');
    const user = await createUser(ctx, company, { email, role: 'User' });
    const token = tokenFromLink(ctx, (await outbox(ctx, `to=${email}`))[0]!.text, 'invite');
    assert.equal((await ctx.inject({ method: 'DELETE', url: `${USERS}/${user.id}`, headers: company.headers })).statusCode, 200);
    assert.deepEqual(await ctx.app.services.users.checkToken('invite', token), { state: 'unknown', email: null });
    assert.deepEqual(await ctx.app.services.users.acceptInvitation(token, 'password-123'), { ok: false, state: 'unknown' });
    const again = await ctx.inject({
      method: 'POST',
      url: USERS,
      headers: company.headers,
      payload: { email, role: 'User', password: 'password-123' },
    });
    assert.equal(again.statusCode, 200);
  });

  it('keeps the company’s api key working after its Manager is deleted, attributed to the next Manager', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const next = await createUser(ctx, company, { email: uniqueEmail(), role: 'Manager', password: 'password-123' });
    assert.equal((await ctx.inject({ method: 'DELETE', url: `${USERS}/${company.managerId}`, headers: company.headers })).statusCode, 200);
    const list = await ctx.inject({ method: 'GET', url: USERS, headers: company.headers });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list.json().items.map((u: { id: string }) => u.id),
      [next.id],
    );
    const key = await ctx.storage.db.selectFrom('api_keys').select('user_id').where('id', '=', company.apiKeyId).executeTakeFirstOrThrow();
    assert.equal(key.user_id, next.id);
  });

  it('refuses to delete the last Manager with 409', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const res = await ctx.inject({ method: 'DELETE', url: `${USERS}/${company.managerId}`, headers: company.headers });
    assert.equal(res.statusCode, 409);
    assert.deepEqual(res.json(), { message: 'The last Manager of the company cannot be deleted.' });
    assert.ok(await userRow(ctx, company.managerId));
  });

  it('lets only one of two simultaneous deletions of the last two Managers through', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const second = await createUser(ctx, company, { email: uniqueEmail(), role: 'Manager', password: 'password-123' });
    const results = await Promise.all(
      [company.managerId, second.id].map((id) => ctx.inject({ method: 'DELETE', url: `${USERS}/${id}`, headers: company.headers })),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
    assert.equal((await managers(ctx, company.id)).length, 1);
  });

  it('answers 404 for an unknown, malformed or other company’s user and deletes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany();
    const b = await ctx.createCompany();
    const other = await createUser(ctx, b, { email: uniqueEmail(), role: 'User', password: 'password-123' });
    for (const id of [UNKNOWN_ID, 'x', other.id, b.managerId]) {
      const res = await ctx.inject({ method: 'DELETE', url: `${USERS}/${id}`, headers: a.headers });
      assert.equal(res.statusCode, 404, id);
      assert.deepEqual(res.json(), NOT_FOUND);
    }
    assert.ok(await userRow(ctx, other.id));
    assert.ok(await userRow(ctx, b.managerId));
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const user = await createUser(ctx, company, { email: uniqueEmail(), role: 'User', password: 'password-123' });
    await assertRequiresApiKey(ctx, { method: 'DELETE', url: `${USERS}/${user.id}` });
    assert.ok(await userRow(ctx, user.id));
  });
});

describe('POST /users/change-password', () => {
  it('changes the password: the old one stops working, the new one works', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const res = await ctx.inject({
      method: 'POST',
      url: `${USERS}/change-password`,
      headers: company.headers,
      payload: { email: company.managerEmail.toUpperCase(), old_password: 'manager-password-1', new_password: 'brand-new-password' },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { message: 'Your password has been changed.' });
    assert.equal(await passwordWorks(ctx, company.managerEmail, 'brand-new-password'), true);
    assert.equal(await passwordWorks(ctx, company.managerEmail, 'manager-password-1'), false);
  });

  it('refuses a wrong old password with 400 and keeps the password', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const invited = await createUser(ctx, company, { email: uniqueEmail(), role: 'User' });
    for (const [email, old] of [
      [company.managerEmail, 'wrong-password'],
      [invited.email, ''],
    ] as const) {
      const res = await ctx.inject({
        method: 'POST',
        url: `${USERS}/change-password`,
        headers: company.headers,
        payload: { email, old_password: old, new_password: 'brand-new-password' },
      });
      assert.equal(res.statusCode, 400, email);
      assert.deepEqual(res.json(), { message: 'Old password is incorrect.' });
    }
    assert.equal(await passwordWorks(ctx, company.managerEmail, 'manager-password-1'), true);
    assert.equal((await userRow(ctx, invited.id))!.password_hash, null);
  });

  it('answers 404 for an unknown email or another company’s user, whose password stays', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany();
    const b = await ctx.createCompany();
    for (const email of ['nobody@example.com', b.managerEmail]) {
      const res = await ctx.inject({
        method: 'POST',
        url: `${USERS}/change-password`,
        headers: a.headers,
        payload: { email, old_password: 'manager-password-1', new_password: 'stolen-password' },
      });
      assert.equal(res.statusCode, 404, email);
      assert.deepEqual(res.json(), NOT_FOUND);
    }
    assert.equal(await passwordWorks(ctx, b.managerEmail, 'manager-password-1'), true);
  });

  it('validates the body', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const res = await ctx.inject({
      method: 'POST',
      url: `${USERS}/change-password`,
      headers: company.headers,
      payload: { email: company.managerEmail, new_password: 'short' },
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      validation_error: {
        body_params: [
          { loc: ['old_password'], msg: 'field required', type: 'value_error.missing' },
          { loc: ['new_password'], msg: 'ensure this value has at least 8 characters', type: 'value_error.any_str.min_length' },
        ],
      },
    });
    assert.equal(await passwordWorks(ctx, company.managerEmail, 'manager-password-1'), true);
  });

  it('cancels reset links still in the mailbox', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    await ctx.inject({
      method: 'POST',
      url: `${USERS}/reset-password`,
      headers: company.headers,
      payload: { email: company.managerEmail },
    });
    const token = tokenFromLink(ctx, (await outbox(ctx, 'kind=password_reset'))[0]!.text, 'reset-password');
    await ctx.inject({
      method: 'POST',
      url: `${USERS}/change-password`,
      headers: company.headers,
      payload: { email: company.managerEmail, old_password: 'manager-password-1', new_password: 'brand-new-password' },
    });
    assert.deepEqual(await ctx.app.services.users.checkToken('reset', token), { state: 'used', email: null });
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    await assertRequiresApiKey(ctx, {
      method: 'POST',
      url: `${USERS}/change-password`,
      payload: { email: company.managerEmail, old_password: 'manager-password-1', new_password: 'brand-new-password' },
    });
    assert.equal(await passwordWorks(ctx, company.managerEmail, 'manager-password-1'), true);
  });
});

describe('POST /users/reset-password', () => {
  it('emails a single-use reset link valid one hour', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const res = await ctx.inject({
      method: 'POST',
      url: `${USERS}/reset-password`,
      headers: company.headers,
      payload: { email: company.managerEmail.toUpperCase() },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { message: 'Send reset password email successfully.' });
    const mails = await outbox(ctx, `to=${company.managerEmail}`);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.kind, 'password_reset');
    assert.equal(mails[0]!.company_id, company.id);
    assert.equal(mails[0]!.subject, 'Reset your casa-integrate password');
    const token = tokenFromLink(ctx, mails[0]!.text, 'reset-password');
    assert.equal(tokenFromLink(ctx, mails[0]!.html, 'reset-password'), token);
    assert.deepEqual(await ctx.app.services.users.checkToken('reset', token), { state: 'valid', email: company.managerEmail });
    assert.equal(await passwordWorks(ctx, company.managerEmail, 'manager-password-1'), true, 'asking for a link changes no password');
    const row = await ctx.storage.db
      .selectFrom('user_tokens')
      .selectAll()
      .where('user_id', '=', company.managerId)
      .executeTakeFirstOrThrow();
    assert.equal(row.expires_at - row.created_at, 3600 * 1e6);
  });

  it('a new reset link kills the older ones', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    for (let i = 0; i < 2; i++) {
      const res = await ctx.inject({
        method: 'POST',
        url: `${USERS}/reset-password`,
        headers: company.headers,
        payload: { email: company.managerEmail },
      });
      assert.equal(res.statusCode, 200);
    }
    const [newer, older] = (await outbox(ctx, 'kind=password_reset')).map((m) => tokenFromLink(ctx, m.text, 'reset-password'));
    assert.notEqual(newer, older);
    assert.deepEqual(await ctx.app.services.users.checkToken('reset', older!), { state: 'used', email: null });
    assert.deepEqual(await ctx.app.services.users.resetPasswordWithToken(older!, 'attacker-password'), { ok: false, state: 'used' });
    assert.deepEqual(await ctx.app.services.users.checkToken('reset', newer!), { state: 'valid', email: company.managerEmail });
    assert.equal(await passwordWorks(ctx, company.managerEmail, 'manager-password-1'), true);
  });

  it('answers 404 for an unknown email or another company’s user and sends nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const a = await ctx.createCompany();
    const b = await ctx.createCompany();
    for (const email of ['nobody@example.com', b.managerEmail]) {
      const res = await ctx.inject({ method: 'POST', url: `${USERS}/reset-password`, headers: a.headers, payload: { email } });
      assert.equal(res.statusCode, 404, email);
      assert.deepEqual(res.json(), NOT_FOUND);
    }
    assert.deepEqual(await outbox(ctx), []);
  });

  it('validates the body', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const bad = await ctx.inject({ method: 'POST', url: `${USERS}/reset-password`, headers: company.headers, payload: { email: 'nope' } });
    assert.deepEqual(bad.json(), {
      validation_error: { body_params: [{ loc: ['email'], msg: 'value is not a valid email address', type: 'value_error.email' }] },
    });
    const missing = await ctx.inject({ method: 'POST', url: `${USERS}/reset-password`, headers: company.headers, payload: {} });
    assert.deepEqual(missing.json(), {
      validation_error: { body_params: [{ loc: ['email'], msg: 'field required', type: 'value_error.missing' }] },
    });
    assert.deepEqual(await outbox(ctx), []);
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    await assertRequiresApiKey(ctx, { method: 'POST', url: `${USERS}/reset-password`, payload: { email: company.managerEmail } });
    assert.deepEqual(await outbox(ctx), []);
  });
});
