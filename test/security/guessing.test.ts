// Guessing protection: ten failed tries on a token page or on change-password from one address,
// then 429 with Retry-After even for the right secret; other addresses are not affected.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.js';
import { MAX_FAILURES } from '../../src/http/plugins/guessing-guard.js';

const USERS = '/api/integrate/v3/users';

describe('guessing protection', () => {
  it('token pages: after ten unknown tokens from one address the page answers 429, even for a real link', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    assert.equal(
      (
        await ctx.inject({
          method: 'POST',
          url: `${USERS}/reset-password`,
          headers: company.headers,
          payload: { email: company.managerEmail },
        })
      ).statusCode,
      200,
    );
    const mail = (await ctx.inject({ method: 'GET', url: '/admin/v1/emails?kind=password_reset', headers: ctx.adminHeaders })).json()
      .items[0];
    const token = /\/reset-password\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;

    for (let i = 0; i < MAX_FAILURES; i++) {
      const res = await ctx.inject({
        method: 'GET',
        url: `/reset-password/guess${i}aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
        remoteAddress: '203.0.113.7',
      });
      assert.ok(
        res.statusCode >= 400 && res.statusCode < 500 && res.statusCode !== 429,
        `try ${i}: ${res.statusCode} ${res.body.slice(0, 200)}`,
      );
    }
    const blocked = await ctx.inject({ method: 'GET', url: `/reset-password/${token}`, remoteAddress: '203.0.113.7' });
    assert.equal(blocked.statusCode, 429);
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    assert.equal(
      (await ctx.inject({ method: 'GET', url: `/reset-password/${token}`, remoteAddress: '203.0.113.8' })).statusCode,
      200,
      'another address still gets the page',
    );
    assert.equal(
      (await ctx.inject({ method: 'GET', url: `/invite/${token}`, remoteAddress: '203.0.113.7' })).statusCode !== 429,
      true,
      'other pages count apart',
    );
  });

  it('change-password: after ten wrong old passwords the right one is refused with 429 and the password is unchanged', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const change = (old: string, remoteAddress = '198.51.100.4') =>
      ctx.inject({
        method: 'POST',
        url: `${USERS}/change-password`,
        headers: company.headers,
        remoteAddress,
        payload: { email: company.managerEmail, old_password: old, new_password: 'a-brand-new-password' },
      });
    for (let i = 0; i < MAX_FAILURES; i++) {
      const res = await change(`wrong-password-${i}`);
      assert.ok(res.statusCode >= 400 && res.statusCode < 500 && res.statusCode !== 429, `try ${i}: ${res.statusCode} ${res.body}`);
    }
    const blocked = await change('manager-password-1');
    assert.equal(blocked.statusCode, 429);
    assert.deepEqual(blocked.json(), { message: 'Too many requests; slow down and retry later.' });
    const login = await ctx.inject({
      method: 'POST',
      url: `${USERS}/change-password`,
      headers: company.headers,
      remoteAddress: '198.51.100.5',
      payload: { email: company.managerEmail, old_password: 'manager-password-1', new_password: 'a-brand-new-password' },
    });
    assert.equal(login.statusCode, 200, `the old password was still in force, from another address: ${login.body}`);
  });
});
