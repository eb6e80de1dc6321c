// The states of a webhook delivery, shared by the repo, the operator API and the console.

/** Statuses of a delivery that still has attempts ahead of it. */
export const ACTIVE_STATUSES = ['pending', 'retrying'] as const;
export const DELIVERY_STATUSES = ['pending', 'retrying', 'delivered', 'failed', 'gone', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
