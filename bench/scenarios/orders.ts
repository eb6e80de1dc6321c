// Orders: GET /orders?limit=20 with 100,000 orders in the company, the same at offset 90,000,
// and POST /orders/draft.
import type { BenchContext, Scenario } from './scenario.js';
import { seedOrders } from '../../test/orders/seed.js';

const ORDERS = 100_000;
const STATUSES = ['Draft', 'Pending', 'Ready', 'Fixing', 'New'];

async function companyWithOrders({ storage, services, clock }: BenchContext, count: number) {
  const company = await services.company.create({
    name: 'Bench Orders',
    manager_email: 'orders@bench.example',
    manager_password: 'bench-password-1',
  });
  if (count > 0) {
    const start = clock.nowUs() - count * 1000;
    await seedOrders(storage.db, {
      companyId: company.company.id,
      count,
      startUs: start,
      row: (i) => ({ status: STATUSES[i % STATUSES.length]!, owner_email: company.manager.email, created_by: company.manager.email }),
    });
  }
  return company;
}

export const ordersList: Scenario = {
  name: 'orders-list',
  description: `GET /orders?limit=20, company with ${ORDERS.toLocaleString('en')} orders`,
  target: { minRatio: 0.4, maxP99Ms: 25 },
  async prepare(ctx) {
    const company = await companyWithOrders(ctx, ORDERS);
    return { method: 'GET', path: '/api/integrate/v3/orders?limit=20', headers: { 'api-key': company.api_key } };
  },
};

export const ordersDeepPage: Scenario = {
  name: 'orders-deep-page',
  description: `GET /orders?limit=20&offset=90000, company with ${ORDERS.toLocaleString('en')} orders`,
  target: { maxP99Ms: 50 },
  async prepare(ctx) {
    const company = await companyWithOrders(ctx, ORDERS);
    return { method: 'GET', path: '/api/integrate/v3/orders?limit=20&offset=90000', headers: { 'api-key': company.api_key } };
  },
};

export const ordersDraft: Scenario = {
  name: 'orders-draft',
  description: 'POST /orders/draft (each request creates a draft and its moved_to_draft event)',
  target: { minRps: 1000 },
  async prepare(ctx) {
    // Each draft is one commit; CASA_SQLITE_SYNCHRONOUS=FULL adds an fsync to each (the disk's ceiling).
    const company = await companyWithOrders(ctx, 0);
    const body = {
      street: '615 Bourbon St',
      suite: 'A1',
      city: 'New Orleans',
      state: 'Louisiana',
      country: 'United States',
      postalCode: '70130',
      info: 'Extra info',
      latitude: 29.958365,
      longitude: -90.066198,
      external_id: 'R4ER93',
      owner_email: company.manager.email,
      package_type: 'base',
      add_ons: ['gla'],
    };
    return {
      method: 'POST',
      path: '/api/integrate/v3/orders/draft',
      headers: { 'api-key': company.api_key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    };
  },
};
