// Deeply nested JSON: a body nesting more than MAX_BODY_DEPTH levels of objects and lists is a 400
// in the validation shape, before any route or the idempotency fingerprint sees it, and changes
// nothing; up to the cap it is taken. The fingerprint itself walks any depth without recursion.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildOrdersApp, draftBody, redrawBody } from '../orders/order-helpers.js';
import { tableCounts } from './db-helpers.js';
import { MAX_BODY_DEPTH } from '../../src/http/body-depth.js';
import { tooDeepField } from '../../src/domain/json-depth.js';
import { requestFingerprint } from '../../src/services/idempotency/idempotency-service.js';

const API = '/api/integrate/v3';
const LEVELS = 4_500;

/** `levels` levels of objects and lists, built as text (JSON.stringify would overflow on it). */
function nestedText(levels: number): string {
  const open = [];
  const close = [];
  for (let i = 0; i < levels; i++) {
    open.push(i % 2 ? '[' : '{"a":');
    close.push(i % 2 ? ']' : '}');
  }
  return `${open.join('')}1${close.reverse().join('')}`;
}

/** A value holding `levels` levels of objects and lists (the value itself is the first). */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const tooDeep = (field: string) => ({
  validation_error: {
    body_params: [
      {
        loc: [field],
        msg: `ensure the body nests objects and lists at most ${MAX_BODY_DEPTH} levels deep`,
        type: 'value_error.nesting',
      },
    ],
  },
});

describe('deeply nested JSON bodies', () => {
  it(`order_preferences ${LEVELS} levels deep on drafts, GoToScan and redraw: 400 in the validation shape, nothing stored`, async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const base = { draft: draftBody(company), go2scan: { ...draftBody(company), send_invitation: false }, redraw: redrawBody() };
    for (const [url, body] of [
      ['/orders/draft', base.draft],
      ['/orders/go2scan', base.go2scan],
      ['/orders', base.redraw],
    ] as const) {
      for (const idempotencyKey of [null, `deep-${url}`]) {
        const before = await tableCounts(ctx.storage);
        const payload = `${JSON.stringify(body).slice(0, -1)},"order_preferences":${nestedText(LEVELS)}}`;
        const res = await ctx.inject({
          method: 'POST',
          url: `${API}${url}`,
          headers: {
            ...company.headers,
            'content-type': 'application/json',
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          payload,
        });
        assert.equal(res.statusCode, 400, `${url}: ${res.body.slice(0, 300)}`);
        assert.deepEqual(res.json(), tooDeep('order_preferences'));
        assert.deepEqual(await tableCounts(ctx.storage), before, `${url} changed nothing`);
      }
    }
  });

  it('any POST with an Idempotency-Key and a deep body, or a deep list at the root: 400, not 500', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    for (const [url, payload, field] of [
      ['/offices', `{"name":"Deep","x":${nestedText(LEVELS)}}`, 'x'],
      ['/users', nestedText(LEVELS), 'a'],
      ['/orders/draft', `[${nestedText(LEVELS)}]`, '__root__'],
    ] as const) {
      const res = await ctx.inject({
        method: 'POST',
        url: `${API}${url}`,
        headers: { ...company.headers, 'content-type': 'application/json', 'idempotency-key': 'deep-key' },
        payload,
      });
      assert.equal(res.statusCode, 400, `${url}: ${res.body.slice(0, 300)}`);
      assert.deepEqual(res.json(), tooDeep(field), url);
    }
    const admin = await ctx.inject({
      method: 'POST',
      url: '/admin/v1/companies',
      headers: { ...ctx.adminHeaders, 'content-type': 'application/json' },
      payload: `{"name":"Deep","manager_email":"deep@example.com","extra":${nestedText(LEVELS)}}`,
    });
    assert.equal(admin.statusCode, 400, admin.body.slice(0, 300));
    assert.deepEqual(admin.json(), tooDeep('extra'));
  });

  it(`order_preferences nested up to the cap (${MAX_BODY_DEPTH} levels with the body) is stored whole`, async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const preferences = nested(MAX_BODY_DEPTH - 1);
    const created = await ctx.inject({
      method: 'POST',
      url: `${API}/orders/draft`,
      headers: { ...company.headers, 'idempotency-key': 'at-the-cap' },
      payload: { ...draftBody(company), order_preferences: preferences },
    });
    assert.equal(created.statusCode, 200, created.body.slice(0, 300));
    const row = await ctx.storage.db
      .selectFrom('orders')
      .select('order_preferences')
      .where('id', '=', created.json().id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(String(row.order_preferences)), preferences);
    const over = await ctx.inject({
      method: 'POST',
      url: `${API}/orders/draft`,
      headers: company.headers,
      payload: { ...draftBody(company), order_preferences: { deeper: preferences } },
    });
    assert.equal(over.statusCode, 400);
    assert.deepEqual(over.json(), tooDeep('order_preferences'));
  });
});

