// The shared security matrix every customer endpoint must pass.
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import type { TestApp } from './app.js';

export const UNAUTHORIZED = { message: 'Invalid or missing api-key header.' };

/** No key, a wrong key, a Bearer token instead, and a revoked key: each answers the exact 401. */
export async function assertRequiresApiKey(
  ctx: TestApp,
  request: Omit<InjectOptions, 'headers'> & { headers?: Record<string, string> },
): Promise<void> {
  const company = await ctx.createCompany();
  const revoke = await ctx.inject({ method: 'DELETE', url: `/admin/v1/api-keys/${company.apiKeyId}`, headers: ctx.adminHeaders });
  assert.equal(revoke.statusCode, 200);
  const variants: [string, Record<string, string>][] = [
    ['no key', {}],
    ['wrong key', { 'api-key': 'casa_0000000000000000000000000000000000000000' }],
    ['garbage key', { 'api-key': 'not-a-key' }],
    ['bearer only', { authorization: `Bearer ${company.apiKey}` }],
    ['revoked key', { 'api-key': company.apiKey }],
    ['admin key', { 'api-key': ctx.adminKey, 'admin-key': ctx.adminKey }],
  ];
  for (const [label, headers] of variants) {
    const res = await ctx.inject({ ...request, headers: { ...(request.headers ?? {}), ...headers } } as InjectOptions);
    assert.equal(res.statusCode, 401, `${label}: expected 401 for ${request.method} ${request.url}, got ${res.statusCode} ${res.body}`);
    assert.deepEqual(res.json(), UNAUTHORIZED, label);
    assert.ok(res.headers['x-request-id'], `${label}: x-request-id header`);
  }
}
