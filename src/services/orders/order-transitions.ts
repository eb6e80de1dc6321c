// Runs a lifecycle action on a locked order: checks it against the lifecycle table, writes the
// new state and the event rows in the caller's transaction. Every service moves orders this way.
import { isUuid } from '../../domain/clock.js';
import { LIFECYCLE, transitionError, type DeliveryType, type OrderAction } from '../../domain/order-lifecycle.js';
import type { ProductType } from '../../domain/catalog.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { Db } from '../../db/dialect.js';
import type { Order, OrderChanges } from '../../db/tables/orders.js';
import type { ServiceDeps } from '../deps.js';
import type { OrderEvents } from './order-events.js';
import { ordersRepo } from './orders-repo.js';

export const ORDER_NOT_FOUND = 'Order not found.';

export interface MoveOptions {
  set?: OrderChanges;
  /** One event per product type (in this order); default a single products_2d event. */
  productTypes?: ProductType[];
  deliveryType?: DeliveryType;
}

export function orderTransitionsFactory({
  db,
  clock,
  orderEvents,
}: Pick<ServiceDeps, 'db' | 'clock'> & { orderEvents: Pick<OrderEvents, 'record'> }) {
  /** Throws the lifecycle's 409 unless `action` may run on `order`. */
  function assertAllowed(action: OrderAction, order: Order): void {
    const message = transitionError(action, order.status);
    if (message) throw new ConflictError(message);
  }

  async function recordEvents(tx: Db, before: Order, after: Order, action: OrderAction, opts: MoveOptions): Promise<void> {
    const trigger = LIFECYCLE[action].trigger;
    if (!trigger) return;
    for (const productType of opts.productTypes ?? ['products_2d']) {
      await orderEvents.record(tx, {
        orderId: before.id,
        companyId: before.company_id,
        trigger,
        currentStatus: after.status,
        previousStatus: before.status,
        modelId: before.model_id,
        productType,
        deliveryType: opts.deliveryType ?? 'new',
      });
    }
  }

  return {
    assertAllowed,

    /**
     * Locks the order (scoped to the company unless `companyId` is null, for the operator) and
     * runs `fn` in one transaction. A malformed or unknown id is a 404.
     */
    async withOrder<T>(companyId: string | null, orderId: string, fn: (tx: Db, order: Order) => Promise<T>): Promise<T> {
      if (!isUuid(orderId)) throw new NotFoundError(ORDER_NOT_FOUND);
      return db.transaction().execute(async (tx) => {
        const order =
          companyId === null ? await ordersRepo.system.lock(tx, orderId) : await ordersRepo.forCompany(companyId).lock(tx, orderId);
        if (!order) throw new NotFoundError(ORDER_NOT_FOUND);
        return fn(tx, order);
      });
    },

    /** Applies `action`: status (if the action changes it), `set`, and the events it fires. */
    async move(tx: Db, order: Order, action: OrderAction, opts: MoveOptions = {}): Promise<Order> {
      assertAllowed(action, order);
      const rule = LIFECYCLE[action];
      const now = clock.nowUs();
      const values: OrderChanges = { ...opts.set, updated_at: now };
      if (rule.to && rule.to !== order.status) {
        values.status = rule.to;
        values.status_changed_at = now;
      }
      const updated = await ordersRepo.forCompany(order.company_id).update(tx, order.id, values);
      await recordEvents(tx, order, updated, action, opts);
      return updated;
    },

    /** Inserts a new (New) order and applies `action` to it in the same statement. */
    async create(tx: Db, order: Order, action: OrderAction, opts: MoveOptions = {}): Promise<Order> {
      assertAllowed(action, order);
      const rule = LIFECYCLE[action];
      const created: Order = { ...order, ...opts.set, status: rule.to ?? order.status };
      await ordersRepo.forCompany(order.company_id).insert(tx, created);
      await recordEvents(tx, order, created, action, opts);
      return created;
    },
  };
}

export type OrderTransitions = ReturnType<typeof orderTransitionsFactory>;
