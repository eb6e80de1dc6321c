import type { Migration } from './helpers.js';

// Each index of \`orders\` is one more b-tree page that every new order's commit writes
// (docs/performance.md measures it). Query plans measured on 100,000 orders:
// - (company_id, external_id) and (company_id, owner_email) served no query: SQLite preferred
//   (company_id, created_at, id), and with statistics (PRAGMA optimize) it takes (external_id);
// - (status, due_at) and (due_at) are one partial index on due_at, which holds only the orders
//   production has to do: a draft or a delivered order writes nothing to it;
// - (owner_email) becomes (owner_email, created_at, id), so the console's newest-first list of one
//   owner's orders reads the page off the index instead of sorting every order of that owner.
export const orderIndexes: Migration = {
  async up(db) {
    for (const name of ['orders_company_external', 'orders_company_owner', 'orders_due', 'orders_due_at', 'orders_owner']) {
      await db.schema.dropIndex(name).execute();
    }
    await db.schema
      .createIndex('orders_due_time')
      .on('orders')
      .column('due_at')
      .where((eb) => eb('due_at', 'is not', null))
      .execute();
    await db.schema.createIndex('orders_owner_created').on('orders').columns(['owner_email', 'created_at', 'id']).execute();
  },
};
