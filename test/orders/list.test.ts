// GET /orders: filters, paging over 10,000 orders, and bad queries.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertRequiresApiKey } from '../helpers/security.js';
import { buildOrdersApp, call, createDraft, ok } from './order-helpers.js';
import { seedOrders } from './seed.js';

const STATUSES = ['Draft', 'Pending', 'Ready', 'Fixing', 'New', 'Failed'];

interface Item {
  id: string;
  info: { status: string; external_id: string | null; owner_email: string | null; created_at: number };
}

async function pageAll(ctx: Parameters<typeof call>[0], company: Parameters<typeof call>[1], query: string, limit = 100): Promise<Item[]> {
  const items: Item[] = [];
  let offset = 0;
  for (;;) {
    const body = await ok(call(ctx, company, 'GET', `/orders?limit=${limit}&offset=${offset}${query ? `&${query}` : ''}`));
    assert.equal(body.pagination.limit, limit);
    assert.equal(body.pagination.next_offset, offset + limit);
    assert.equal(body.pagination.previous_offset, Math.max(0, offset - limit));
    items.push(...body.items);
    if (!body.pagination.has_more) return items;
    assert.equal(body.items.length, limit);
    offset = body.pagination.next_offset;
  }
}

describe('GET /orders', () => {
  it('pages through 10,000 orders, with and without filters, returning each exactly once, newest first', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const other = await ctx.createCompany();
    const start = ctx.clock.nowUs() - 10_000 * 1000;
    // Three orders share each timestamp, so ties must be broken stably by id.
    const ids = await seedOrders(ctx.storage.db, {
      companyId: company.id,
      count: 10_000,
      startUs: start,
      stepUs: 0,
      row: (i) => ({
        created_at: start + Math.floor(i / 3) * 1000,
        status: STATUSES[i % STATUSES.length]!,
        external_id: i % 1000 === 7 ? 'EXT-SHARED' : `EXT-${i}`,
        owner_email: i % 10 === 0 ? 'owner.a@example.com' : 'owner.b@example.com',
      }),
    });
    await seedOrders(ctx.storage.db, { companyId: other.id, count: 50, startUs: start });
    const rows = await ctx.storage.db
      .selectFrom('orders')
      .select(['id', 'status', 'external_id', 'owner_email', 'created_at'])
      .where('company_id', '=', company.id)
      .execute();
    const newestFirst = (a: { created_at: number; id: string }, b: { created_at: number; id: string }) =>
      b.created_at - a.created_at || (a.id < b.id ? 1 : -1);
    const expectIds = (pred: (r: (typeof rows)[number]) => boolean) =>
      rows
        .filter(pred)
        .sort(newestFirst)
        .map((r) => r.id);

    const all = await pageAll(ctx, company, '');
    assert.equal(all.length, 10_000);
    assert.deepEqual(
      all.map((i) => i.id),
      expectIds(() => true),
    );
    assert.equal(new Set(all.map((i) => i.id)).size, ids.length);

    const pendingReady = await pageAll(ctx, company, 'status=Pending&status=Ready');
    assert.deepEqual(
      pendingReady.map((i) => i.id),
      expectIds((r) => r.status === 'Pending' || r.status === 'Ready'),
    );
    assert.equal(pendingReady.length, 3334);
    // A repeated status selects nothing more (the query takes each status once).
    const repeated = await pageAll(ctx, company, 'status=Ready&status=Pending&status=Ready&status=Ready');
    assert.deepEqual(
      repeated.map((i) => i.id),
      pendingReady.map((i) => i.id),
    );

    const shared = await pageAll(ctx, company, 'external_id=EXT-SHARED', 3);
    assert.deepEqual(
      shared.map((i) => i.id),
      expectIds((r) => r.external_id === 'EXT-SHARED'),
    );
    assert.equal(shared.length, 10);

    const ownerA = await pageAll(ctx, company, 'owner_email=Owner.A%40example.com');
    assert.deepEqual(
      ownerA.map((i) => i.id),
      expectIds((r) => r.owner_email === 'owner.a@example.com'),
    );

    // Half-open windows [after, before) tile the range without gaps or overlaps.
    const cut = (start + 1500 * 1000) / 1e6;
    const early = await pageAll(ctx, company, `created_before=${cut}`);
    const late = await pageAll(ctx, company, `created_after=${cut}`);
    assert.equal(early.length + late.length, 10_000);
    assert.deepEqual(
      early.map((i) => i.id),
      expectIds((r) => r.created_at < start + 1500 * 1000),
    );
    const window = await pageAll(ctx, company, `created_after=${(start + 1000 * 1000) / 1e6}&created_before=${cut}&status=Draft`);
    assert.deepEqual(
      window.map((i) => i.id),
      expectIds((r) => r.created_at >= start + 1000 * 1000 && r.created_at < start + 1500 * 1000 && r.status === 'Draft'),
    );
  });

  it('lists items without delivery_assets, in the order shape of the contract', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const draft = await createDraft(ctx, company);
    const body = await ok(call(ctx, company, 'GET', '/orders'));
    assert.deepEqual(body.pagination, { has_more: false, limit: 20, next_offset: 20, previous_offset: 0 });
    const { delivery_assets: _omitted, ...expected } = draft;
    assert.deepEqual(body.items, [expected]);
  });

  it('takes dates past any stored time, up to an infinite 1e309, as the open ends they mean', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const draft = await createDraft(ctx, company);
    const ids = async (query: string) =>
      ((await ok(call(ctx, company, 'GET', `/orders?${query}`))).items as { id: string }[]).map((o) => o.id);
    for (const query of [
      'created_before=1e309',
      'created_before=1e300',
      'created_after=-1e309',
      'created_after=-1e300&created_before=1e309',
    ]) {
      assert.deepEqual(await ids(query), [draft.id], query);
    }
    for (const query of ['created_after=1e309', 'created_after=1e300', 'created_before=-1e309', 'created_before=-1e300']) {
      assert.deepEqual(await ids(query), [], query);
    }
  });

  it('answers an empty page past the end', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    await createDraft(ctx, company);
    const body = await ok(call(ctx, company, 'GET', '/orders?offset=40&limit=20'));
    assert.deepEqual(body, { pagination: { has_more: false, limit: 20, next_offset: 60, previous_offset: 20 }, items: [] });
  });

  it('rejects bad query values in the validation shape', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const res = await call(ctx, company, 'GET', '/orders?status=delivered&limit=101&created_after=yesterday');
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      validation_error: {
        query_params: [
          { loc: ['limit'], msg: 'ensure this value is less than or equal to 100', type: 'value_error.number.not_le' },
          {
            loc: ['status', 0],
            msg: "value is not a valid enumeration member; permitted: 'New', 'Draft', 'Pending', 'Ready', 'Fixing', 'Failed'",
            type: 'type_error.enum',
          },
          { loc: ['created_after'], msg: 'value is not a valid float', type: 'type_error.float' },
        ],
      },
    });
  });

  it('shows only the calling company’s orders', async (t) => {
    const ctx = await buildOrdersApp(t);
    const a = await ctx.createCompany();
    const b = await ctx.createCompany();
    const mine = await createDraft(ctx, a);
    await createDraft(ctx, b);
    const body = await ok(call(ctx, a, 'GET', '/orders'));
    assert.deepEqual(
      body.items.map((i: Item) => i.id),
      [mine.id],
    );
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildOrdersApp(t);
    await assertRequiresApiKey(ctx, { method: 'GET', url: '/api/integrate/v3/orders' });
  });
});
