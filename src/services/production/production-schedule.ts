// The order columns that put an order in front of the production worker, or take it away.
import { derivedScannedArea } from '../../domain/order-product.js';
import { isTestAddress, productionDueAt } from '../../domain/order-lifecycle.js';
import type { Order, OrderChanges } from '../../db/tables/orders.js';

/** When production may deliver `order` if it starts waiting now: null for `cctest` orders, never. */
export function dueAtFor(
  order: Pick<Order, 'add_ons' | 'street' | 'number' | 'suite' | 'city' | 'state' | 'postal_code' | 'country' | 'full_address'>,
  nowUs: number,
  delayS: number,
): number | null {
  if (isTestAddress([order.full_address, order.street, order.suite, order.city, order.state, order.postal_code, order.country]))
    return null;
  return productionDueAt(nowUs, delayS, order.add_ons);
}

/** Entering Pending: the scan (or drawing) is in, its area known, production scheduled. */
export function enterPending(order: Order, nowUs: number, delayS: number, totalScannedArea?: number): OrderChanges {
  return {
    total_scanned_area: totalScannedArea ?? derivedScannedArea(order.id),
    due_at: dueAtFor(order, nowUs, delayS),
    pending_delivery_type: 'new',
    pending_products: null,
    production_attempts: 0,
  };
}

/** Nothing left to deliver: the order leaves the production queue. */
export const leaveProduction = {
  due_at: null,
  pending_delivery_type: null,
  pending_products: null,
  lease_until: null,
  lease_owner: null,
  production_attempts: 0,
} as const satisfies OrderChanges;
