// Builds every service from the infrastructure; the one place that knows how they connect.
import type { ServiceDeps } from './deps.js';
import { apiKeysServiceFactory } from './api-keys/api-keys-service.js';
import { companyServiceFactory } from './company/company-service.js';
import { mergeRequestsServiceFactory } from './company/merge-requests-service.js';
import { idempotencyServiceFactory } from './idempotency/idempotency-service.js';
import { dataResetServiceFactory } from './data-reset/data-reset-service.js';
import { officesServiceFactory } from './offices/offices-service.js';
import { emailsServiceFactory } from './emails/emails-service.js';
import { usersServiceFactory } from './users/users-service.js';
import { webhookOutboxFactory } from './webhooks/webhook-outbox.js';
import { webhooksServiceFactory } from './webhooks/webhooks-service.js';
import { orderEventsFactory } from './orders/order-events.js';

export function createServices(deps: ServiceDeps) {
  const apiKeys = apiKeysServiceFactory(deps);
  const webhookOutbox = webhookOutboxFactory(deps);
  const company = companyServiceFactory({ ...deps, apiKeys, webhookOutbox });
  const offices = officesServiceFactory(deps);
  const emails = emailsServiceFactory(deps);
  const mergeRequests = mergeRequestsServiceFactory({ ...deps, emails });
  const idempotency = idempotencyServiceFactory(deps);
  const dataReset = dataResetServiceFactory(deps);
  const users = usersServiceFactory({ ...deps, emails });
  const webhooks = webhooksServiceFactory(deps);
  const orderEvents = orderEventsFactory({ ...deps, webhookOutbox });
  return { deps, apiKeys, company, offices, emails, users, webhookOutbox, webhooks, orderEvents, mergeRequests, idempotency, dataReset };
}

export type Services = ReturnType<typeof createServices>;
