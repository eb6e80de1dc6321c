// The order object as the API shows it (CONTRACT 5.1). List items are the same without
// `delivery_assets`.
import { toEpochSeconds } from '../../domain/clock.js';
import { purchasableAddOns } from '../../domain/catalog.js';
import { location } from '../../domain/address.js';
import { overLimits } from '../../domain/order-product.js';
import type { OrderStatus } from '../../domain/order-lifecycle.js';
import { resolvedStyle } from '../../domain/order-style.js';
import type { Order } from '../../db/tables/orders.js';
import type { DeliveryAssets } from '../deliverables/deliverables-port.js';

export function addressOf(row: Order) {
  return {
    street: row.street,
    number: row.number,
    suite: row.suite,
    city: row.city,
    state: row.state,
    postalCode: row.postal_code,
    country: row.country,
  };
}

function go2scanView(row: Order, link: string | null) {
  if (!row.go2scan_token_hash) return null;
  return {
    link,
    expires_at: toEpochSeconds(row.go2scan_expires_at ?? 0),
    customer: row.go2scan_customer,
    invitation_sent_at: toEpochSeconds(row.go2scan_invitation_sent_at),
    uploaded_at: toEpochSeconds(row.go2scan_uploaded_at),
  };
}

/**
 * `go2scanLink` is the link with its raw token: only the answer that creates the link has it,
 * since the token is stored only as a hash.
 */
export function orderListItem(row: Order, go2scanLink: string | null = null) {
  const addOns = row.add_ons;
  return {
    id: row.id,
    info: {
      status: row.status as OrderStatus,
      created_by: row.created_by,
      owner_email: row.owner_email,
      location: location(addressOf(row)),
      order_type: row.order_type,
      first_delivered_at: toEpochSeconds(row.first_delivered_at),
      created_at: toEpochSeconds(row.created_at),
      is_scan_order: row.is_scan_order === 1,
      total_scanned_area: row.total_scanned_area,
      go2scan: go2scanView(row, go2scanLink),
      external_id: row.external_id,
      add_info: row.add_info,
      style_template: row.style_template ? resolvedStyle(row) : null,
      product: {
        package_type: row.package_type,
        add_ons: addOns,
        over_limits: overLimits(row.total_scanned_area),
        purchasable_add_ons: purchasableAddOns(addOns),
      },
    },
    address: {
      full_address: row.full_address,
      ...addressOf(row),
      latitude: row.latitude,
      longitude: row.longitude,
    },
  };
}

export function orderView(row: Order, assets: DeliveryAssets, go2scanLink: string | null = null) {
  // Each product's shape is owned by the deliverables side and enforced by the response schema.
  return { ...orderListItem(row, go2scanLink), delivery_assets: assets as Record<keyof DeliveryAssets, never> };
}

export type OrderListItem = ReturnType<typeof orderListItem>;
export type OrderView = ReturnType<typeof orderView>;
