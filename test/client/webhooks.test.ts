// Webhook helpers: signatures checked against the independent `standardwebhooks` implementation,
// the payload parser, and both handlers served for real (Node http on loopback, Fetch Request).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import {
  createFetchWebhookHandler,
  createNodeWebhookHandler,
  parseOrderStatusEvent,
  receiveWebhook,
  verifyWebhook,
  WebhookPayloadError,
  WebhookVerificationError,
  type OrderStatusEvent,
  type WebhookHandlerOptions,
  type WebhookMeta,
} from '../../packages/client/src/index.js';

const newSecret = () => `whsec_${crypto.randomBytes(32).toString('base64')}`;

/** The documented example body (KNOWN §3.3). */
const READY = {
  id: '363c38cd-9682-4ff3-9100-9ef4e755f275',
  current_status: 'Ready',
  previous_status: 'Pending',
  model_id: 'cb2aba10-979f-461c-bdb7-906f5047d111',
  product_type: 'products_2d',
  delivery_type: 'new',
} as const;

/** Headers as the independent library signs them. */
function signed(secret: string | Uint8Array, body: string, at = new Date(), id = `msg_${crypto.randomUUID()}`) {
  const signature = new Webhook(secret).sign(id, at, body);
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
}

async function rejectsVerification(promise: Promise<unknown>, message: RegExp) {
  await assert.rejects(promise, (err: Error) => err instanceof WebhookVerificationError && message.test(err.message));
}

describe('verifyWebhook', () => {
  it('accepts what standardwebhooks signs, for any body, id and secret', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        fc.uuid(),
        async (body, key, uuid) => {
          const secret = `whsec_${Buffer.from(key).toString('base64')}`;
          const headers = signed(secret, body, new Date(), `msg_${uuid}`);
          const meta = await verifyWebhook(body, headers, { secret });
          assert.deepEqual(meta, { webhookId: `msg_${uuid}`, timestamp: Number(headers['webhook-timestamp']), verified: true });
          // The raw key bytes work as well as the whsec_ form, and bytes of the body as well as text.
          await verifyWebhook(new TextEncoder().encode(body), new Headers(headers), { secret: key });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects, exactly where standardwebhooks rejects: a changed body, another secret, a stale or future timestamp', async () => {
    const secret = newSecret();
    const body = JSON.stringify(READY);
    const headers = signed(secret, body);
    const independent = new Webhook(secret);
    const cases: [string, string, Record<string, string>, string, RegExp][] = [
      ['changed body', body.replace('Ready', 'Fixing'), headers, secret, /No matching signature/],
      ['another secret', body, headers, newSecret(), /No matching signature/],
      ['stale', body, signed(secret, body, new Date(Date.now() - 10 * 60_000)), secret, /too old/],
      ['future', body, signed(secret, body, new Date(Date.now() + 10 * 60_000)), secret, /too new/],
      ['changed id', body, { ...headers, 'webhook-id': 'msg_other' }, secret, /No matching signature/],
      ['no signature', body, { ...headers, 'webhook-signature': '' }, secret, /Missing/],
      [
        'unknown version only',
        body,
        { ...headers, 'webhook-signature': headers['webhook-signature'].replace('v1,', 'v2,') },
        secret,
        /No matching signature/,
      ],
    ];
    for (const [label, payload, hdrs, key, message] of cases) {
      await rejectsVerification(verifyWebhook(payload, hdrs, { secret: key }), message);
      assert.throws(() => new Webhook(key).verify(payload, hdrs), label);
    }
    assert.deepEqual(independent.verify(body, headers), READY);
  });

  it('accepts any of several signatures and any of several secrets (rotation)', async () => {
    const [oldSecret, newer] = [newSecret(), newSecret()];
    const body = JSON.stringify(READY);
    const at = new Date();
    const id = 'msg_rotation';
    const both = `${signed(newer, body, at, id)['webhook-signature']} ${signed(oldSecret, body, at, id)['webhook-signature']}`;
    const headers = { ...signed(newer, body, at, id), 'webhook-signature': both };
    for (const secret of [oldSecret, newer, [newSecret(), oldSecret]])
      assert.equal((await verifyWebhook(body, headers, { secret })).verified, true);
    await rejectsVerification(verifyWebhook(body, headers, { secret: [newSecret(), newSecret()] }), /No matching signature/);
  });

  it('uses the given clock and tolerance', async () => {
    const secret = newSecret();
    const at = new Date(Date.UTC(2026, 0, 15, 12, 0, 0));
    const headers = signed(secret, '{}', at);
    const nowS = () => at.getTime() / 1000 + 100;
    assert.equal((await verifyWebhook('{}', headers, { secret, nowS })).verified, true);
    await rejectsVerification(verifyWebhook('{}', headers, { secret, nowS, toleranceS: 60 }), /too old/);
  });

  it('refuses a secret that is not whsec_ base64', async () => {
    await assert.rejects(verifyWebhook('{}', signed(newSecret(), '{}'), { secret: 'whsec_' }), TypeError);
  });
});

