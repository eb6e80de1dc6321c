// Orders: GET /orders?limit=20 with 100,000 orders in the company, the same at offset 90,000,
// POST /orders/draft, and the first page read right after each draft (with and without the read cache).
import type { BenchContext, BenchRequest, Scenario } from './scenario.js';
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

function draftBody(ownerEmail: string) {
  return {
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
    owner_email: ownerEmail,
    package_type: 'base',
    add_ons: ['gla'],
  };
}

function draftRequest(company: { api_key: string; manager: { email: string } }): BenchRequest {
  return {
    method: 'POST',
    path: '/api/integrate/v3/orders/draft',
    headers: { 'api-key': company.api_key, 'content-type': 'application/json' },
    body: JSON.stringify(draftBody(company.manager.email)),
  };
}

export const ordersDraft: Scenario = {
  name: 'orders-draft',
  description: 'POST /orders/draft (each request creates a draft and its moved_to_draft event)',
  target: { minRps: 1000, maxCpuUs: 150 },
  async prepare(ctx) {
    // Each draft is one commit; CASA_SQLITE_SYNCHRONOUS=FULL adds an fsync to each (the disk's ceiling).
    return draftRequest(await companyWithOrders(ctx, 0));
  },
};

/** `GET /orders?limit=20` right after a draft, in a loop: the page is always read from the database. */
function listAfterWrite(name: string, env: Record<string, string>): Scenario {
  return {
    name,
    description: `GET /orders?limit=20 right after each POST /orders/draft, ${ORDERS.toLocaleString('en')} orders${env.CASA_READ_CACHE === 'false' ? ', CASA_READ_CACHE=false' : ''}`,
    target: { maxCpuUs: 150 },
    env,
    async prepare(ctx) {
      const company = await companyWithOrders(ctx, ORDERS);
      return {
        method: 'GET',
        path: '/api/integrate/v3/orders?limit=20',
        headers: { 'api-key': company.api_key },
        after: draftRequest(company),
      };
    },
  };
}

export const ordersListAfterWrite = listAfterWrite('orders-list-after-write', {});
export const ordersListAfterWriteUncached = listAfterWrite('orders-list-after-write-uncached', { CASA_READ_CACHE: 'false' });
