// Emails leave through real SMTP: a `smtp-server` sink on loopback receives what the app sends.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { buildTestApp } from '../helpers/app.js';
import { USERS, outbox, tokenFromLink, uniqueEmail } from '../helpers/users.js';

interface Received {
  envelopeTo: string[];
  mail: ParsedMail;
}

/** A local SMTP sink; `next()` resolves with the next message it receives. */
async function startSink(t: TestContext) {
  const received: Received[] = [];
  const waiters: ((r: Received) => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const item = { envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail };
          const waiter = waiters.shift();
          if (waiter) waiter(item);
          else received.push(item);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    next(): Promise<Received> {
      const ready = received.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

describe('email delivery over SMTP', () => {
  it('sends the invitation of a user created without a password', async (t) => {
    const sink = await startSink(t);
    const ctx = await buildTestApp(t, { smtpUrl: sink.url, mailFrom: 'Casa Test <casa@casa.test>' });
    const company = await ctx.createCompany('Sink Realty');
    const email = uniqueEmail('invitee');
    const res = await ctx.inject({
      method: 'POST',
      url: USERS,
      headers: company.headers,
      payload: { email, role: 'Collaborator', name: 'Grace' },
    });
    assert.equal(res.statusCode, 200);

    const { envelopeTo, mail } = await sink.next();
    assert.deepEqual(envelopeTo, [email]);
    assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.text : null, email);
    assert.deepEqual(mail.from?.value, [{ name: 'Casa Test', address: 'casa@casa.test' }]);
    assert.equal(mail.subject, 'You are invited to Sink Realty on casa-integrate');
    const token = tokenFromLink(ctx, mail.text ?? '', 'invite');
    assert.equal(tokenFromLink(ctx, String(mail.html), 'invite'), token);
    assert.match(mail.text ?? '', /^Hello Grace,/);
    assert.deepEqual(await ctx.app.services.users.checkToken('invite', token), { state: 'valid', email });

    // Sent emails are marked so in the outbox, and the link there is the same.
    await ctx.app.services.emails.kick();
    const [stored] = await outbox(ctx, `to=${email}`);
    assert.equal(tokenFromLink(ctx, stored!.text, 'invite'), token);
    assert.equal(typeof stored!.sent_at, 'number');
    assert.equal(stored!.attempts, 0);
  });

  it('sends the password reset link', async (t) => {
    const sink = await startSink(t);
    const ctx = await buildTestApp(t, { smtpUrl: sink.url });
    const company = await ctx.createCompany();
    const res = await ctx.inject({
      method: 'POST',
      url: `${USERS}/reset-password`,
      headers: company.headers,
      payload: { email: company.managerEmail },
    });
    assert.equal(res.statusCode, 200);
    const { envelopeTo, mail } = await sink.next();
    assert.deepEqual(envelopeTo, [company.managerEmail]);
    assert.equal(mail.subject, 'Reset your casa-integrate password');
    const token = tokenFromLink(ctx, mail.text ?? '', 'reset-password');
    assert.deepEqual(await ctx.app.services.users.checkToken('reset', token), { state: 'valid', email: company.managerEmail });
  });

  it('keeps the email in the outbox, unsent, when SMTP is not configured', async (t) => {
    const ctx = await buildTestApp(t, { smtpUrl: null });
    const company = await ctx.createCompany();
    const email = uniqueEmail();
    await ctx.inject({ method: 'POST', url: USERS, headers: company.headers, payload: { email, role: 'User' } });
    await ctx.app.services.emails.kick();
    const mails = await outbox(ctx, `to=${email}`);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.sent_at, null);
    assert.equal(mails[0]!.attempts, 0);
  });
});
