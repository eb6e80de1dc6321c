// `POST /admin/v1/reset`: wipes every row of every table, for test isolation. Server settings
// (the operator key's hash, server secrets, the demo-seeded mark) and migration state stay.
import type { ServiceDeps } from '../deps.js';
import type { RequestLogService } from '../request-log/request-log-service.js';
import { dataResetRepo } from './data-reset-repo.js';

const KEPT_TABLES = new Set(['server_settings', 'kysely_migration', 'kysely_migration_lock']);

export function dataResetServiceFactory({
  db,
  dialect,
  requestLog,
}: Pick<ServiceDeps, 'db' | 'dialect'> & { requestLog: Pick<RequestLogService, 'flush'> }) {
  return {
    /** Deletes all data in one transaction; answers the tables it emptied. */
    async wipeAll(): Promise<string[]> {
      // Requests logged before the reset must not be written after it.
      await requestLog.flush();
      const tables = (await dataResetRepo.tableNames(db, dialect)).filter((name) => !KEPT_TABLES.has(name)).sort();
      await dataResetRepo.empty(db, dialect, tables);
      return tables;
    },
  };
}

export type DataResetService = ReturnType<typeof dataResetServiceFactory>;
