// The order lifecycle as one table: which action is allowed from which status, where it leads and
// which webhook trigger it fires. Services ask this module; nothing else decides a transition.
import { PRODUCTS, PRODUCT_TYPE, boughtProducts, type PackageType, type Product, type ProductType } from './catalog.js';

export const ORDER_STATUSES = ['New', 'Draft', 'Pending', 'Ready', 'Fixing', 'Failed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type OrderTrigger = 'moved_to_draft' | 'moved_to_pending' | 'moved_to_ready' | 'moved_to_fixing' | 'moved_to_failed';
export type DeliveryType = 'new' | 'fix' | 'update';

export type OrderAction =
  | 'makeDraft'
  | 'editDraft'
  | 'deleteDraft'
  | 'submitSource'
  | 'uploadScan'
  | 'deliver'
  | 'requestChange'
  | 'redeliver'
  | 'fail'
  | 'combinedPdf';

interface Rule {
  from: readonly OrderStatus[];
  /** Status after the action; null when the action keeps the status. */
  to: OrderStatus | null;
  trigger: OrderTrigger | null;
}

export const LIFECYCLE: Record<OrderAction, Rule> = {
  makeDraft: { from: ['New'], to: 'Draft', trigger: 'moved_to_draft' },
  editDraft: { from: ['Draft'], to: null, trigger: null },
  deleteDraft: { from: ['Draft'], to: null, trigger: null },
  submitSource: { from: ['New'], to: 'Pending', trigger: 'moved_to_pending' },
  uploadScan: { from: ['New', 'Draft'], to: 'Pending', trigger: 'moved_to_pending' },
  deliver: { from: ['Pending', 'Fixing', 'Ready'], to: 'Ready', trigger: 'moved_to_ready' },
  requestChange: { from: ['Ready'], to: 'Fixing', trigger: 'moved_to_fixing' },
  redeliver: { from: ['Ready'], to: null, trigger: null },
  fail: { from: ['New', 'Draft', 'Pending', 'Fixing'], to: 'Failed', trigger: 'moved_to_failed' },
  combinedPdf: { from: ['Ready', 'Fixing'], to: null, trigger: null },
};

function orList(statuses: readonly string[]): string {
  if (statuses.length <= 1) return statuses.join('');
  return `${statuses.slice(0, -1).join(', ')} or ${statuses[statuses.length - 1]}`;
}

/** Null when `action` may run on an order in `status`; otherwise the 409 message. */
export function transitionError(action: OrderAction, status: string): string | null {
  const rule = LIFECYCLE[action];
  if ((rule.from as readonly string[]).includes(status)) return null;
  return `Order is in status ${status}; this needs ${orList(rule.from)}.`;
}

const PRODUCT_TYPE_ORDER: readonly ProductType[] = ['products_2d', 'products_3d', 'tour'];

/** The webhook product types of `products`, each once, 2D then 3D then tour. */
export function productTypesOf(products: readonly string[]): ProductType[] {
  const types = new Set(products.map((p) => PRODUCT_TYPE[p as Product]).filter(Boolean));
  return PRODUCT_TYPE_ORDER.filter((t) => types.has(t));
}

/** Bought products of one webhook product type, in catalog order. */
export function productsOfType(packageType: string, addOns: readonly string[], type: ProductType): Product[] {
  return boughtProducts(packageType as PackageType, addOns).filter((p) => PRODUCT_TYPE[p] === type);
}

export interface DeliveryPlan {
  from: 'Pending' | 'Fixing' | 'Ready';
  deliveryType: DeliveryType;
  products: Product[];
}

/**
 * What production would deliver for an order now, or null when nothing is waiting.
 * Pending: every bought product (first delivery). Fixing: the products queued by the change
 * request (and by upgrades bought meanwhile). Ready: products queued by an upgrade or redelivery.
 */
export function deliveryPlan(order: {
  status: string;
  package_type: string;
  add_ons: readonly string[];
  pending_products: readonly string[] | null;
}): DeliveryPlan | null {
  const bought = boughtProducts(order.package_type as PackageType, order.add_ons);
  const queued = new Set(order.pending_products);
  const waiting = bought.filter((p) => queued.has(p));
  switch (order.status) {
    case 'Pending':
      return { from: 'Pending', deliveryType: 'new', products: bought };
    case 'Fixing':
      return {
        from: 'Fixing',
        deliveryType: 'fix',
        products: waiting.length ? waiting : bought.filter((p) => PRODUCT_TYPE[p] === 'products_2d'),
      };
    case 'Ready':
      return waiting.length ? { from: 'Ready', deliveryType: 'update', products: waiting } : null;
    default:
      return null;
  }
}

/** `a ∪ b` in catalog order, each product once. */
export function mergeProducts(a: readonly string[] | null, b: readonly string[]): Product[] {
  const set = new Set<string>([...(a ?? []), ...b]);
  return PRODUCTS.filter((p) => set.has(p));
}

/** Addresses containing `cctest` (any case) are test orders that production never delivers. */
export function isTestAddress(parts: readonly (string | null | undefined)[]): boolean {
  return parts.some((p) => typeof p === 'string' && /cctest/i.test(p));
}

/**
 * A scenario address: one containing `ccfail` (any case) is failed by production
 * (`moved_to_failed`) when it would have been delivered.
 */
export function isFailAddress(parts: readonly (string | null | undefined)[]): boolean {
  return parts.some((p) => typeof p === 'string' && /ccfail/i.test(p));
}

/** The address fields the scenario words (`cctest`, `ccfail`) are looked for in. */
export function addressParts(order: {
  full_address: string | null;
  street: string | null;
  suite: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
}): (string | null)[] {
  return [order.full_address, order.street, order.suite, order.city, order.state, order.postal_code, order.country];
}

/** When production may deliver: the configured delay after now, a quarter of it with 6h_turnaround. */
export function productionDueAt(nowUs: number, delayS: number, addOns: readonly string[]): number {
  const delayUs = Math.round((delayS * 1e6) / (addOns.includes('6h_turnaround') ? 4 : 1));
  return nowUs + delayUs;
}
