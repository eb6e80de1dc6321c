// The compare command's HTTP client: GET only, and polite to the service it reads. Time is a
// pacing the test owns (sleeping moves it), so waits are asserted exactly and take no time.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { CompareStopped, createGetClient, type GetClient, type Pacing } from '../../src/compare/get-client.js';

interface Arrival {
  method: string;
  url: string;
  apiKey: string | undefined;
}

type Answer = { status: number; headers?: Record<string, string>; body?: string };

/** A loopback server that records what arrives and answers the n-th request with answers[n] (the last one repeats). */
async function service(t: TestContext, answers: Answer[]): Promise<{ url: string; arrived: Arrival[] }> {
  const arrived: Arrival[] = [];
  const server = http.createServer((req, res) => {
    arrived.push({ method: req.method!, url: req.url!, apiKey: req.headers['api-key'] as string | undefined });
    const answer = answers[Math.min(arrived.length - 1, answers.length - 1)]!;
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(answer.body ?? '{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/integrate/v3`, arrived };
}

/** Time that passes only when the client sleeps; every sleep is recorded. */
function ownTime(): Pacing & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

function client(url: string, pacing: Pacing, rate = 2): GetClient {
  return createGetClient({ baseUrl: url, apiKey: 'casa_real_key_of_the_integrator', sideName: 'The real service', rate, pacing });
}

describe('compare: the GET-only client', () => {
  it('has no way to send another method: its whole surface is get()', async (t) => {
    const svc = await service(t, [{ status: 200 }]);
    const c = client(svc.url, ownTime());
    assert.deepEqual(Object.keys(c).sort(), ['get', 'requestsSent']);
    // A caller that tries anyway gets a GET: there is no method option to pass.
    await c.get('orders', { method: 'DELETE' } as never);
    assert.deepEqual(svc.arrived, [{ method: 'GET', url: '/api/integrate/v3/orders', apiKey: 'casa_real_key_of_the_integrator' }]);
  });

  it('starts at most `rate` requests a second: two a second is one every 500 ms', async (t) => {
    const svc = await service(t, [{ status: 200 }]);
    const time = ownTime();
    const c = client(svc.url, time);
    for (let i = 0; i < 4; i++) await c.get('orders');
    assert.deepEqual(time.sleeps, [500, 500, 500]);
    assert.equal(svc.arrived.length, 4);
    assert.equal(c.requestsSent, 4);
  });

  it('waits as long as a 429 asks (Retry-After in seconds or as a date), then asks again', async (t) => {
    const time = ownTime();
    const date = new Date(time.now() + 30_000).toUTCString();
    const svc = await service(t, [
      { status: 429, headers: { 'retry-after': '7' } },
      { status: 429, headers: { 'retry-after': date } },
      { status: 200 },
    ]);
    const c = client(svc.url, time, Infinity);
    const answer = await c.get('companies/info');
    assert.equal(answer.status, 200);
    assert.equal(svc.arrived.length, 3);
    // 7 s, then until the date, which was 30 s after the start.
    assert.deepEqual(time.sleeps, [7000, 23_000]);
  });

  it('stops when a 429 asks for more than ten minutes', async (t) => {
    const svc = await service(t, [{ status: 429, headers: { 'retry-after': '3600' } }]);
    await assert.rejects(client(svc.url, ownTime()).get('orders'), (err: Error) => {
      assert.ok(err instanceof CompareStopped);
      assert.equal(err.message, 'The real service asked to wait 3600 s (429 Retry-After); try again later.');
      return true;
    });
    assert.equal(svc.arrived.length, 1);
  });

  it('retries a 5xx at most twice, then gives the answer', async (t) => {
    const svc = await service(t, [{ status: 503 }]);
    const time = ownTime();
    const answer = await client(svc.url, time, Infinity).get('orders');
    assert.equal(answer.status, 503);
    assert.equal(svc.arrived.length, 3);
    assert.deepEqual(time.sleeps, [1000, 2000]);
  });

  it('a 5xx that recovers on a retry is the recovered answer', async (t) => {
    const svc = await service(t, [{ status: 502 }, { status: 200, body: '{"items":[]}' }]);
    const answer = await client(svc.url, ownTime(), Infinity).get('orders');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json, { items: [] });
  });

  it('stops after three failed calls in a row; an answer in between starts the count again', async (t) => {
    const answers: Answer[] = [
      ...Array<Answer>(3).fill({ status: 500 }),
      ...Array<Answer>(3).fill({ status: 500 }),
      { status: 200 },
      ...Array<Answer>(9).fill({ status: 500 }),
    ];
    const svc = await service(t, answers);
    const c = client(svc.url, ownTime(), Infinity);
    assert.equal((await c.get('a')).status, 500);
    assert.equal((await c.get('b')).status, 500);
    assert.equal((await c.get('c')).status, 200);
    assert.equal((await c.get('d')).status, 500);
    assert.equal((await c.get('e')).status, 500);
    await assert.rejects(
      c.get('f'),
      (err: Error) => err instanceof CompareStopped && /failed 3 calls in a row \(HTTP 500\); stopped/.test(err.message),
    );
    assert.equal(svc.arrived.length, 16);
    await assert.rejects(c.get('g'), CompareStopped, 'nothing more is sent once stopped');
  });

  it('counts no answer at all (connection refused) as a failure, retried like a 5xx', async () => {
    const time = ownTime();
    const c = client('http://127.0.0.1:9/api', time, Infinity);
    const answer = await c.get('orders');
    assert.equal(answer.status, null);
    assert.equal(c.requestsSent, 3);
  });

  it('stops at once on a 401 to the account key, without echoing the key', async (t) => {
    const svc = await service(t, [{ status: 401, body: '{"message":"Invalid or missing api-key header."}' }]);
    await assert.rejects(client(svc.url, ownTime()).get('companies/info'), (err: Error) => {
      assert.ok(err instanceof CompareStopped);
      assert.equal(
        err.message,
        'The real service answered 401 to GET /companies/info: its api-key is not accepted; nothing more was sent.',
      );
      return true;
    });
    assert.equal(svc.arrived.length, 1);
  });

  it('takes a 401 to a deliberately wrong or missing key as the answer being compared', async (t) => {
    const svc = await service(t, [{ status: 401 }]);
    const c = client(svc.url, ownTime());
    assert.equal((await c.get('orders', { auth: 'wrong' })).status, 401);
    assert.equal((await c.get('orders', { auth: 'none' })).status, 401);
    assert.notEqual(svc.arrived[0]!.apiKey, 'casa_real_key_of_the_integrator');
    assert.equal(svc.arrived[1]!.apiKey, undefined);
  });

  it('reads the status and content type of a body it must not keep, and no JSON from it', async (t) => {
    const svc = await service(t, [
      { status: 200, headers: { 'content-type': 'application/pdf; charset=binary' }, body: '%PDF-1.7 secret' },
    ]);
    const answer = await client(svc.url, ownTime()).get('orders/x/combined-pdf', { skipBody: true });
    assert.equal(answer.status, 200);
    assert.equal(answer.contentType, 'application/pdf');
    assert.equal(answer.json, undefined);
  });
});
