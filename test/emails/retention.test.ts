// The email outbox keeps invitation, reset and GoToScan links: the worker deletes emails older than
// CASA_EMAIL_RETENTION_DAYS (30), sent or not, on its hourly housekeeping turn.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.js';
import { housekeepingJobs } from '../../src/workers/index.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { USERS, outbox, uniqueEmail } from '../helpers/users.js';

/** Runs the worker's email purge as its periodic runner would. */
async function runEmailPurge(ctx: TestApp): Promise<void> {
  const job = housekeepingJobs({ services: ctx.app.services, log: ctx.app.log }).find((j) => j.name === 'purging old emails');
  assert.ok(job, 'the worker runs an email purge');
  assert.ok(job.everyMs <= 3600 * 1000, 'at least hourly');
  await job.run();
}

describe('email retention (CASA_EMAIL_RETENTION_DAYS)', () => {
  it('deletes emails older than 30 days, sent or not, and keeps the newer ones', async (t) => {
    const ctx = await buildTestApp(t);
    const company = await ctx.createCompany();
    const invite = (email: string) =>
      ctx.inject({ method: 'POST', url: USERS, headers: company.headers, payload: { email, role: 'User' } });
    const old = uniqueEmail('old');
    assert.equal((await invite(old)).statusCode, 200);
    ctx.clock.advanceSeconds(10 * 86_400);
    const newer = uniqueEmail('newer');
    assert.equal((await invite(newer)).statusCode, 200);
    assert.equal((await outbox(ctx)).length, 2);

    ctx.clock.advanceSeconds(20 * 86_400 - 1);
    await runEmailPurge(ctx);
    assert.deepEqual(
      (await outbox(ctx)).map((e) => e.to),
      [newer, old],
      'exactly 30 days old: kept',
    );

    ctx.clock.advanceSeconds(2);
    await runEmailPurge(ctx);
    assert.deepEqual(
      (await outbox(ctx)).map((e) => e.to),
      [newer],
    );
    const rows = await ctx.storage.db.selectFrom('emails').select('to_address').execute();
    assert.deepEqual(
      rows.map((r) => r.to_address),
      [newer],
      'the row is gone, not hidden',
    );
  });

  it('follows the setting', async (t) => {
    const ctx = await buildTestApp(t, { emailRetentionDays: 2 });
    const company = await ctx.createCompany();
    await ctx.inject({ method: 'POST', url: USERS, headers: company.headers, payload: { email: uniqueEmail(), role: 'User' } });
    ctx.clock.advanceSeconds(2 * 86_400 + 1);
    await runEmailPurge(ctx);
    assert.deepEqual(await outbox(ctx), []);
  });

  it('is validated like the other settings: a number of days, at least 1', () => {
    assert.equal(loadConfig({}).emailRetentionDays, 30);
    assert.equal(loadConfig({ CASA_EMAIL_RETENTION_DAYS: '90' }).emailRetentionDays, 90);
    for (const bad of ['0', '-1', 'a month', '30d'])
      assert.throws(() => loadConfig({ CASA_EMAIL_RETENTION_DAYS: bad }), ConfigError, `refuses "${bad}"`);
  });
});
