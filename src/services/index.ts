// Builds every service from the infrastructure; the one place that knows how they connect.
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Storage } from '../db/database.js';
import { randomIds, systemClock, type Clock, type Ids } from '../domain/clock.js';
import { localFileStorage, type FileStorage } from '../storage/file-storage.js';
import type { ServiceDeps } from './deps.js';
import { readCache } from './read-cache.js';
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
import { webhookDeliveryServiceFactory } from './webhooks/webhook-delivery-service.js';
import { orderEventsFactory } from './orders/order-events.js';
import type { Deliverables } from './deliverables/deliverables-port.js';
import { deliverablesServiceFactory } from './deliverables/deliverables-service.js';
import { orderTransitionsFactory } from './orders/order-transitions.js';
import { newOrderFactory } from './orders/new-order.js';
import { ordersServiceFactory } from './orders/orders-service.js';
import { orderOperatorServiceFactory } from './orders/order-operator-service.js';
import { changeRequestsServiceFactory } from './change-requests/change-requests-service.js';
import { go2scanServiceFactory } from './go2scan/go2scan-service.js';
import { productionServiceFactory } from './production/production-service.js';

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
  const webhookDeliveries = webhookDeliveryServiceFactory(deps);
  const orderEvents = orderEventsFactory({ ...deps, webhookOutbox });
  const deliverables = deliverablesServiceFactory(deps) satisfies Deliverables;
  const orderTransitions = orderTransitionsFactory({ ...deps, orderEvents });
  const newOrder = newOrderFactory(deps);
  const orders = ordersServiceFactory({ ...deps, deliverables, transitions: orderTransitions, newOrder });
  const changeRequests = changeRequestsServiceFactory({ ...deps, transitions: orderTransitions });
  const go2scan = go2scanServiceFactory({ ...deps, newOrder, transitions: orderTransitions, emails });
  const production = productionServiceFactory({ ...deps, deliverables, transitions: orderTransitions });
  const orderOperator = orderOperatorServiceFactory({ ...deps, deliverables, transitions: orderTransitions, production, orderEvents });
  return { deps, apiKeys, company, offices, emails, users, webhookOutbox, webhooks, webhookDeliveries, orderEvents, mergeRequests, idempotency, dataReset, deliverables, orders, changeRequests, go2scan, production, orderOperator };
}

export type Services = ReturnType<typeof createServices>;

export interface ServicesOnStorageOptions {
  clock?: Clock;
  ids?: Ids;
  files?: FileStorage;
}

/**
 * Services on an opened database with the defaults a server uses: the system clock, random ids,
 * stored files under `<dataDir>/files`. The app, the CLI and the benches share it.
 */
export function createServicesOn(storage: Storage, config: Config, log: Logger, options: ServicesOnStorageOptions = {}) {
  const clock = options.clock ?? systemClock;
  return createServices({
    db: storage.db,
    dialect: storage.dialect,
    clock,
    ids: options.ids ?? randomIds,
    config,
    log,
    files: options.files ?? localFileStorage(path.join(config.dataDir, 'files')),
    reads: readCache(storage.dataVersion, config.readCache),
  });
}
