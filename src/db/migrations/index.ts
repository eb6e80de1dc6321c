// The one migration set, applied in order at start and by `casa-integrate migrate`.
import { Migrator, type Kysely, type MigrationProvider } from 'kysely';
import type { DialectName } from '../database.js';
import type { Migration } from './helpers.js';
import { foundation } from './001-foundation.js';
import { orders } from './002-orders.js';
import { webhooks } from './003-webhooks.js';
import { assets } from './004-assets.js';
import { ordersProduction } from './005-orders-production.js';
import { consoleTables } from './006-console.js';
import { dropJobs } from './007-drop-jobs.js';
import { orderIndexes } from './008-order-indexes.js';
import { sandbox } from './009-sandbox.js';
import { keyAttribution } from './010-key-attribution.js';
import { sandboxWebhooks } from './011-sandbox-webhooks.js';
import { consoleCredential } from './013-console-credential.js';
import { requestLog } from './012-request-log.js';
import { idempotencySealed } from './014-idempotency-sealed.js';
import { identityNotices } from './015-identity-notices.js';

const migrations: Record<string, Migration> = {
  '001-foundation': foundation,
  '002-orders': orders,
  '003-webhooks': webhooks,
  '004-assets': assets,
  '005-orders-production': ordersProduction,
  '006-console': consoleTables,
  '007-drop-jobs': dropJobs,
  '008-order-indexes': orderIndexes,
  '009-sandbox': sandbox,
  '010-key-attribution': keyAttribution,
  '011-sandbox-webhooks': sandboxWebhooks,
  '013-console-credential': consoleCredential,
  '012-request-log': requestLog,
  '014-idempotency-sealed': idempotencySealed,
  '015-identity-notices': identityNotices,
};

function provider(dialect: DialectName): MigrationProvider {
  return {
    async getMigrations() {
      return Object.fromEntries(Object.entries(migrations).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, dialect) }]));
    },
  };
}

/**
 * `schema`: where Kysely keeps its own bookkeeping tables. Give it on PostgreSQL: without it Kysely
 * takes a `kysely_migration_lock` in any other schema of the database for its own.
 */
export async function migrateToLatest(db: Kysely<unknown>, dialect: DialectName, schema?: string): Promise<string[]> {
  // Unordered: migration files from parallel work may land with a lower number than one already applied.
  const migrator = new Migrator({
    db,
    provider: provider(dialect),
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
