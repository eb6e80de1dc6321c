// What `/readyz` asks: whether this process can serve requests, which needs the database and the file store.
import type { ServiceDeps } from '../deps.js';
import { healthRepo } from './health-repo.js';

export function healthServiceFactory({ db, files, config }: Pick<ServiceDeps, 'db' | 'files' | 'config'>) {
  return {
    /** Which kind of file store this process uses, for the readiness answer (never its address). */
    storageKind: config.storage,

    /** False while the database does not answer (an outage, a closed pool); never throws. */
    async databaseReady(): Promise<boolean> {
      try {
        await healthRepo.ping(db);
        return true;
      } catch {
        return false;
      }
    },

    /** False while the file store refuses (a bucket gone, credentials revoked, a disk unmounted); never throws. */
    async storageReady(): Promise<boolean> {
      try {
        await files.check();
        return true;
      } catch {
        return false;
      }
    },
  };
}

export type HealthService = ReturnType<typeof healthServiceFactory>;
