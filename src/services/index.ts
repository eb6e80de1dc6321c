// Builds every service from the infrastructure; the one place that knows how they connect.
// Infrastructure (ServiceDeps) goes in; what comes out is services only: entry points (routes,
// workers, the CLI) receive the services they use, never the database or the deps behind them.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Storage } from '../db/database.js';
import { randomIds, systemClock, type Clock, type Ids } from '../domain/clock.js';
import path from 'node:path';
import type { FileStorage } from '../storage/file-storage.js';
import { localFileStorage } from '../storage/local-file-storage.js';
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
import { storageSweepServiceFactory } from './storage-sweep/storage-sweep-service.js';
import { orderTransitionsFactory } from './orders/order-transitions.js';
import { newOrderFactory } from './orders/new-order.js';
import { ordersServiceFactory } from './orders/orders-service.js';
import { ordersRepo } from './orders/orders-repo.js';
import { orderOperatorServiceFactory } from './orders/order-operator-service.js';
import { changeRequestsServiceFactory } from './change-requests/change-requests-service.js';
import { go2scanServiceFactory } from './go2scan/go2scan-service.js';
import { productionServiceFactory } from './production/production-service.js';
import { healthServiceFactory } from './health/health-service.js';
import { consoleServiceFactory } from './console/console-service.js';
import { consoleSessionsFactory } from './console/console-sessions.js';
import type { RequestFigures } from './console/request-stats.js';
import { webPagesServiceFactory } from './web-pages/web-pages-service.js';
import { sandboxServiceFactory } from './sandbox/sandbox-service.js';
import { sandboxStreams } from './sandbox/sandbox-streams.js';
import { requestLogServiceFactory } from './request-log/request-log-service.js';

export function createServices(deps: ServiceDeps) {
  const apiKeys = apiKeysServiceFactory(deps);
  const streams = sandboxStreams();
  const sandbox = sandboxServiceFactory({ ...deps, streams });
  const webhookOutbox = webhookOutboxFactory({ ...deps, streams });
  const company = companyServiceFactory({ ...deps, apiKeys, webhookOutbox });
  const offices = officesServiceFactory(deps);
  const emails = emailsServiceFactory(deps);
  const mergeRequests = mergeRequestsServiceFactory({ ...deps, emails, webhookOutbox });
  const idempotency = idempotencyServiceFactory(deps);
  const requestLog = requestLogServiceFactory(deps);
  const dataReset = dataResetServiceFactory({ ...deps, requestLog });
  const users = usersServiceFactory({ ...deps, emails });
  const webhooks = webhooksServiceFactory(deps);
  const webhookDeliveries = webhookDeliveryServiceFactory(deps);
  const orderEvents = orderEventsFactory({ ...deps, webhookOutbox });
  const deliverables = deliverablesServiceFactory({
    ...deps,
    findOrder: (id) => ordersRepo.system.findById(deps.db, id),
  }) satisfies Deliverables;
  const orderTransitions = orderTransitionsFactory({ ...deps, orderEvents });
  const newOrder = newOrderFactory(deps);
  const orders = ordersServiceFactory({ ...deps, deliverables, transitions: orderTransitions, newOrder });
  const changeRequests = changeRequestsServiceFactory({ ...deps, transitions: orderTransitions });
  const go2scan = go2scanServiceFactory({ ...deps, newOrder, transitions: orderTransitions, emails });
  const production = productionServiceFactory({ ...deps, deliverables, transitions: orderTransitions });
  const orderOperator = orderOperatorServiceFactory({ ...deps, deliverables, transitions: orderTransitions, production, orderEvents });
  const webPages = webPagesServiceFactory({ ...deps, go2scan, deliverables });
  const health = healthServiceFactory(deps);
  return {
    apiKeys,
    company,
    offices,
    emails,
    users,
    webhookOutbox,
    webhooks,
    webhookDeliveries,
    orderEvents,
    mergeRequests,
    idempotency,
    dataReset,
    deliverables,
    storageSweep: storageSweepServiceFactory(deps),
    orders,
    changeRequests,
    go2scan,
    production,
    orderOperator,
    webPages,
    health,
    sandbox,
    requestLog,
  };
}

export type Services = ReturnType<typeof createServices>;

/** The operator console's own services, over the area services; only the app builds them. */
export function createConsoleServices(
  deps: ServiceDeps,
  services: Services,
  opts: { adminKeyHash: string; requestFigures: RequestFigures },
) {
  return {
    sessions: consoleSessionsFactory({ ...deps, adminKeyHash: opts.adminKeyHash }),
    console: consoleServiceFactory({ ...deps, services, requestFigures: opts.requestFigures }),
  };
}

export interface ServicesOnStorageOptions {
  clock?: Clock;
  ids?: Ids;
  files?: FileStorage;
}

/**
 * The infrastructure on an opened database with the defaults a server uses: the system clock,
 * random ids and the configured file store (`<dataDir>/files` unless CASA_STORAGE=s3).
 */
export function serviceDepsOn(storage: Storage, config: Config, log: Logger, options: ServicesOnStorageOptions = {}): ServiceDeps {
  const clock = options.clock ?? systemClock;
  return {
    db: storage.db,
    dialect: storage.dialect,
    clock,
    ids: options.ids ?? randomIds,
    config,
    log,
    files: options.files ?? defaultFiles(config),
    reads: readCache(storage.dataVersion, config.readCache),
  };
}

function defaultFiles(config: Config): FileStorage {
  // An object store is opened (and checked) asynchronously, by openFileStorage, and handed in.
  if (config.storage !== 'local') throw new Error(`CASA_STORAGE=${config.storage}: open the store with openFileStorage and pass it`);
  return localFileStorage(path.join(config.dataDir, 'files'));
}

/** Services on an opened database with a server's defaults; the CLI, the workers' process and the benches use it. */
export function createServicesOn(storage: Storage, config: Config, log: Logger, options: ServicesOnStorageOptions = {}): Services {
  return createServices(serviceDepsOn(storage, config, log, options));
}
