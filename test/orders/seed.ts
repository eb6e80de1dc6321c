// Fast seeding of many orders with batched inserts (rows shaped exactly as the service writes them).
import crypto from 'node:crypto';
import type { Db } from '../../src/db/dialect.js';
import type { OrderRow } from '../../src/db/tables/orders.js';
import { fullAddress, normalizeAddress } from '../../src/domain/address.js';

export interface SeedOptions {
  companyId: string;
  count: number;
  /** Creation time of the first row (µs); each next row is `stepUs` later. */
  startUs: number;
  stepUs?: number;
  row?: (i: number) => Partial<OrderRow>;
  batch?: number;
}

export function seedRow(companyId: string, i: number, createdAt: number, extra: Partial<OrderRow> = {}): OrderRow {
  const address = normalizeAddress({ street: `${100 + (i % 900)} Seed Street`, city: 'Espoo', country: 'Finland', postalCode: '02100' });
  return {
    id: crypto.randomUUID(),
    company_id: companyId,
    status: 'Draft',
    held: 0,
    created_by: 'seed@example.com',
    owner_user_id: null,
    owner_email: 'seed@example.com',
    order_type: 'vbim',
    is_scan_order: 1,
    external_id: `SEED-${i}`,
    add_info: '',
    style_template: null,
    package_type: 'base',
    add_ons: '[]',
    total_scanned_area: 0,
    first_delivered_at: null,
    created_at: createdAt,
    updated_at: createdAt,
    status_changed_at: createdAt,
    due_at: null,
    model_id: crypto.randomUUID(),
    street: address.street,
    number: address.number,
    suite: null,
    city: address.city,
    state: null,
    postal_code: address.postalCode,
    country: address.country,
    latitude: null,
    longitude: null,
    full_address: fullAddress(address),
    source: null,
    order_preferences: null,
    go2scan_token_hash: null,
    go2scan_expires_at: null,
    go2scan_customer: null,
    go2scan_invitation_sent_at: null,
    go2scan_uploaded_at: null,
    delivered_products: '[]',
    pending_delivery_type: null,
    pending_products: null,
    lease_until: null,
    lease_owner: null,
    production_attempts: 0,
    ...extra,
  };
}

/** Inserts `count` orders in batches inside one transaction; answers their ids in creation order. */
export async function seedOrders(db: Db, opts: SeedOptions): Promise<string[]> {
  const step = opts.stepUs ?? 1000;
  const batch = opts.batch ?? 500;
  const ids: string[] = [];
  await db.transaction().execute(async (tx) => {
    for (let start = 0; start < opts.count; start += batch) {
      const rows: OrderRow[] = [];
      for (let i = start; i < Math.min(opts.count, start + batch); i++) {
        const row = seedRow(opts.companyId, i, opts.startUs + i * step, opts.row?.(i));
        rows.push(row);
        ids.push(row.id);
      }
      await tx.insertInto('orders').values(rows).execute();
    }
  });
  return ids;
}
