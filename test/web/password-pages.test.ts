// The invitation and password-reset pages, walked in headless Chromium: a person opens the emailed
// link, sets a password, and the API accepts it; used, expired, replaced and tampered links show
// their own page and change nothing; the forms refuse a POST without the CSRF cookie.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp, type TestCompany } from '../helpers/app.js';
import {
  assertAccessible,
  launchBrowser,
  openPage,
  screenshot,
  seriousAccessibilityViolations,
  serve,
  type WatchedPage,
} from '../helpers/browser.js';
import { USERS, createUser, outbox, passwordWorks, tokenFromLink, uniqueEmail, userRow } from '../helpers/users.js';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

interface Setup {
  ctx: TestApp;
  origin: string;
  company: TestCompany;
}

async function setup(t: Parameters<typeof buildTestApp>[0]): Promise<Setup> {
  const ctx = await buildTestApp(t);
  const origin = await serve(ctx);
  return { ctx, origin, company: await ctx.createCompany('Acme Realty') };
}

async function invite(s: Setup, email = uniqueEmail('invited')) {
  const user = await createUser(s.ctx, s.company, { email, role: 'User' });
  const mail = (await outbox(s.ctx)).find((m) => m.to === email && m.kind === 'invitation');
  assert.ok(mail, 'an invitation email');
  return { ...user, token: tokenFromLink(s.ctx, mail.text, 'invite') };
}

async function requestReset(s: Setup, email: string): Promise<string> {
  const res = await s.ctx.inject({ method: 'POST', url: `${USERS}/reset-password`, headers: s.company.headers, payload: { email } });
  assert.equal(res.statusCode, 200, res.body);
  const mail = (await outbox(s.ctx)).find((m) => m.to === email && m.kind === 'password_reset');
  assert.ok(mail, 'a reset email');
  return tokenFromLink(s.ctx, mail.text, 'reset-password');
}

async function fillPasswords(w: WatchedPage, password: string, confirm = password) {
  await w.page.getByLabel('New password', { exact: true }).fill(password);
  await w.page.getByLabel('Repeat the new password').fill(confirm);
}

async function withPage<T>(s: Setup, fn: (w: WatchedPage) => Promise<T>): Promise<T> {
  const w = await openPage(browser, s.origin);
  try {
    const result = await fn(w);
    assert.deepEqual(w.problems, [], 'no off-origin request, CSP violation or script error');
    return result;
  } finally {
    await w.close();
  }
}

