// Shared steps of the order tests: calls through HTTP, and the event rows read from the database.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, type TestApp, type TestCompany } from '../helpers/app.js';
import type { TestContext } from 'node:test';

export const API = '/api/integrate/v3';

/** A test app without rate limiting (these tests make many calls in frozen time). */
export function buildOrdersApp(t: TestContext, overrides: Parameters<typeof buildTestApp>[1] = {}): Promise<TestApp> {
  return buildTestApp(t, { rateLimitPerSecond: 1_000_000, rateLimitBurst: 1_000_000, ...overrides });
}

export function draftBody(company: TestCompany, overrides: Record<string, unknown> = {}) {
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
    owner_email: company.managerEmail,
    package_type: 'base',
    add_ons: ['gla'],
    ...overrides,
  };
}

export function redrawBody(overrides: Record<string, unknown> = {}) {
  return {
    street: '121 North Washington Avenue',
    city: 'Minneapolis',
    state: 'Minnesota',
    postalCode: '55401',
    country: 'United States',
    info: 'Please draw the attached plan',
    source: 'https://drawings.example.com/plan-1.pdf',
    ...overrides,
  };
}

export async function call(
  ctx: TestApp,
  company: TestCompany | null,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
): Promise<LightMyRequestResponse> {
  return ctx.inject({
    method,
    url: url.startsWith('/admin') ? url : `${API}${url}`,
    headers: company ? company.headers : ctx.adminHeaders,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

export async function ok(res: Promise<LightMyRequestResponse> | LightMyRequestResponse, status = 200) {
  const r = await res;
  assert.equal(r.statusCode, status, `expected ${status}, got ${r.statusCode}: ${r.body}`);
  return r.json();
}

export async function createDraft(ctx: TestApp, company: TestCompany, overrides: Record<string, unknown> = {}) {
  return ok(call(ctx, company, 'POST', '/orders/draft', draftBody(company, overrides)));
}

export async function scan(ctx: TestApp, orderId: string, body: Record<string, unknown> = {}) {
  return ok(call(ctx, null, 'POST', `/admin/v1/orders/${orderId}/scan`, body));
}

export async function getOrder(ctx: TestApp, company: TestCompany, orderId: string) {
  return ok(call(ctx, company, 'GET', `/orders/${orderId}`));
}

export interface EventRow {
  trigger: string;
  current_status: string;
  previous_status: string | null;
  product_type: string;
  delivery_type: string;
}

/** The order's event rows in the order they were written. */
export async function eventsOf(ctx: TestApp, orderId: string): Promise<EventRow[]> {
  const rows = await ctx.storage.db.selectFrom('order_events').selectAll().where('order_id', '=', orderId).orderBy('seq').execute();
  return rows.map((r) => ({
    trigger: r.trigger,
    current_status: r.current_status,
    previous_status: r.previous_status,
    product_type: r.product_type,
    delivery_type: r.delivery_type,
  }));
}

/** Every event of the order carries the order's model id. */
export async function modelIdsOf(ctx: TestApp, orderId: string): Promise<string[]> {
  const rows = await ctx.storage.db.selectFrom('order_events').select('model_id').where('order_id', '=', orderId).orderBy('seq').execute();
  return [...new Set(rows.map((r) => r.model_id))];
}

export function ev(trigger: string, current: string, previous: string | null, productType = 'products_2d', deliveryType = 'new'): EventRow {
  return { trigger, current_status: current, previous_status: previous, product_type: productType, delivery_type: deliveryType };
}

/** A whole-database fingerprint of order state, to prove a refused call changed nothing. */
export async function snapshot(ctx: TestApp) {
  const db = ctx.storage.db;
  return {
    orders: await db.selectFrom('orders').selectAll().orderBy('id').execute(),
    events: await db.selectFrom('order_events').selectAll().orderBy('seq').execute(),
    changeRequests: await db.selectFrom('change_requests').selectAll().orderBy('id').execute(),
    scanFiles: await db.selectFrom('scan_files').selectAll().orderBy('id').execute(),
  };
}

export const ALL_ASSETS_NULL = {
  listing_floorplans: null,
  home_report: null,
  tour: null,
  floorplans_3d: null,
  video_3d: null,
  gla_package: null,
  snapshot: null,
  property_data: null,
  cad_files: null,
};

export const EMPTY_LISTING = {
  jpg_urls: [],
  jpg_urls_dim: [],
  png_urls: [],
  png_urls_dim: [],
  svg_urls: [],
  svg_urls_dim: [],
  pdf_urls: [],
  pdf_urls_dim: [],
  zip_urls: [],
  zip_urls_dim: [],
};

/** Epoch seconds that were taken at or after `beforeUs` and not long after. */
export function assertTakenAfter(epochSeconds: unknown, beforeUs: number) {
  assert.equal(typeof epochSeconds, 'number');
  const us = Math.round((epochSeconds as number) * 1e6);
  assert.ok(us >= beforeUs && us < beforeUs + 1000, `time ${epochSeconds} should follow ${beforeUs / 1e6}`);
}