describe('the request log and a deep body', () => {
  it('keeps the refused request with a note in place of the body it could not redact', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const res = await ctx.inject({
      method: 'POST',
      url: `${API}/offices`,
      headers: { ...company.headers, 'content-type': 'application/json' },
      payload: `{"name":"Deep","x":${nestedText(LEVELS)}}`,
    });
    assert.equal(res.statusCode, 400);
    await ctx.app.services.requestLog.flush();
    const log = await ctx.inject({ method: 'GET', url: `/admin/v1/companies/${company.id}/requests?limit=1`, headers: ctx.adminHeaders });
    const entry = log.json().items[0];
    assert.deepEqual([entry.method, entry.path, entry.status], ['POST', '/offices', 400]);
    const one = await ctx.inject({
      method: 'GET',
      url: `/admin/v1/companies/${company.id}/requests/${entry.id}`,
      headers: ctx.adminHeaders,
    });
    assert.equal(one.json().request_body, '[nested more than 64 levels deep: not kept]');
    assert.equal(one.json().request_truncated, true);
  });
});

describe('tooDeepField', () => {
  it('names the top-level field holding the first value past the cap, and takes any depth or width', () => {
    assert.equal(tooDeepField({ a: 1, b: nested(MAX_BODY_DEPTH - 1) }, MAX_BODY_DEPTH), null);
    assert.equal(tooDeepField({ a: 1, b: nested(MAX_BODY_DEPTH) }, MAX_BODY_DEPTH), 'b');
    assert.equal(tooDeepField(nested(MAX_BODY_DEPTH), MAX_BODY_DEPTH), null);
    assert.equal(tooDeepField([nested(MAX_BODY_DEPTH)], MAX_BODY_DEPTH), '__root__');
    assert.equal(tooDeepField(JSON.parse(nestedText(200_000)), MAX_BODY_DEPTH), 'a');
    assert.equal(tooDeepField(Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, { v: [i] }])), MAX_BODY_DEPTH), null);
    for (const scalar of [null, 1, 'text', true]) assert.equal(tooDeepField(scalar, MAX_BODY_DEPTH), null);
  });
});

describe('requestFingerprint', () => {
  /** The recursive form it replaced: fingerprints kept before the change must still match. */
  function recursiveCanonical(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(recursiveCanonical).join(',')}]`;
    if (value && typeof value === 'object') {
      const entries = Object.keys(value)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${recursiveCanonical((value as Record<string, unknown>)[k])}`);
      return `{${entries.join(',')}}`;
    }
    return JSON.stringify(value) ?? 'null';
  }

  it('is the same as before for every JSON value, the same in any key order, and takes 200,000 levels', async () => {
    const crypto = await import('node:crypto');
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const expected = crypto
          .createHash('sha256')
          .update(`POST /x\n${recursiveCanonical(value)}`)
          .digest('hex');
        assert.equal(requestFingerprint('POST', '/x', value), expected);
      }),
      { numRuns: 500 },
    );
    assert.equal(
      requestFingerprint('POST', '/x', { b: [1, { d: 2, c: 3 }], a: null }),
      requestFingerprint('POST', '/x', { a: null, b: [1, { c: 3, d: 2 }] }),
    );
    assert.match(requestFingerprint('POST', '/x', JSON.parse(nestedText(200_000))), /^[0-9a-f]{64}$/);
  });
});