describe('GET /invite/{token}', () => {
  test('a new user sets a password, is confirmed, and changes it through the API with the new one', async (t) => {
    const s = await setup(t);
    const user = await invite(s);
    await withPage(s, async (w) => {
      const res = await w.page.goto(`/invite/${user.token}`);
      assert.equal(res?.status(), 200);
      assert.equal(res?.headers()['cache-control'], 'no-store');
      assert.equal(await w.page.getByRole('heading', { level: 1 }).textContent(), 'Set your password');
      assert.equal(await w.page.getByLabel('Email').inputValue(), user.email);
      assert.match((await w.page.locator('#password-rules').textContent()) ?? '', /Between 8 and 128 characters/);
      await assertAccessible(w.page);
      await screenshot(w.page, 'invite-form');

      await fillPasswords(w, 'correct horse battery');
      await w.page.getByRole('button', { name: 'Set password' }).click();
      await w.page.getByRole('heading', { name: 'Your password is set' }).waitFor();
      assert.match((await w.page.locator('.notice').textContent()) ?? '', new RegExp(user.email.replace(/[.]/g, '\\.')));
      await assertAccessible(w.page);
      await screenshot(w.page, 'invite-done');

      // The link is used up: opening it again says so.
      const again = await w.page.goto(`/invite/${user.token}`);
      assert.equal(again?.status(), 410);
      assert.equal(await w.page.getByRole('heading', { level: 1 }).textContent(), 'This invitation was already used');
      await screenshot(w.page, 'invite-used');
    });

    const read = await s.ctx.inject({ method: 'GET', url: `${USERS}/${user.email}`, headers: s.company.headers });
    assert.equal(read.json().email_confirmed, true);
    const change = await s.ctx.inject({
      method: 'POST',
      url: `${USERS}/change-password`,
      headers: s.company.headers,
      payload: { email: user.email, old_password: 'correct horse battery', new_password: 'another good password' },
    });
    assert.equal(change.statusCode, 200, change.body);
    assert.deepEqual(change.json(), { message: 'Your password has been changed.' });
    assert.equal(await passwordWorks(s.ctx, user.email, 'another good password'), true);
  });

  test('mismatched and too short passwords are refused with a message; nothing changes', async (t) => {
    const s = await setup(t);
    const user = await invite(s);
    await withPage(s, async (w) => {
      await w.page.goto(`/invite/${user.token}`);
      await fillPasswords(w, 'correct horse battery', 'correct horse batterx');
      assert.equal(await w.page.locator('#confirm-hint').textContent(), 'The passwords do not match yet.');
      await w.page.getByRole('button', { name: 'Set password' }).click();
      await w.page.getByRole('alert').waitFor();
      assert.equal(await w.page.getByRole('alert').textContent(), 'The two passwords do not match.');
      await assertAccessible(w.page);
      await screenshot(w.page, 'invite-mismatch');

      await fillPasswords(w, 'short');
      await w.page.getByRole('button', { name: 'Set password' }).click();
      await w.page.getByText('The password must have at least 8 characters.').waitFor();
    });
    const row = await userRow(s.ctx, user.id);
    assert.equal(row?.password_hash, null);
    assert.equal(row?.email_confirmed, 0);
    // The link still works after the refusals.
    const page = await s.ctx.inject({ method: 'GET', url: `/invite/${user.token}` });
    assert.equal(page.statusCode, 200);
  });

  test('an expired invitation shows its page, and a POST to it changes nothing', async (t) => {
    const s = await setup(t);
    const user = await invite(s);
    s.ctx.clock.advanceSeconds(7 * 24 * 3600 + 1);
    await withPage(s, async (w) => {
      const res = await w.page.goto(`/invite/${user.token}`);
      assert.equal(res?.status(), 410);
      assert.equal(await w.page.getByRole('heading', { level: 1 }).textContent(), 'This invitation has expired');
      await assertAccessible(w.page);
      await screenshot(w.page, 'invite-expired');
    });
    const post = await s.ctx.inject({
      method: 'POST',
      url: `/invite/${user.token}`,
      payload: { password: 'correct horse battery', password_confirm: 'correct horse battery' },
    });
    assert.equal(post.statusCode, 410);
    assert.match(post.headers['content-type'] as string, /^text\/html/);
    assert.equal((await userRow(s.ctx, user.id))?.password_hash, null);
  });

  test('a tampered or unknown link shows "not valid" and changes nothing', async (t) => {
    const s = await setup(t);
    const user = await invite(s);
    const tampered = user.token.slice(0, -1) + (user.token.endsWith('A') ? 'B' : 'A');
    await withPage(s, async (w) => {
      for (const token of [tampered, 'not-a-token', user.token.slice(0, 20)]) {
        const res = await w.page.goto(`/invite/${token}`);
        assert.equal(res?.status(), 404);
        assert.equal(await w.page.getByRole('heading', { level: 1 }).textContent(), 'This link is not valid');
      }
      await assertAccessible(w.page);
      await screenshot(w.page, 'invite-tampered');
    });
    const post = await s.ctx.inject({
      method: 'POST',
      url: `/invite/${tampered}`,
      payload: { password: 'correct horse battery', password_confirm: 'correct horse battery' },
    });
    assert.equal(post.statusCode, 404);
    assert.equal((await userRow(s.ctx, user.id))?.password_hash, null);
    assert.equal((await s.ctx.inject({ method: 'GET', url: `/invite/${user.token}` })).statusCode, 200, 'the real link still works');
  });

  test('a POST without the CSRF cookie, or with a token that does not match it, is refused and changes nothing', async (t) => {
    const s = await setup(t);
    const user = await invite(s);
    const form = await s.ctx.inject({ method: 'GET', url: `/invite/${user.token}` });
    const cookie = String(form.headers['set-cookie']).split(';')[0]!;
    assert.match(String(form.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
    const field = /name="csrf_token" value="([^"]+)"/.exec(form.body)![1]!;
    assert.equal(cookie, `casa_csrf=${field}`);
    const body = { password: 'correct horse battery', password_confirm: 'correct horse battery' };
    const attempts = [
      { headers: {}, payload: { ...body, csrf_token: field } },
      { headers: { cookie }, payload: body },
      { headers: { cookie }, payload: { ...body, csrf_token: 'x'.repeat(43) } },
    ];
    for (const a of attempts) {
      const res = await s.ctx.inject({ method: 'POST', url: `/invite/${user.token}`, headers: a.headers, payload: a.payload });
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /This form has expired/);
    }
    assert.equal((await userRow(s.ctx, user.id))?.password_hash, null);
    const good = await s.ctx.inject({
      method: 'POST',
      url: `/invite/${user.token}`,
      headers: { cookie },
      payload: { ...body, csrf_token: field },
    });
    assert.equal(good.statusCode, 200);
    assert.equal(await passwordWorks(s.ctx, user.email, 'correct horse battery'), true);
  });
});

