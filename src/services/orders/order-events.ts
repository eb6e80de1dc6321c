// Order events: written in the same transaction as the transition they describe, and handed to
// the webhook outbox in that transaction, so a crash never loses or invents one.
import type { Db } from '../../db/dialect.js';
import type { OrderEventRow } from '../../db/tables/orders.js';
import type { ServiceDeps } from '../deps.js';
import type { WebhookOutbox } from '../webhooks/webhook-outbox.js';
import { orderEventsRepo } from './order-events-repo.js';

export interface OrderEventInput {
  orderId: string;
  companyId: string;
  trigger: 'moved_to_draft' | 'moved_to_pending' | 'moved_to_ready' | 'moved_to_fixing' | 'moved_to_failed';
  currentStatus: string;
  previousStatus: string | null;
  modelId: string;
  productType: 'products_2d' | 'products_3d' | 'tour';
  deliveryType: 'new' | 'fix' | 'update';
}

export function orderEventsFactory({ clock, ids, webhookOutbox }: Pick<ServiceDeps, 'clock' | 'ids'> & { webhookOutbox: WebhookOutbox }) {
  return {
    async record(tx: Db, input: OrderEventInput): Promise<OrderEventRow> {
      const row = await orderEventsRepo.forCompany(input.companyId).insert(tx, {
        id: ids.uuid(),
        order_id: input.orderId,
        trigger: input.trigger,
        current_status: input.currentStatus,
        previous_status: input.previousStatus,
        model_id: input.modelId,
        product_type: input.productType,
        delivery_type: input.deliveryType,
        created_at: clock.nowUs(),
      });
      await webhookOutbox.enqueueForEvent(tx, row);
      return row;
    },

    /** Any order's events, oldest first (the operator's view). */
    async listForOrder(db: Db, orderId: string): Promise<OrderEventRow[]> {
      return orderEventsRepo.system.listForOrder(db, orderId);
    },
  };
}

export type OrderEvents = ReturnType<typeof orderEventsFactory>;
