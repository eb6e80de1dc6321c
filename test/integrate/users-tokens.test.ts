// The links behind the invitation and reset emails, at service level (the web pages come later).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RequestValidationError } from '../../src/errors.js';
import { buildTestApp, type TestApp, type TestCompany } from '../helpers/app.js';
import { USERS, createUser, outbox, passwordWorks, tokenFromLink, uniqueEmail, userRow } from '../helpers/users.js';

const DAY = 24 * 3600;

async function invite(ctx: TestApp, company: TestCompany) {
  const email = uniqueEmail('invitee');
  const user = await createUser(ctx, company, { email, role: 'User' });
  const token = tokenFromLink(ctx, (await outbox(ctx, `to=${email}&kind=invitation`))[0]!.text, 'invite');
  return { ...user, token };
}

async function requestReset(ctx: TestApp, company: TestCompany, email: string): Promise<string> {
  const res = await ctx.inject({ method: 'POST', url: `${USERS}/reset-password`, headers: company.headers, payload: { email } });
  assert.equal(res.statusCode, 200);
  return tokenFromLink(ctx, (await outbox(ctx, `to=${email}&kind=password_reset`))[0]!.text, 'reset-password');
}

function tamper(token: string): string {
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return token.slice(0, -1) + last;
}

describe('invitation links', () => {
  it('accepting sets the password, confirms the email and kills the link', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const users = ctx.app.services.users;
    const invited = await invite(ctx, company);
    assert.deepEqual(await users.checkToken('invite', invited.token), { state: 'valid', email: invited.email });

    assert.deepEqual(await users.acceptInvitation(invited.token, 'my-chosen-password'), { ok: true, email: invited.email });
    const row = await userRow(ctx, invited.id);
    assert.equal(row!.email_confirmed, 1);
    assert.equal(await passwordWorks(ctx, invited.email, 'my-chosen-password'), true);
    const listed = (await ctx.inject({ method: 'GET', url: `${USERS}/${invited.email}`, headers: company.headers })).json();
    assert.equal(listed.email_confirmed, true);

    assert.deepEqual(await users.checkToken('invite', invited.token), { state: 'used', email: null });
    assert.deepEqual(await users.acceptInvitation(invited.token, 'second-password'), { ok: false, state: 'used' });
    assert.equal(await passwordWorks(ctx, invited.email, 'my-chosen-password'), true, 'a used link changes nothing');
  });

  it('expires after 7 days; an expired link changes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const users = ctx.app.services.users;
    const invited = await invite(ctx, company);
    ctx.clock.advanceSeconds(7 * DAY - 60);
    assert.equal((await users.checkToken('invite', invited.token)).state, 'valid');
    ctx.clock.advanceSeconds(61);
    assert.deepEqual(await users.checkToken('invite', invited.token), { state: 'expired', email: null });
    assert.deepEqual(await users.acceptInvitation(invited.token, 'too-late-password'), { ok: false, state: 'expired' });
    const row = await userRow(ctx, invited.id);
    assert.equal(row!.password_hash, null);
    assert.equal(row!.email_confirmed, 0);
  });

  it('a tampered, malformed or wrong-kind token is unknown and changes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const users = ctx.app.services.users;
    const invited = await invite(ctx, company);
    for (const token of [tamper(invited.token), invited.token.slice(1), '', 'x'.repeat(500), '../../etc/passwd', `${invited.token}%00`]) {
      assert.deepEqual(await users.checkToken('invite', token), { state: 'unknown', email: null }, token);
      assert.deepEqual(await users.acceptInvitation(token, 'hijack-password'), { ok: false, state: 'unknown' }, token);
    }
    assert.deepEqual(
      await users.checkToken('reset', invited.token),
      { state: 'unknown', email: null },
      'an invitation is not a reset link',
    );
    assert.deepEqual(await users.resetPasswordWithToken(invited.token, 'hijack-password'), { ok: false, state: 'unknown' });
    assert.equal((await userRow(ctx, invited.id))!.password_hash, null);
    assert.equal((await users.checkToken('invite', invited.token)).state, 'valid', 'the real link still works');
  });

  it('refuses a password outside 8–128 characters and leaves the link usable', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const users = ctx.app.services.users;
    const invited = await invite(ctx, company);
    for (const [password, msg] of [
      ['short', 'ensure this value has at least 8 characters'],
      ['x'.repeat(129), 'ensure this value has at most 128 characters'],
    ] as const) {
      await assert.rejects(users.acceptInvitation(invited.token, password), (err: unknown) => {
        assert.ok(err instanceof RequestValidationError);
        assert.deepEqual(
          err.entries.map((e) => [e.loc, e.msg]),
          [[['password'], msg]],
        );
        return true;
      });
    }
    assert.equal((await users.checkToken('invite', invited.token)).state, 'valid');
  });

  it('two simultaneous redemptions of one link: exactly one wins', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const users = ctx.app.services.users;
    const invited = await invite(ctx, company);
    const results = await Promise.all([
      users.acceptInvitation(invited.token, 'first-password'),
      users.acceptInvitation(invited.token, 'second-password'),
    ]);
    assert.deepEqual(results.map((r) => r.ok).sort(), [false, true]);
    const winner = results[0]!.ok ? 'first-password' : 'second-password';
    assert.equal(await passwordWorks(ctx, invited.email, winner), true);
  });
});

