// Background workers that run beside the API (or alone with `casa-integrate worker`).
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Storage } from '../db/database.js';
import type { Services } from '../services/index.js';

export interface Workers {
  stop(): Promise<void>;
}

export interface WorkerDeps {
  config: Config;
  storage: Storage;
  services: Services;
  log: FastifyBaseLogger;
}

/** Each worker is a loop with stop(); later issues add production and webhook dispatch here. */
export function startWorkers(_deps: WorkerDeps): Workers {
  const loops: Workers[] = [];
  return {
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
