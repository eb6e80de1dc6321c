// Webhook deliveries and their attempts (filled in by the webhooks issue).
export interface WebhookTables {}
