// `casa-integrate compare webhooks --listen`: the test plays the real service, sending the
// documented webhook calls of KNOWN.md §3.3 (with its `api-key` header) plus two deliberate
// differences, an extra body key and an unknown delivery_type; the report must name exactly those
// beside the headers each side sends, and print none of the calls' values.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { runWebhookCompare } from '../../src/compare/webhook-listener.js';
import type { Report } from '../../src/compare/report.js';

const ORDER_ID = '363c38cd-9682-4ff3-9100-9ef4e755f275';
const MODEL_ID = 'cb2aba10-979f-461c-bdb7-906f5047d111';
const REAL_KEY = 'casa_key_the_real_service_sends_along';

const CALLS = [
  {
    id: ORDER_ID,
    current_status: 'Pending',
    previous_status: 'Draft',
    model_id: MODEL_ID,
    product_type: 'products_2d',
    delivery_type: 'new',
  },
  {
    id: ORDER_ID,
    current_status: 'Ready',
    previous_status: 'Pending',
    model_id: MODEL_ID,
    product_type: 'products_2d',
    delivery_type: 'new',
    external_id: 'EXT10005',
  },
  {
    id: ORDER_ID,
    current_status: 'Fixing',
    previous_status: 'Ready',
    model_id: MODEL_ID,
    product_type: 'products_2d',
    delivery_type: 'fix_request',
  },
];

/** Posts as the real service does: JSON with `content-type` and `api-key`, nothing else of its own. */
function post(url: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'api-key': REAL_KEY } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function listen(args: string[], interrupted?: Promise<void>) {
  let stdout = '';
  let stderr = '';
  let announce: (url: string) => void = () => {};
  const listening = new Promise<string>((resolve) => (announce = resolve));
  const done = runWebhookCompare(['--listen', '127.0.0.1:0', ...args], {
    env: {},
    out: (s) => (stdout += s),
    err: (s) => {
      stderr += s;
      const url = /^Listening on (http:\/\/\S+\/) /.exec(s)?.[1];
      if (url) announce(url);
    },
    interrupted,
  });
  const url = await Promise.race([listening, done.then(() => Promise.reject(new Error(`ended before listening: ${stderr}`)))]);
  return { url, done: done.then((code) => ({ code, stdout, stderr })) };
}

const HEADERS_OURS_ONLY = ['user-agent', 'webhook-id', 'webhook-signature', 'webhook-timestamp'];
const headerDifferences = [
  { kind: 'header', name: 'api-key', side: 'real' },
  ...HEADERS_OURS_ONLY.map((name) => ({ kind: 'header', name, side: 'ours' })),
];

describe('casa-integrate compare webhooks --listen', () => {
  it('answers each call 200 and reports, per trigger, exactly the headers and body shapes that differ from ours', async () => {
    const listener = await listen(['--max-calls', '3', '--json']);
    for (const call of CALLS) assert.equal(await post(`${listener.url}hook`, call), 200);
    const { code, stdout, stderr } = await listener.done;
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as Report;
    assert.equal(report.kind, 'webhooks');
    assert.deepEqual(report.requests.real, 3);
    assert.ok(report.requests.ours >= 8, `ours sent a call for every trigger and delivery type (${report.requests.ours})`);
    assert.deepEqual(
      report.calls.map((c) => ({ call: c.call, realCount: c.realCount, differences: c.differences })),
      [
        {
          call: 'webhook moved_to_fixing',
          realCount: 1,
          differences: [...headerDifferences, { kind: 'enum', status: 'request', path: 'delivery_type', values: ['fix_request'] }],
        },
        { call: 'webhook moved_to_pending', realCount: 1, differences: headerDifferences },
        {
          call: 'webhook moved_to_ready',
          realCount: 1,
          differences: [...headerDifferences, { kind: 'only-real', status: 'request', path: 'external_id' }],
        },
      ],
    );
    for (const value of [ORDER_ID, MODEL_ID, 'EXT10005', REAL_KEY]) assert.ok(!(stdout + stderr).includes(value), value);
  });

  it('reports what arrived when the user stops it, as text, with --redact-enums', async () => {
    let stop: () => void = () => {};
    const listener = await listen(['--redact-enums'], new Promise<void>((resolve) => (stop = resolve)));
    assert.equal(await post(listener.url, CALLS[2]), 200);
    stop();
    const { code, stdout } = await listener.done;
    assert.equal(code, 0);
    const lines = stdout.split('\n');
    assert.equal(lines[0], 'casa-integrate compare webhooks');
    assert.match(lines[2]!, /^Webhook calls received from the real service: 1; calls ours sent for every trigger: \d+\.$/);
    assert.ok(lines.includes('webhook moved_to_fixing'));
    assert.ok(lines.includes('  header api-key: real sent; ours not sent'));
    assert.ok(lines.includes('  header webhook-signature: real not sent; ours sent'));
    assert.ok(
      lines.includes(
        '  value of delivery_type (request): real unlisted value(s), withheld by --redact-enums; ours not in our OpenAPI document',
      ),
    );
    assert.ok(!stdout.includes('fix_request'));
  });
});
