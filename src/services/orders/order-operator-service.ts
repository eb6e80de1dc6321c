// The operator's controls over any order (CONTRACT 8): upload a scan, deliver now, fail, hold.
// Holding pauses automatic production only; the status does not change and no event is sent.
import { toEpochSeconds } from '../../domain/clock.js';
import { ConflictError } from '../../errors.js';
import type { Order } from '../../db/tables/orders.js';
import type { ServiceDeps } from '../deps.js';
import type { Deliverables } from '../deliverables/deliverables-port.js';
import { enterPending, leaveProduction } from '../production/production-schedule.js';
import type { OrderEvents } from './order-events.js';
import type { OrderTransitions } from './order-transitions.js';
import { orderView } from './order-view.js';
import { ordersRepo } from './orders-repo.js';
import { productionDelayFor } from '../sandbox/company-timing.js';

export function orderOperatorServiceFactory({
  clock,
  config,
  db,
  deliverables,
  transitions,
  production,
  orderEvents,
}: Pick<ServiceDeps, 'clock' | 'config' | 'db'> & {
  deliverables: Deliverables;
  transitions: OrderTransitions;
  /** The production service's "deliver now". */
  production: { deliverNow(orderId: string): Promise<Order> };
  orderEvents: Pick<OrderEvents, 'listForOrder'>;
}) {
  /** The order as the customer sees it, plus what only the operator sees. */
  async function adminView(row: Order) {
    const events = await orderEvents.listForOrder(db, row.id);
    return {
      order: orderView(row, await deliverables.deliveryAssets(row)),
      company_id: row.company_id,
      production: {
        held: row.held === 1,
        due_at: toEpochSeconds(row.due_at),
        pending_delivery_type: row.pending_delivery_type,
        pending_products: row.pending_products ?? [],
        delivered_products: row.delivered_products,
        attempts: row.production_attempts,
      },
      events: events.map((e) => ({
        id: e.id,
        trigger: e.trigger,
        current_status: e.current_status,
        previous_status: e.previous_status,
        model_id: e.model_id,
        product_type: e.product_type,
        delivery_type: e.delivery_type,
        created_at: toEpochSeconds(e.created_at),
      })),
    };
  }

  return {
    async get(orderId: string) {
      return adminView(await transitions.withOrder(null, orderId, async (_tx, o) => o));
    },

    /** A scan is uploaded: New/Draft → Pending, with the area it states or a derived one. */
    async scan(orderId: string, input: { total_scanned_area?: number }) {
      const row = await transitions.withOrder(null, orderId, async (tx, order) => {
        const delayS = await productionDelayFor(tx, order.company_id, config.productionDelayS);
        return transitions.move(tx, order, 'uploadScan', { set: enterPending(order, clock.nowUs(), delayS, input.total_scanned_area) });
      });
      return adminView(row);
    },

    async deliver(orderId: string) {
      return adminView(await production.deliverNow(orderId));
    },

    async fail(orderId: string) {
      const row = await transitions.withOrder(null, orderId, async (tx, order) =>
        transitions.move(tx, order, 'fail', { set: leaveProduction }),
      );
      return adminView(row);
    },

    async hold(orderId: string, held: boolean) {
      const row = await transitions.withOrder(null, orderId, async (tx, order) => {
        if (order.status === 'Failed')
          throw new ConflictError('Order is in status Failed; this needs New, Draft, Pending, Ready or Fixing.');
        return ordersRepo.system.update(tx, order.id, { held: held ? 1 : 0, updated_at: clock.nowUs() });
      });
      return adminView(row);
    },
  };
}

export type OrderOperatorService = ReturnType<typeof orderOperatorServiceFactory>;
