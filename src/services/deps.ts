// What every service factory may receive. Each factory narrows this with Pick<>.
import type { Config } from '../config.js';
import type { Db } from '../db/dialect.js';
import type { DialectName } from '../db/database.js';
import type { Clock, Ids } from '../domain/clock.js';
import type { Logger } from 'pino';
import type { FileStorage } from '../storage/file-storage.js';
import type { ReadCache } from './read-cache.js';

export interface ServiceDeps {
  db: Db;
  dialect: DialectName;
  clock: Clock;
  ids: Ids;
  config: Config;
  log: Logger;
  files: FileStorage;
  /** Hot reads kept while the database is unchanged. */
  reads: ReadCache;
}
