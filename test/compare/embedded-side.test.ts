// The embedded side of `compare`: this server on a temporary database, holding an object of each
// kind the real account shows, whatever that account holds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEmbedded, type Inventory } from '../../src/compare/embedded-side.js';

interface Item {
  id: string;
  status: string;
  role: string;
  email_confirmed: boolean;
  info: { status: string; is_scan_order: boolean; external_id: string; product: { package_type: string; add_ons: string[] } };
}

describe('compare: the embedded server', () => {
  it('holds an order of each status and kind seen, users of each role, offices, a Done change request', async (t) => {
    const inventory: Inventory = {
      orders: [
        { status: 'New', redraw: false, packageType: 'base', addOns: [] },
        { status: 'Draft', redraw: false, packageType: 'plus_3d', addOns: ['gla'] },
        { status: 'Pending', redraw: true, packageType: 'plus', addOns: [] },
        { status: 'Ready', redraw: false, packageType: 'plus', addOns: ['3d_cad_files'] },
        { status: 'Fixing', redraw: false, packageType: null, addOns: [] },
        { status: 'Failed', redraw: false, packageType: 'base', addOns: [] },
        // What our catalog does not know still leaves an order of that status.
        { status: 'Pending', redraw: false, packageType: 'premium', addOns: ['fixed_furniture'] },
      ],
      roles: ['Manager', 'User', 'Collaborator', 'Owner'],
      invitedUser: true,
      offices: 3,
      changeRequestStatuses: ['Open', 'Done'],
      webhookTriggers: ['moved_to_ready', 'moved_to_sold'],
    };
    const server = await startEmbedded(inventory);
    t.after(() => server.close());
    const get = async (url: string) => {
      const res = await fetch(`${server.baseUrl}/${url}`, { headers: { 'api-key': server.apiKey } });
      assert.equal(res.status, 200, url);
      return (await res.json()) as { items: Item[]; webhook_triggers?: string[] };
    };

    const orders = (await get('orders?limit=100')).items;
    assert.deepEqual(
      orders.map((o) => `${o.info.status} ${o.info.is_scan_order ? 'scan' : 'redraw'} ${o.info.product.package_type}`).sort(),
      [
        'Draft scan plus_3d',
        'Failed scan base',
        'Fixing scan plus',
        'New scan base',
        'Pending redraw plus',
        'Pending scan plus',
        'Ready scan plus',
      ],
    );
    assert.ok(orders.every((o) => /^CMP-\d+$/.test(o.info.external_id)));
    const ready = orders.find((o) => o.info.status === 'Ready')!;
    assert.deepEqual(ready.info.product.add_ons, ['3d_cad_files']);
    const changeRequests = (await get(`orders/${ready.id}/change-requests`)).items;
    assert.deepEqual(
      changeRequests.map((c) => c.status),
      ['Done'],
    );
    const fixing = orders.find((o) => o.info.status === 'Fixing')!;
    assert.deepEqual(
      (await get(`orders/${fixing.id}/change-requests`)).items.map((c) => c.status),
      ['Open'],
    );

    const users = (await get('users')).items;
    assert.deepEqual(users.map((u) => `${u.role} ${u.email_confirmed}`).sort(), [
      'Collaborator true',
      'Manager true',
      'User false',
      'User true',
    ]);
    assert.equal((await get('offices')).items.length, 3);
    assert.deepEqual((await get('companies/info')).webhook_triggers, ['moved_to_ready']);
  });
});
