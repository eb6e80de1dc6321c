// First-start duties: the operator key, migrations, and the demo company on a fresh embedded database.
import { sha256Hex, randomBase62 } from './domain/clock.js';
import type { Config } from './config.js';
import type { Storage } from './db/database.js';
import { currentSchema } from './db/dialect.js';
import { migrateToLatest } from './db/migrations/index.js';
import type { Services } from './services/index.js';
import { serverSettingsRepo } from './services/settings/server-settings-repo.js';
import type { Kysely } from 'kysely';

export interface AdminKeyResolution {
  hash: string;
  /** Set only when this call generated the key: printed once, never stored in clear. */
  generated: string | null;
}

const CATALOG_RACE_CODES = new Set(['3F000', '42P01', '42703', 'XX000']);

export async function migrate(storage: Storage): Promise<string[]> {
  const schema = await currentSchema(storage.db, storage.dialect);
  // Kysely's migrator lists the tables of every schema; one dropped or altered meanwhile by another
  // process fails that listing though it has nothing to do with ours (3F000 schema gone, 42P01
  // relation gone, 42703 column gone, XX000 catalog cache lookup failed): try again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrateToLatest(storage.db as unknown as Kysely<unknown>, storage.dialect, schema);
    } catch (err) {
      if (!CATALOG_RACE_CODES.has((err as { code?: string }).code ?? '') || attempt >= 5) throw err;
    }
  }
}

export async function resolveAdminKey(storage: Storage, config: Config): Promise<AdminKeyResolution> {
  if (config.adminKey) return { hash: sha256Hex(config.adminKey), generated: null };
  const existing = await serverSettingsRepo.read(storage.db, 'admin_key_hash');
  if (existing) return { hash: existing, generated: null };
  const key = `casa_admin_${randomBase62(40)}`;
  const stored = await serverSettingsRepo.writeOnce(storage.db, 'admin_key_hash', sha256Hex(key));
  // Another process may have won the race; then its key stands and ours is never shown.
  return stored === sha256Hex(key) ? { hash: stored, generated: key } : { hash: stored, generated: null };
}

/** A server-wide secret (for signing file URLs and the like), created once and kept in the database. */
export async function serverSecret(storage: Storage, name: string): Promise<string> {
  return (await serverSettingsRepo.read(storage.db, name)) ?? serverSettingsRepo.writeOnce(storage.db, name, randomBase62(48));
}

export interface DemoSeed {
  apiKey: string;
  managerEmail: string;
  managerPassword: string;
}

/** On the very first start of an empty database, a Demo Company so a newcomer can curl at once. */
export async function seedDemoCompany(storage: Storage, services: Services): Promise<DemoSeed | null> {
  if ((await services.company.count()) > 0) return null;
  if (!(await serverSettingsRepo.claim(storage.db, 'demo_seeded', 'yes'))) return null;
  const managerPassword = randomBase62(16);
  const created = await services.company.create({
    name: 'Demo Company',
    manager_email: 'manager@demo.casa-integrate.local',
    manager_password: managerPassword,
    country: 'United States',
    customer_type: 'Photographer',
  });
  return { apiKey: created.api_key, managerEmail: created.manager.email, managerPassword };
}
