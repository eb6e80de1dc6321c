// Every operation of the OpenAPI document against every wrong credential: no key, a wrong key, a
// revoked key, the admin key on customer routes, an api key on operator routes (401 in the exact
// shape), and another company's key on a company's resources (404, nothing changes).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { buildTestApp } from '../helpers/app.js';
import { createDraft } from '../orders/order-helpers.js';
import { tableCounts } from './db-helpers.js';

interface Operation {
  method: string;
  path: string;
  params: string[];
}

type HttpMethod = NonNullable<InjectOptions['method']>;

function operations(doc: { paths: Record<string, Record<string, unknown>> }, prefix: string): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (!path.startsWith(prefix)) continue;
    for (const method of Object.keys(ops))
      out.push({ method: method.toUpperCase(), path, params: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!) });
  }
  return out;
}

function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? '00000000-0000-4000-8000-000000000000'));
}

describe('route-by-route security matrix', () => {
  it(
    'refuses every wrong credential on every documented operation, and hides one company from another',
    { timeout: 240_000 },
    async (t) => {
      const ctx = await buildTestApp(t);
      const doc = (ctx.app as unknown as { swagger(): { paths: Record<string, Record<string, unknown>> } }).swagger();
      const customer = operations(doc, '/api/integrate/v3/');
      const admin = operations(doc, '/admin/v1/');
      assert.ok(
        customer.length >= 25 && admin.length >= 15,
        `the document lists the routes (${customer.length} customer, ${admin.length} admin)`,
      );

      const owner = await ctx.createCompany('Owner');
      const other = await ctx.createCompany('Other');
      const revoked = await ctx.createCompany('Revoked');
      assert.equal(
        (await ctx.inject({ method: 'DELETE', url: `/admin/v1/api-keys/${revoked.apiKeyId}`, headers: ctx.adminHeaders })).statusCode,
        200,
      );
      const order = await createDraft(ctx, owner);
      const resources: Record<string, string> = {
        id: order.id,
        order_id: order.id,
        user_id: owner.managerId,
        email: owner.managerEmail,
        office_id: owner.mainOfficeId,
      };

      const customerVariants: [string, Record<string, string>][] = [
        ['no key', {}],
        ['wrong key', { 'api-key': 'casa_0000000000000000000000000000000000000000' }],
        ['revoked key', { 'api-key': revoked.apiKey }],
        ['admin key as api-key', { 'api-key': ctx.adminKey }],
        ['admin key in admin-key', { 'admin-key': ctx.adminKey }],
        ['bearer api key', { authorization: `Bearer ${owner.apiKey}` }],
      ];
      const before = await tableCounts(ctx.storage);
      for (const op of customer) {
        const url = fill(op.path, resources);
        for (const [label, headers] of customerVariants) {
          const res = await ctx.inject({
            method: op.method as HttpMethod,
            url,
            headers,
            ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { payload: {} }),
          });
          assert.equal(res.statusCode, 401, `${label}: ${op.method} ${url} → ${res.statusCode} ${res.body}`);
          assert.deepEqual(res.json(), { message: 'Invalid or missing api-key header.' }, `${label}: ${op.method} ${url}`);
        }
      }

      const adminVariants: [string, Record<string, string>][] = [
        ['no key', {}],
        ['wrong key', { 'admin-key': 'not-the-admin-key' }],
        ['api key in admin-key', { 'admin-key': owner.apiKey }],
        ['api key as api-key', { 'api-key': owner.apiKey }],
        ['admin key with a character changed', { 'admin-key': ctx.adminKey.slice(0, -1) + (ctx.adminKey.endsWith('a') ? 'b' : 'a') }],
      ];
      for (const op of admin) {
        const url = fill(op.path, { ...resources, company_id: owner.id, key_id: owner.apiKeyId });
        for (const [label, headers] of adminVariants) {
          const res = await ctx.inject({
            method: op.method as HttpMethod,
            url,
            headers,
            ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { payload: {} }),
          });
          assert.equal(res.statusCode, 401, `${label}: ${op.method} ${url} → ${res.statusCode} ${res.body}`);
          assert.deepEqual(res.json(), { message: 'Invalid or missing admin-key header.' }, `${label}: ${op.method} ${url}`);
        }
      }
      assert.deepEqual(await tableCounts(ctx.storage), before, 'no refused request changed anything');

      // Another company's key on the owner's resources: 404 (or a 400 when the empty body is refused
      // before the lookup), and nothing changes.
      const rowsBefore = await ctx.storage.db.selectFrom('orders').selectAll().orderBy('id').execute();
      const usersBefore = await ctx.storage.db.selectFrom('users').selectAll().orderBy('id').execute();
      let notFound = 0;
      for (const op of customer.filter((o) => o.params.length > 0)) {
        const url = fill(op.path, resources);
        const res = await ctx.inject({
          method: op.method as HttpMethod,
          url,
          headers: other.headers,
          ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { payload: {} }),
        });
        if (op.method === 'GET' || op.method === 'DELETE')
          assert.equal(res.statusCode, 404, `${op.method} ${url} with another company's key → ${res.statusCode} ${res.body}`);
        else
          assert.ok([404, 400].includes(res.statusCode), `${op.method} ${url} with another company's key → ${res.statusCode} ${res.body}`);
        if (res.statusCode === 404) notFound++;
        assert.ok(!res.body.includes(owner.managerEmail) || op.path.endsWith('{email}'), `${op.method} ${url} leaks nothing of the owner`);
      }
      assert.ok(notFound >= 8, `most resource routes answered 404 (${notFound})`);
      assert.deepEqual(await tableCounts(ctx.storage), before);
      assert.deepEqual(await ctx.storage.db.selectFrom('orders').selectAll().orderBy('id').execute(), rowsBefore);
      assert.deepEqual(await ctx.storage.db.selectFrom('users').selectAll().orderBy('id').execute(), usersBefore);
    },
  );
});
