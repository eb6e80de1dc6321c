// Property-based requests for every operation of the OpenAPI document (fast-check): hostile path
// values, query strings, bodies, content types and sizes, with and without a valid key. Checked:
// no 5xx, every JSON answer validates against the documented response schema, and a refused
// request (4xx) changes no table. FUZZ_RUNS sets the cases per operation (default 200, the issue's
// count; FUZZ_RUNS=2000 or more for a long run). The operations are dealt round-robin over
// FUZZ_SHARDS test files (operations-N.fuzz.test.ts) so each file stays well inside the suite's
// per-file timeout and two run side by side. Path values are never empty: `/emails/` is the list
// route (trailing slashes are ignored), answered by another operation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { InjectOptions } from 'fastify';
import { buildTestApp } from '../helpers/app.js';
import { createDraft } from '../orders/order-helpers.js';
import { tableCounts } from '../security/db-helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS || 200);

type Doc = { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>> };
type HttpMethod = NonNullable<InjectOptions['method']>;

const pointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e309',
    'null',
    'true',
    '../../etc/passwd',
    '%00',
    '%2e%2e%2f',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '😀'.repeat(10),
    'a'.repeat(5000),
    '00000000-0000-0000-0000-000000000000',
  ),
);
const jsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom(
      'name',
      'email',
      'role',
      'street',
      'city',
      'country',
      'package_type',
      'add_ons',
      'webhook_urls',
      'webhook_triggers',
      'office_id',
      'owner_email',
      'limit',
      'offset',
      'password',
      'new_password',
      'old_password',
      'info',
      'style_template',
      'source',
    ),
    fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(hostileString, { maxLength: 3 })),
  ),
);
/** `levels` levels of objects or lists around `inner`, written as text (JSON.stringify would overflow). */
function nestedJson(levels: number, lists: boolean, inner: string): string {
  return (lists ? '['.repeat(levels) : '{"a":'.repeat(levels)) + inner + (lists ? ']' : '}').repeat(levels);
}
const fieldName = fc.constantFrom('order_preferences', 'info', 'name', 'webhook_urls', 'style_template', 'source', 'x', '__proto__');
/** Bodies of shapes no schema expects: deep, wide, and odd JSON. */
export const oddBody = fc.oneof(
  // Deep: past the cap, up to what 1 MiB holds, at the root or under a field.
  fc
    .tuple(
      fc.integer({ min: 30, max: 150_000 }),
      fc.boolean(),
      fc.option(fieldName, { nil: null }),
      fc.constantFrom('1', '{}', '[]', '"x"', 'null'),
    )
    .map(([levels, lists, field, inner]) => {
      const deep = nestedJson(levels, lists, inner);
      return { payload: field === null ? deep : `{${JSON.stringify(field)}:${deep}}`, type: 'application/json' };
    }),
  // Wide: many keys or many items, at the root or under a field.
  fc.tuple(fc.integer({ min: 1_000, max: 40_000 }), fc.boolean(), fieldName).map(([n, list, field]) => {
    const wide = list
      ? `[${Array(n).fill('{"a":[1]}').join(',')}]`
      : `{${Array.from({ length: n }, (_, i) => `"k${i}":[${i}]`).join(',')}}`;
    return { payload: `{${JSON.stringify(field)}:${wide}}`, type: 'application/json' };
  }),
  // Odd: prototype keys, duplicate keys, numbers past a double, lone surrogates, NUL, a BOM, bare scalars.
  fc
    .constantFrom(
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"admin":true}}}',
      '{"name":"a","name":"b","name":{"c":1}}',
      '{"limit":1e400,"offset":-0,"n":123456789012345678901234567890}',
      '{"name":"\\ud800","email":"\\udfff@example.com","info":"\\u0000"}',
      '{"name":"\u0000"}',
      '\ufeff{"name":"bom"}',
      '"just a string"',
      '12345',
      'null',
      'true',
      '[]',
      '{}',
      ' \n\t ',
      `{"${'k'.repeat(100_000)}":1}`,
      `{"order_preferences":{"${'k'.repeat(50_000)}":"${'v'.repeat(50_000)}"}}`,
    )
    .map((payload) => ({ payload, type: 'application/json' })),
);

const body = fc.oneof(
  jsonValue.map((v) => ({ payload: JSON.stringify(v), type: 'application/json' })),
  oddBody,
  fc.constantFrom(
    { payload: '{', type: 'application/json' },
    { payload: '{"a":1}', type: 'text/plain' },
    { payload: 'a=1&b=2', type: 'application/x-www-form-urlencoded' },
    { payload: '', type: 'application/json' },
    { payload: `{"name":"${'x'.repeat(1_100_000)}"}`, type: 'application/json' },
    { payload: '[]', type: 'application/json; charset=utf-16' },
  ),
);
const query = fc.dictionary(
  fc.constantFrom('limit', 'offset', 'status', 'role', 'office_id', 'external_id', 'created_after', 'created_before', 'owner_email', 'x'),
  hostileString,
  { maxKeys: 3 },
);

/**
 * A path value that keeps the URL on the operation under test: not empty or a space, and not a dot
 * segment (`.` or `..`), which every URL-aware client, light-my-request included, resolves before
 * sending: `/webhook-deliveries/.` is the list of deliveries, another operation with another schema.
 */
const namesThisOperation = (v: string) => v !== '' && v !== ' ' && v !== '.' && v !== '..';

