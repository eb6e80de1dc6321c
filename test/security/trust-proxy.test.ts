// Who the client is: the socket's address, unless CASA_TRUST_PROXY names the proxy in front. A client
// that rotates X-Forwarded-For is still throttled by its real address on every guessing guard
// (console sign-in, token pages, change-password); behind a trusted proxy the header is the client.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { csrfFrom } from '../console/console-helpers.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createFailureCounter } from '../../src/domain/failure-counter.js';
import { consoleSessionsFactory, MAX_TRACKED_CLIENTS } from '../../src/services/console/console-sessions.js';
import { ManualClock } from '../../src/domain/clock.js';

const USERS = '/api/integrate/v3/users';
// light-my-request's socket address, i.e. the proxy's when one is trusted.
const SOCKET = '127.0.0.1';
const TRIES = 30;

async function consoleSignIn(ctx: TestApp) {
  const csrf = csrfFrom((await ctx.inject({ method: 'GET', url: '/console/sign-in' })).body);
  return (secret: string, forwardedFor: string) =>
    ctx.inject({
      method: 'POST',
      url: '/console/sign-in',
      headers: { cookie: `casa_csrf=${csrf}`, 'x-forwarded-for': forwardedFor },
      payload: { csrf_token: csrf, secret, next: '/console/orders' },
    });
}

const rotating = (i: number) => `198.51.100.${i + 1}`;

describe('CASA_TRUST_PROXY', () => {
  it('is off by default; takes true, a hop count, or addresses/CIDRs; refuses anything else in one line', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ CASA_TRUST_PROXY: 'false' }).trustProxy, false);
    assert.equal(loadConfig({ CASA_TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ CASA_TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ CASA_TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1,fd00::/8,loopback,10.1.0.0/255.255.0.0' }).trustProxy, [
      '10.0.0.1',
      '192.168.0.0/16',
      '::1',
      'fd00::/8',
      'loopback',
      '10.1.0.0/255.255.0.0',
    ]);
    for (const bad of ['proxy.example', '10.0.0.1/33', '10.0.0.300', '10.0.0.1,', 'fd00::/129', '10.0.0.0/8/8', '-1']) {
      assert.throws(
        () => loadConfig({ CASA_TRUST_PROXY: bad }),
        (err: Error) => err instanceof ConfigError && /^CASA_TRUST_PROXY must be/.test(err.message) && !err.message.includes('\n'),
        bad,
      );
    }
  });
});

