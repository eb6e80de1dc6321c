// Turns an order event into webhook deliveries inside the transition's transaction.
// (The webhooks issue fills this in: one delivery per subscribed URL, plus its job.)
import type { Db } from '../../db/dialect.js';
import type { OrderEventRow } from '../../db/tables/orders.js';
import type { ServiceDeps } from '../deps.js';

export function webhookOutboxFactory(_deps: Pick<ServiceDeps, 'clock' | 'ids'>) {
  return {
    async enqueueForEvent(_tx: Db, _event: OrderEventRow): Promise<void> {},
  };
}

export type WebhookOutbox = ReturnType<typeof webhookOutboxFactory>;