export const FUZZ_SHARDS = 4;

export interface FuzzOptions {
  /** Only operations of these methods (default: all). */
  methods?: string[];
  /** The bodies sent (default: JSON values, odd bodies and broken ones). */
  bodies?: fc.Arbitrary<{ payload: string; type: string }>;
  /** Also send an Idempotency-Key (one of a few, so keys are reused across cases). */
  idempotencyKeys?: boolean;
  runs?: number;
  shards?: number;
  title?: string;
}

/** Fuzzes the operations whose index in the document is `shard` modulo the shards (FUZZ_SHARDS). */
export function fuzzOperations(shard: number, options: FuzzOptions = {}): void {
  const { methods = null, bodies = body, idempotencyKeys = false, runs = RUNS, shards = FUZZ_SHARDS } = options;
  const title = options.title ?? 'fuzzing the documented operations';
  describe(`${title} (shard ${shard + 1} of ${shards})`, () => {
    it(`no 5xx, documented answers, refused requests change nothing (${runs} cases per operation)`, async (t) => {
      const ctx = await buildTestApp(t);
      const doc = (ctx.app as unknown as { swagger(): Doc }).swagger();
      const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
      addFormats.default(ajv);
      ajv.addFormat('http-url', true);
      ajv.addSchema(doc as object, 'doc');
      const company = await ctx.createCompany();
      const order = await createDraft(ctx, company);
      const real: Record<string, string> = {
        id: order.id,
        order_id: order.id,
        user_id: company.managerId,
        email: company.managerEmail,
        company_id: company.id,
      };

      const ops = Object.entries(doc.paths)
        .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ path, method: method.toUpperCase() })))
        .filter((op) => !op.path.startsWith('/files/'))
        .filter((op) => methods === null || methods.includes(op.method))
        .filter((_op, i) => i % shards === shard);
      const validators = new Map<string, ReturnType<typeof ajv.getSchema>>();
      let checked = 0;
      for (const op of ops) {
        const headersFor = op.path.startsWith('/admin/') ? [ctx.adminHeaders, {}] : [company.headers, {}, { 'api-key': 'x'.repeat(300) }];
        await fc
          .assert(
            fc.asyncProperty(
              fc.dictionary(
                fc.constantFrom(...[...op.path.matchAll(/\{([^}*]+)\}/g)].map((m) => m[1]!), 'unused'),
                fc.oneof(hostileString.filter(namesThisOperation), fc.constantFrom(...Object.values(real))),
              ),
              query,
              bodies,
              fc.constantFrom(...headersFor),
              idempotencyKeys ? fc.option(fc.constantFrom('fuzz-1', 'fuzz-2', 'fuzz-3'), { nil: null }) : fc.constant(null),
              async (params, q, b, baseHeaders, idempotencyKey) => {
                const headers = idempotencyKey === null ? baseHeaders : { ...baseHeaders, 'idempotency-key': idempotencyKey };
                const url =
                  op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? real[name] ?? 'x')) +
                  (Object.keys(q).length ? `?${new URLSearchParams(q)}` : '');
                const withBody = op.method !== 'GET' && op.method !== 'DELETE';
                const before = await tableCounts(ctx.storage);
                const res = await ctx.inject({
                  method: op.method as HttpMethod,
                  url,
                  headers: { ...headers, ...(withBody ? { 'content-type': b.type } : {}) },
                  ...(withBody ? { payload: b.payload } : {}),
                });
                assert.ok(res.statusCode < 500, `${op.method} ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`);
                const key = `${op.path} ${op.method.toLowerCase()} ${res.statusCode}`;
                const documented =
                  doc.paths[op.path]?.[op.method.toLowerCase()]?.responses?.[String(res.statusCode)]?.content?.['application/json']?.schema;
                if (documented && String(res.headers['content-type'] ?? '').startsWith('application/json')) {
                  if (!validators.has(key))
                    validators.set(
                      key,
                      ajv.getSchema(
                        `doc#/paths/${pointer(op.path)}/${op.method.toLowerCase()}/responses/${res.statusCode}/content/application~1json/schema`,
                      ),
                    );
                  const validate = validators.get(key)!;
                  assert.ok(
                    validate!(res.json()),
                    `${op.method} ${url} → ${res.statusCode}: ${res.body.slice(0, 300)} does not match the document: ${JSON.stringify(validate!.errors)}`,
                  );
                  checked++;
                }
                // A refused request under an Idempotency-Key keeps its answer for replay (a 4xx is a decision).
                const kept = (counts: Record<string, number>) =>
                  idempotencyKey === null ? counts : { ...counts, idempotency_keys: before.idempotency_keys };
                if (res.statusCode >= 400)
                  assert.deepEqual(
                    kept(await tableCounts(ctx.storage)),
                    before,
                    `${op.method} ${url} was refused (${res.statusCode}) but changed a table`,
                  );
              },
            ),
            { numRuns: runs },
          )
          .catch((err: Error) => {
            // fast-check keeps the failed assertion in `cause`, and its counterexample may be a 1 MiB body.
            const cause = (err.cause as Error | undefined)?.message ?? '';
            throw new Error(`${op.method} ${op.path}: ${cause.slice(0, 600)}\n${err.message.slice(0, 600)}`);
          });
      }
      assert.ok(checked > ops.length, `answers were checked against the document (${checked})`);
    });
  });
}