describe('GET /reset-password/{token}', () => {
  test('a user resets a forgotten password; the old one stops working', async (t) => {
    const s = await setup(t);
    const email = uniqueEmail('forgetful');
    await createUser(s.ctx, s.company, { email, role: 'User', password: 'old password 1' });
    const token = await requestReset(s, email);
    await withPage(s, async (w) => {
      const res = await w.page.goto(`/reset-password/${token}`);
      assert.equal(res?.status(), 200);
      assert.equal(await w.page.getByRole('heading', { level: 1 }).textContent(), 'Choose a new password');
      await assertAccessible(w.page);
      await screenshot(w.page, 'reset-form');
      await fillPasswords(w, 'brand new password');
      await w.page.getByRole('button', { name: 'Change password' }).click();
      await w.page.getByRole('heading', { name: 'Your password was changed' }).waitFor();
      await assertAccessible(w.page);
      await screenshot(w.page, 'reset-done');
      const again = await w.page.goto(`/reset-password/${token}`);
      assert.equal(again?.status(), 410);
      assert.equal(await w.page.getByRole('heading', { level: 1 }).textContent(), 'This reset link can no longer be used');
    });
    assert.equal(await passwordWorks(s.ctx, email, 'brand new password'), true);
    assert.equal(await passwordWorks(s.ctx, email, 'old password 1'), false);
    const change = await s.ctx.inject({
      method: 'POST',
      url: `${USERS}/change-password`,
      headers: s.company.headers,
      payload: { email, old_password: 'brand new password', new_password: 'third password!' },
    });
    assert.equal(change.statusCode, 200, change.body);
  });

  test('an older link dies when a newer one is sent; a link dies after one hour', async (t) => {
    const s = await setup(t);
    const email = uniqueEmail('reset');
    await createUser(s.ctx, s.company, { email, role: 'User', password: 'old password 1' });
    const first = await requestReset(s, email);
    const second = await requestReset(s, email);
    assert.notEqual(first, second);
    await withPage(s, async (w) => {
      const replaced = await w.page.goto(`/reset-password/${first}`);
      assert.equal(replaced?.status(), 410);
      assert.equal(await w.page.getByRole('heading', { level: 1 }).textContent(), 'This reset link can no longer be used');
      await assertAccessible(w.page);
      await screenshot(w.page, 'reset-replaced');

      s.ctx.clock.advanceSeconds(3600);
      const expired = await w.page.goto(`/reset-password/${second}`);
      assert.equal(expired?.status(), 410);
      assert.equal(await w.page.getByRole('heading', { level: 1 }).textContent(), 'This reset link has expired');
      await screenshot(w.page, 'reset-expired');
    });
    for (const token of [first, second]) {
      const post = await s.ctx.inject({
        method: 'POST',
        url: `/reset-password/${token}`,
        payload: { password: 'brand new password', password_confirm: 'brand new password' },
      });
      assert.equal(post.statusCode, 410);
    }
    assert.equal(await passwordWorks(s.ctx, email, 'old password 1'), true);
  });

  test('an invitation link does not open the reset page, nor a reset link the invitation page', async (t) => {
    const s = await setup(t);
    const user = await invite(s);
    assert.equal((await s.ctx.inject({ method: 'GET', url: `/reset-password/${user.token}` })).statusCode, 404);
    const email = uniqueEmail('reset');
    await createUser(s.ctx, s.company, { email, role: 'User', password: 'old password 1' });
    const reset = await requestReset(s, email);
    assert.equal((await s.ctx.inject({ method: 'GET', url: `/invite/${reset}` })).statusCode, 404);
  });
});

describe('the accessibility check itself', () => {
  test('axe reports a serious violation when the page has one', async (t) => {
    const s = await setup(t);
    await withPage(s, async (w) => {
      await w.page.goto('/invite/unknown-token-aaaaaaaaaaaaaaaaaaaa');
      assert.deepEqual(await seriousAccessibilityViolations(w.page), []);
      await w.page.evaluate(() => {
        const img = document.createElement('img');
        img.src = 'data:,';
        document.querySelector('main')!.append(img);
      });
      assert.deepEqual(
        (await seriousAccessibilityViolations(w.page)).map((v) => v.id),
        ['image-alt'],
      );
    });
  });
});
