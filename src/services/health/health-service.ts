// What `/readyz` asks: whether this process can serve requests, which needs the database.
import type { ServiceDeps } from '../deps.js';
import { healthRepo } from './health-repo.js';

export function healthServiceFactory({ db }: Pick<ServiceDeps, 'db'>) {
  return {
    /** False while the database does not answer (an outage, a closed pool); never throws. */
    async databaseReady(): Promise<boolean> {
      try {
        await healthRepo.ping(db);
        return true;
      } catch {
        return false;
      }
    },
  };
}

export type HealthService = ReturnType<typeof healthServiceFactory>;
