// What a process that answers no HTTP needs to run the background workers: the services and a
// logger. The cluster primary and `casa-integrate worker` use this rather than building the app,
// whose routes, schemas and docs would only cost them memory.
import pino, { type LoggerOptions } from 'pino';
import type { Config } from './config.js';
import type { Storage } from './db/database.js';
import { loggerOptions } from './http/logging.js';
import { createServicesOn, type Services } from './services/index.js';
import type { FileStorage } from './storage/file-storage.js';

export interface Background {
  services: Services;
  log: pino.Logger;
  close(): Promise<void>;
}

export function backgroundServices(storage: Storage, config: Config, files?: FileStorage): Background {
  const log = pino(loggerOptions(config.logLevel) as LoggerOptions);
  const services = createServicesOn(storage, config, log, { files });
  return { services, log, close: async () => services.emails.close() };
}
