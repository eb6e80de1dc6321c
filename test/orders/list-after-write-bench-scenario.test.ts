// The read-after-write bench scenarios must measure a fresh page: the write they send before each
// read changes that page, so no cached answer could be the right one. Data only, never timings.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.js';
import { scenarios } from '../../bench/scenarios/index.js';

describe('bench scenarios orders-list-after-write', () => {
  it('each draft it writes is first on the page it reads next', async (t) => {
    const scenario = scenarios.find((s) => s.name === 'orders-list-after-write')!;
    const ctx = await buildTestApp(t);
    const read = await scenario.prepare({ storage: ctx.storage, services: ctx.app.services, config: ctx.config, clock: ctx.clock });
    const write = read.after!;
    assert.deepEqual([write.method, write.path], ['POST', '/api/integrate/v3/orders/draft']);
    for (let i = 0; i < 3; i++) {
      ctx.clock.advanceSeconds(1);
      const written = await ctx.inject({ method: write.method, url: write.path, headers: write.headers, payload: write.body });
      assert.equal(written.statusCode, 200);
      const page = await ctx.inject({ method: read.method, url: read.path, headers: read.headers });
      assert.equal(page.statusCode, 200);
      assert.equal(page.json().items.length, 20);
      assert.equal(page.json().items[0].id, written.json().id);
    }
  });

  it('the uncached variant is the same load with the read cache off', () => {
    const [cached, uncached] = ['orders-list-after-write', 'orders-list-after-write-uncached'].map((n) =>
      scenarios.find((s) => s.name === n)!,
    );
    assert.deepEqual(cached!.env, {});
    assert.deepEqual(uncached!.env, { CASA_READ_CACHE: 'false' });
  });
});
