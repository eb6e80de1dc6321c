// A stand-in for the real CubiCasa service: this server, filled with the example data of KNOWN.md
// (Tim Berners-Lee and Linus Torvalds as users, 615 Bourbon St and 521 Brightfield Road as
// orders, EXT10005 and R4ER93 as external ids), behind an HTTP front that records every request
// that arrives and can answer with deliberate differences from our shapes:
//   - an unknown enum value: `customer_type` "Broker" on GET /companies/info;
//   - a string where we send a number: `info.total_scanned_area` on GET /orders/{id};
//   - an extra nested key: `delivery_assets.listing_floorplans.webp_urls` on GET /orders/{id};
//   - a different `next_offset`: offset + limit + 1 on GET /orders.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildTestApp, type TestApp } from '../helpers/app.js';

export interface Arrival {
  method: string;
  url: string;
}

export interface FixtureService {
  baseUrl: string;
  apiKey: string;
  ctx: TestApp;
  /** Every request that reached the front, in order. */
  arrived: Arrival[];
  /** Every JSON body the front answered with, for the test that no value leaks. */
  answered: unknown[];
  /** Change the answer to every later request (the politeness tests use it). */
  override: ((req: Arrival) => { status: number; headers?: Record<string, string>; body?: string } | null) | null;
}

export interface FixtureOptions {
  /** Answer with the deliberate differences (default true). */
  differences?: boolean;
}

const PREFIX = '/api/integrate/v3';

/** Whatever closes things after the test: a TestContext, or a suite's own list. */
export interface Cleanup {
  after(fn: () => unknown): void;
}

export async function startFixtureService(t: Cleanup, options: FixtureOptions = {}): Promise<FixtureService> {
  const ctx = await buildTestApp();
  t.after(() => ctx.close());
  const apiKey = await seedKnownExamples(ctx);
  const fixture: FixtureService = { baseUrl: '', apiKey, ctx, arrived: [], answered: [], override: null };
  const withDifferences = options.differences ?? true;

  const server = http.createServer((req, res) => {
    const arrival = { method: req.method ?? '', url: req.url ?? '' };
    fixture.arrived.push(arrival);
    req.resume();
    req.on('end', async () => {
      const forced = fixture.override?.(arrival);
      if (forced) {
        res.writeHead(forced.status, forced.headers).end(forced.body ?? '');
        return;
      }
      const headers: Record<string, string> = {};
      if (typeof req.headers['api-key'] === 'string') headers['api-key'] = req.headers['api-key'];
      const answer = await ctx.inject({ method: req.method as 'GET', url: arrival.url, headers });
      const contentType = String(answer.headers['content-type'] ?? '');
      let body: Buffer | string = answer.rawPayload;
      if (contentType.startsWith('application/json')) {
        const json = answer.json();
        if (withDifferences) differ(new URL(arrival.url, 'http://fixture').pathname.slice(PREFIX.length), answer.statusCode, json);
        if (!arrival.url.endsWith('/openapi.json')) fixture.answered.push(json);
        body = JSON.stringify(json);
      }
      res.writeHead(answer.statusCode, { 'content-type': contentType }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  fixture.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PREFIX}`;
  return fixture;
}

/** The deliberate differences, applied to our own answer. */
function differ(path: string, status: number, json: Record<string, unknown>): void {
  if (status !== 200) return;
  if (path === '/companies/info') json.customer_type = 'Broker';
  if (/^\/orders\/[0-9a-f-]{36}$/.test(path)) {
    const order = json as { info: Record<string, unknown>; delivery_assets: { listing_floorplans: Record<string, string[]> | null } };
    order.info.total_scanned_area = String(order.info.total_scanned_area);
    const floorplans = order.delivery_assets.listing_floorplans;
    if (floorplans) floorplans.webp_urls = floorplans.png_urls!.map((u) => u.replace(/\.png/, '.webp'));
  }
  if (path === '/orders') (json.pagination as { next_offset: number }).next_offset += 1;
}

/** KNOWN.md's example data, one object of each kind: users of each role, orders in each status. */
async function seedKnownExamples(ctx: TestApp): Promise<string> {
  const admin = ctx.adminHeaders;
  const send = async (method: 'POST' | 'PATCH', url: string, headers: Record<string, string>, payload: Record<string, unknown> = {}) => {
    const res = await ctx.inject({ method, url, headers, payload });
    if (res.statusCode >= 300) throw new Error(`fixture seed: ${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const company = await send('POST', '/admin/v1/companies', admin, {
    name: 'Cubi Realty Minneapolis',
    manager_email: 'manager@cubicasa.com',
    manager_password: 'manager-password-1',
    country: 'United States',
    customer_type: 'Photographer',
  });
  const key = { 'api-key': company.api_key as string };
  const api = (method: 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) => send(method, `${PREFIX}/${url}`, key, payload);
  const operator = (url: string, payload?: Record<string, unknown>) => send('POST', `/admin/v1/${url}`, admin, payload);

  await api('POST', 'offices', { name: 'North Washington Avenue' });
  await api('POST', 'users', {
    email: 'tim@internet.com',
    role: 'Collaborator',
    name: 'Tim',
    surname: 'Berners-Lee',
    password: 'www-password-1',
  });
  await api('POST', 'users', { email: 'linus@computer.com', role: 'User', name: 'Linus', surname: 'Torvalds' });

  const bourbon = {
    street: '615 Bourbon St',
    suite: 'A1',
    city: 'New Orleans',
    state: 'Louisiana',
    country: 'United States',
    postalCode: '70130',
    latitude: 29.958365,
    longitude: -90.066198,
  };
  const brightfield = {
    street: '521 Brightfield Road',
    city: 'Lutherville Timonium',
    state: 'Maryland',
    postalCode: '21093',
    country: 'United States',
    latitude: 39.40732,
    longitude: -76.66468,
  };
  // Draft
  await api('POST', 'orders/draft', {
    ...bourbon,
    info: 'Extra info',
    external_id: 'R4ER93',
    owner_email: 'linus@computer.com',
    package_type: 'base',
  });
  // Ready, plus, as in the live payload
  const ready = await api('POST', 'orders/draft', {
    ...brightfield,
    external_id: 'EXT10005',
    owner_email: 'manager@cubicasa.com',
    package_type: 'plus',
  });
  await operator(`orders/${ready.id}/scan`, { total_scanned_area: 1834.5 });
  await operator(`orders/${ready.id}/deliver`);
  // Fixing, with a change request
  const fixing = await api('POST', 'orders/draft', {
    ...brightfield,
    street: '121 North Washington Avenue',
    owner_email: 'manager@cubicasa.com',
  });
  await operator(`orders/${fixing.id}/scan`);
  await operator(`orders/${fixing.id}/deliver`);
  await api('POST', `orders/${fixing.id}/change-requests`, { message: 'The kitchen door opens the other way.' });
  // Pending, a redraw
  await api('POST', 'orders', {
    ...bourbon,
    street: '700 Royal St',
    info: 'Redraw from the listing plan',
    source: 'https://plans.example.org/700-royal.png',
  });
  // New, a GoToScan order
  await api('POST', 'orders/go2scan', {
    ...bourbon,
    street: '900 Chartres St',
    customer: { name: 'Ada Lovelace', email: 'ada@analytical.org' },
  });
  // Failed
  const failed = await api('POST', 'orders/draft', { ...bourbon, street: '1001 Decatur St', owner_email: 'tim@internet.com' });
  await operator(`orders/${failed.id}/fail`);
  return company.api_key as string;
}
