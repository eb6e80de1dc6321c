// The webhook body: exactly the six documented fields, in the documented order, nothing else.
import type { OrderEventRow } from '../../db/tables/orders.js';

export function webhookBody(
  event: Pick<OrderEventRow, 'order_id' | 'current_status' | 'previous_status' | 'model_id' | 'product_type' | 'delivery_type'>,
): string {
  return JSON.stringify({
    id: event.order_id,
    current_status: event.current_status,
    previous_status: event.previous_status,
    model_id: event.model_id,
    product_type: event.product_type,
    delivery_type: event.delivery_type,
  });
}