describe('parseOrderStatusEvent', () => {
  it('types the documented body, from text, bytes or parsed JSON', () => {
    const text = JSON.stringify(READY);
    for (const input of [text, new TextEncoder().encode(text), JSON.parse(text)]) assert.deepEqual(parseOrderStatusEvent(input), READY);
    const draft = parseOrderStatusEvent({
      id: READY.id,
      current_status: 'Draft',
      previous_status: null,
      product_type: 'products_2d',
      delivery_type: 'new',
    });
    assert.deepEqual(draft, {
      id: READY.id,
      current_status: 'Draft',
      previous_status: null,
      model_id: null,
      product_type: 'products_2d',
      delivery_type: 'new',
    });
    assert.equal(parseOrderStatusEvent({ ...READY, delivery_type: 'something_new' }).delivery_type, 'something_new');
  });

  it('names the field that is wrong', () => {
    const cases: [unknown, RegExp][] = [
      ['not json', /not JSON/],
      ['[1]', /not a JSON object/],
      [{ ...READY, id: 7 }, /^id/],
      [
        { ...READY, current_status: 'Delivered' },
        /^current_status must be one of New, Draft, Pending, Ready, Fixing, Failed; got "Delivered"/,
      ],
      [{ ...READY, previous_status: 'ready' }, /^previous_status .* or null/],
      [{ ...READY, product_type: 'products_4d' }, /^product_type/],
      [{ ...READY, model_id: 5 }, /^model_id/],
      [{ ...READY, delivery_type: undefined }, /^delivery_type/],
    ];
    for (const [input, message] of cases)
      assert.throws(
        () => parseOrderStatusEvent(input),
        (err: Error) => err instanceof WebhookPayloadError && message.test(err.message),
        String(message),
      );
  });

  it('receiveWebhook parses unsigned calls when no secret is given, and verifies when one is', async () => {
    const body = JSON.stringify(READY);
    assert.deepEqual(await receiveWebhook(body, { 'content-type': 'application/json' }), {
      event: READY,
      meta: { webhookId: null, timestamp: null, verified: false },
    });
    await rejectsVerification(receiveWebhook(body, {}, { secret: newSecret() }), /Missing/);
  });
});

interface Call {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Serves a Node handler on loopback; `send` makes a real HTTP call to it. */
async function nodeReceiver(t: import('node:test').TestContext, options: WebhookHandlerOptions) {
  const server = http.createServer(createNodeWebhookHandler(options));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/casa`;
  return async (call: Call) => {
    const res = await fetch(url, {
      method: call.method ?? 'POST',
      headers: call.headers ?? {},
      ...(call.body !== undefined ? { body: call.body } : {}),
    });
    return { status: res.status, text: await res.text() };
  };
}

/** Calls a Fetch handler with a real Request. */
async function fetchReceiver(_t: import('node:test').TestContext, options: WebhookHandlerOptions) {
  const handle = createFetchWebhookHandler(options);
  return async (call: Call) => {
    const res = await handle(
      new Request('https://receiver.example.com/hooks/casa', {
        method: call.method ?? 'POST',
        headers: call.headers ?? {},
        ...(call.body !== undefined ? { body: call.body } : {}),
      }),
    );
    return { status: res.status, text: await res.text() };
  };
}

for (const [name, receiver] of [
  ['createNodeWebhookHandler', nodeReceiver],
  ['createFetchWebhookHandler', fetchReceiver],
] as const) {
  describe(name, () => {
    it('answers 200 after onEvent, and refuses bad signatures, bad bodies, other methods and big bodies without calling it', async (t) => {
      const secret = newSecret();
      const events: [OrderStatusEvent, WebhookMeta][] = [];
      const errors: string[] = [];
      const send = await receiver(t, {
        secret,
        onEvent: (event, meta) => void events.push([event, meta]),
        onError: (err) => void errors.push((err as Error).name),
        maxBodyBytes: 1024,
      });
      const body = JSON.stringify(READY);
      const headers = { 'content-type': 'application/json', ...signed(secret, body, new Date(), 'msg_1') };

      assert.deepEqual(await send({ headers, body }), { status: 200, text: 'OK' });
      assert.deepEqual(events, [[READY, { webhookId: 'msg_1', timestamp: Number(headers['webhook-timestamp']), verified: true }]]);

      assert.deepEqual(await send({ headers, body: body.replace('Pending', 'Fixing') }), { status: 401, text: 'Invalid signature' });
      assert.deepEqual(await send({ headers: { 'content-type': 'application/json' }, body }), { status: 401, text: 'Invalid signature' });
      const garbage = '{"id": "x"}';
      assert.deepEqual(await send({ headers: signed(secret, garbage), body: garbage }), { status: 400, text: 'Invalid payload' });
      assert.deepEqual(await send({ method: 'GET' }), { status: 405, text: 'Method not allowed' });
      const big = JSON.stringify({ ...READY, padding: 'x'.repeat(2000) });
      assert.deepEqual(await send({ headers: signed(secret, big), body: big }), { status: 413, text: 'Payload too large' });
      assert.equal(events.length, 1, 'no refused call reached onEvent');
      assert.deepEqual(errors, ['WebhookVerificationError', 'WebhookVerificationError', 'WebhookPayloadError']);
    });

    it('answers 500 when onEvent throws, so the sender tries again', async (t) => {
      let calls = 0;
      const send = await receiver(t, {
        onEvent: () => {
          calls++;
          if (calls === 1) throw new Error('database down');
        },
      });
      const body = JSON.stringify(READY);
      assert.deepEqual(await send({ body }), { status: 500, text: 'Handler failed' });
      assert.deepEqual(await send({ body }), { status: 200, text: 'OK' });
      assert.equal(calls, 2);
    });
  });
}
