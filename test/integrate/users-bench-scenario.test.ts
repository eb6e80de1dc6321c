// The benchmark's scenarios must keep measuring what they claim; this checks their data, never timings.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.js';
import { scenarios } from '../../bench/scenarios/index.js';

describe('bench scenario users-list', () => {
  it('seeds a company of 1,000 users and asks for its first page of 20', async (t) => {
    const ctx = await buildTestApp(t);
    const scenario = scenarios.find((s) => s.name === 'users-list')!;
    const request = await scenario.prepare({ storage: ctx.storage, services: ctx.app.services, config: ctx.config, clock: ctx.clock });
    const res = await ctx.inject({ method: request.method, url: request.path, headers: request.headers });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(body.pagination, { has_more: true, limit: 20, next_offset: 20, previous_offset: 0 });
    assert.equal(body.items.length, 20);
    const all = await ctx.inject({ method: 'GET', url: '/api/integrate/v3/users?limit=100&offset=900', headers: request.headers });
    assert.equal(all.json().items.length, 100);
    assert.equal(all.json().pagination.has_more, false, 'exactly 1,000 users');
  });
});