describe('console sign-in throttling by the real address', () => {
  it('untrusted X-Forwarded-For: 30 wrong sign-ins with a rotating header are throttled, and the right key waits too', async (t) => {
    const ctx = await buildTestApp(t);
    const attempt = await consoleSignIn(ctx);
    const statuses = [];
    for (let i = 0; i < TRIES; i++) statuses.push((await attempt(`wrong-${i}`, rotating(i))).statusCode);
    assert.deepEqual(statuses, [...Array(10).fill(401), ...Array(TRIES - 10).fill(429)]);
    const right = await attempt(ctx.adminKey, rotating(TRIES));
    assert.equal(right.statusCode, 429, 'the real address is throttled whatever the header says');
    assert.doesNotMatch(String(right.headers['set-cookie'] ?? ''), /casa_console=/);
  });

  for (const trustProxy of [[SOCKET], 1]) {
    it(`with CASA_TRUST_PROXY=${trustProxy} (the proxy in front), the header is the client: each address counts apart`, async (t) => {
      const ctx = await buildTestApp(t, { trustProxy });
      const signIn = await consoleSignIn(ctx);
      // A client's own X-Forwarded-For comes before the proxy's entry: only the proxy's is believed.
      const attempt = (secret: string, client: string) => signIn(secret, `192.0.2.66, ${client}`);
      for (let i = 0; i < TRIES; i++) assert.equal((await attempt(`wrong-${i}`, rotating(i))).statusCode, 401, `try ${i}`);
      assert.equal((await attempt(ctx.adminKey, rotating(TRIES))).statusCode, 303);
      // One client behind the proxy, guessing: throttled by its forwarded address, others not.
      for (let i = 0; i < 10; i++) assert.equal((await attempt(`wrong-${i}`, '203.0.113.50')).statusCode, 401);
      assert.equal((await attempt(ctx.adminKey, '203.0.113.50')).statusCode, 429);
      assert.equal((await attempt(ctx.adminKey, '203.0.113.51')).statusCode, 303);
    });
  }

  it('a proxy that is not the one named is not believed', async (t) => {
    const ctx = await buildTestApp(t, { trustProxy: ['10.9.9.9'] });
    const attempt = await consoleSignIn(ctx);
    for (let i = 0; i < 10; i++) assert.equal((await attempt(`wrong-${i}`, rotating(i))).statusCode, 401);
    assert.equal((await attempt(ctx.adminKey, rotating(99))).statusCode, 429);
  });

  it('remembers failures of at most MAX_TRACKED_CLIENTS addresses, forgetting the oldest first', async () => {
    const sessions = consoleSessionsFactory({
      db: null as never, // never reached: every sign-in here fails before a session is written
      clock: new ManualClock(),
      config: { consolePassword: null } as never,
      adminKeyHash: 'f'.repeat(64),
    });
    for (let i = 0; i < 10; i++) assert.deepEqual(await sessions.signIn(`wrong-${i}`, 'first'), { ok: false, reason: 'wrong' });
    assert.deepEqual(await sessions.signIn('wrong', 'first'), { ok: false, reason: 'throttled' });
    for (let i = 0; i < MAX_TRACKED_CLIENTS * 2; i++) await sessions.signIn('wrong', `client-${i}`);
    assert.equal(sessions.trackedClients, MAX_TRACKED_CLIENTS);
    assert.deepEqual(await sessions.signIn('wrong', 'first'), { ok: false, reason: 'wrong' }, 'the oldest was forgotten');
    assert.deepEqual(await sessions.signIn('wrong', `client-${MAX_TRACKED_CLIENTS * 2 - 1}`), { ok: false, reason: 'wrong' });
  });
});

describe('failure counter', () => {
  it('holds at most maxTracked keys and forgets the one whose last failure is the oldest', () => {
    const counter = createFailureCounter({ windowMs: 1000, maxFailures: 2, maxTracked: 3 });
    counter.record('a', 1);
    counter.record('b', 2);
    counter.record('c', 3);
    counter.record('a', 4); // a is now the newest
    counter.record('d', 5); // b goes
    assert.equal(counter.size, 3);
    assert.deepEqual(counter.recent('b', 6), []);
    assert.deepEqual(counter.recent('a', 6), [1, 4]);
    assert.equal(counter.throttled('a', 6), true);
    assert.equal(counter.throttled('a', 1002), false, 'the first failure left the window');
    counter.record('a', 1003);
    counter.record('a', 1004);
    assert.deepEqual(counter.recent('a', 1005), [1003, 1004], 'only the last maxFailures are kept');
    assert.deepEqual(counter.recent('c', 1005), [], 'expired');
  });
});

describe('token pages and change-password: throttled by the real address', () => {
  for (const trusted of [false, true]) {
    it(`rotating X-Forwarded-For ${trusted ? 'from a trusted proxy: each address counts apart' : 'from an untrusted client: 429'}`, async (t) => {
      const ctx = await buildTestApp(t, trusted ? { trustProxy: [SOCKET] } : {});
      const company = await ctx.createCompany();
      const expected = (i: number) => (trusted || i < 10 ? 'refused' : 429);
      for (let i = 0; i < TRIES; i++) {
        const page = await ctx.inject({
          method: 'GET',
          url: `/reset-password/guess${i}aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
          headers: { 'x-forwarded-for': rotating(i) },
        });
        const change = await ctx.inject({
          method: 'POST',
          url: `${USERS}/change-password`,
          headers: { ...company.headers, 'x-forwarded-for': rotating(i) },
          payload: { email: company.managerEmail, old_password: `wrong-password-${i}`, new_password: 'a-brand-new-password' },
        });
        for (const res of [page, change]) {
          const seen = res.statusCode === 429 ? 429 : res.statusCode >= 400 && res.statusCode < 500 ? 'refused' : res.statusCode;
          assert.equal(seen, expected(i), `try ${i}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
      }
    });
  }
});
