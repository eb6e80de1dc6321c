// Paging through 250 orders with the client, against a real server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CasaValidationError, type OrderListItem } from '../../packages/client/src/index.js';
import { startServer } from './harness.js';

describe('client: paging through 250 orders', () => {
  it('paginate() returns every order once, newest first, with any page size and with filters', async (t) => {
    const server = await startServer(t);
    const requests: string[] = [];
    const { company, client } = await server.newCompany({
      fetch: (request) => {
        if (request.method === 'GET') requests.push(new URL(request.url).search);
        return fetch(request);
      },
    });
    const created: string[] = [];
    for (let i = 0; i < 250; i++) {
      const draft = await client.createDraft({
        street: `${i + 1} Main Street`,
        city: 'Springfield',
        country: 'United States',
        owner_email: company.managerEmail,
        external_id: `EXT-${String(i).padStart(3, '0')}`,
      });
      created.push(draft.id);
    }
    // Every fifth order gets its scan: Draft → Pending.
    const scanned = created.filter((_, i) => i % 5 === 0);
    for (const id of scanned) assert.equal((await server.admin('POST', `/orders/${id}/scan`, {})).status, 200);
    const newestFirst = [...created].reverse();

    const all: OrderListItem[] = [];
    for await (const order of client.paginate(client.listOrders, {}, { pageSize: 100 })) all.push(order);
    assert.deepEqual(
      all.map((o) => o.id),
      newestFirst,
    );
    assert.deepEqual(requests, ['?offset=0&limit=100', '?offset=100&limit=100', '?offset=200&limit=100']);
    assert.ok(
      all.every((o) => !('delivery_assets' in o)),
      'list items omit delivery_assets',
    );
    assert.deepEqual(all.at(-1)!.info.external_id, 'EXT-000');

    requests.length = 0;
    const pages = [];
    for await (const page of client.pages(client.listOrders)) pages.push(page);
    assert.equal(pages.length, 13, 'the default page of 20: 12 full pages and one of 10');
    assert.deepEqual(pages.at(-1)!.pagination, { has_more: false, limit: 20, next_offset: 260, previous_offset: 220 });
    assert.deepEqual(
      pages.flatMap((p) => p.items.map((o) => o.id)),
      newestFirst,
    );
    assert.equal(requests.length, 13);

    const pending = [];
    for await (const order of client.paginate(client.listOrders, { status: ['Pending'] }, { pageSize: 7 })) pending.push(order);
    assert.deepEqual(
      pending.map((o) => o.id),
      [...scanned].reverse(),
    );
    assert.ok(pending.every((o) => o.info.status === 'Pending'));

    let both = 0;
    for await (const _order of client.paginate(client.listOrders, { status: ['Draft', 'Pending'] }, { pageSize: 100 })) both++;
    assert.equal(both, 250, 'a repeated status parameter matches either');
    assert.ok(requests.at(-1)!.includes('status=Draft&status=Pending'));

    const one = await client.listOrders({ external_id: 'EXT-123' });
    assert.deepEqual(
      one.items.map((o) => o.id),
      [created[123]],
    );

    const resumed = [];
    for await (const order of client.paginate(client.listOrders, {}, { pageSize: 50, startOffset: 240 })) resumed.push(order.id);
    assert.deepEqual(resumed, newestFirst.slice(240));

    const other = await server.newCompany();
    const foreign = [];
    for await (const order of other.client.paginate(other.client.listOrders)) foreign.push(order);
    assert.deepEqual(foreign, [], "another company's client sees none of them");
  });

  it('a bad filter or page size is a CasaValidationError on query_params', async (t) => {
    const server = await startServer(t);
    const { client } = await server.newCompany();
    const err = await client.listOrders({ limit: 101, status: ['delivered' as 'Ready'] }).catch((e: unknown) => e);
    assert.ok(err instanceof CasaValidationError);
    assert.deepEqual(
      err.issues.map((i) => [i.part, i.loc, i.type]),
      [
        ['query_params', ['limit'], 'value_error.number.not_le'],
        ['query_params', ['status', 0], 'type_error.enum'],
      ],
    );
  });
});