describe('password reset links', () => {
  it('resetting sets the new password, kills the link, and the old password stops working', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const users = ctx.app.services.users;
    const token = await requestReset(ctx, company, company.managerEmail);
    assert.deepEqual(await users.resetPasswordWithToken(token, 'recovered-password'), { ok: true, email: company.managerEmail });
    assert.equal(await passwordWorks(ctx, company.managerEmail, 'recovered-password'), true);
    assert.equal(await passwordWorks(ctx, company.managerEmail, 'manager-password-1'), false);
    assert.deepEqual(await users.resetPasswordWithToken(token, 'again-password'), { ok: false, state: 'used' });
    assert.equal(await passwordWorks(ctx, company.managerEmail, 'recovered-password'), true);
  });

  it('expires after one hour; an expired link changes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const users = ctx.app.services.users;
    const token = await requestReset(ctx, company, company.managerEmail);
    ctx.clock.advanceSeconds(3599);
    assert.equal((await users.checkToken('reset', token)).state, 'valid');
    ctx.clock.advanceSeconds(2);
    assert.deepEqual(await users.checkToken('reset', token), { state: 'expired', email: null });
    assert.deepEqual(await users.resetPasswordWithToken(token, 'too-late-password'), { ok: false, state: 'expired' });
    assert.equal(await passwordWorks(ctx, company.managerEmail, 'manager-password-1'), true);
  });

  it('a tampered token changes nothing', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const users = ctx.app.services.users;
    const token = await requestReset(ctx, company, company.managerEmail);
    assert.deepEqual(await users.resetPasswordWithToken(tamper(token), 'hijack-password'), { ok: false, state: 'unknown' });
    assert.deepEqual(await users.checkToken('invite', token), { state: 'unknown', email: null });
    assert.equal(await passwordWorks(ctx, company.managerEmail, 'manager-password-1'), true);
    assert.equal((await users.checkToken('reset', token)).state, 'valid');
  });

  it('a reset finishes a pending invitation too: email confirmed, invitation link dead', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const users = ctx.app.services.users;
    const invited = await invite(ctx, company);
    const token = await requestReset(ctx, company, invited.email);
    assert.equal((await users.resetPasswordWithToken(token, 'reset-password-1')).ok, true);
    assert.equal((await userRow(ctx, invited.id))!.email_confirmed, 1);
    assert.deepEqual(await users.checkToken('invite', invited.token), { state: 'used', email: null });
  });
});
