// Builds the real app on a real database for one test file: SQLite in memory, or a fresh
// PostgreSQL schema when TEST_DATABASE_URL is set. Time is a ManualClock the test moves.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import pg from 'pg';
import { sql } from 'kysely';
import type { FastifyBaseLogger, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openStorage, type Storage } from '../../src/db/database.js';
import { ManualClock, randomIds, sha256Hex } from '../../src/domain/clock.js';
import { migrate } from '../../src/bootstrap.js';
import type { FileStorage } from '../../src/storage/file-storage.js';
import { localFileStorage } from '../../src/storage/local-file-storage.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || null;
export const dialectName = TEST_DATABASE_URL ? 'postgres' : 'sqlite';

export interface TestCompany {
  id: string;
  apiKey: string;
  apiKeyId: string;
  headers: { 'api-key': string };
  managerId: string;
  managerEmail: string;
  mainOfficeId: string;
}

export interface TestApp {
  app: App;
  storage: Storage;
  clock: ManualClock;
  config: Config;
  /** The app's stored files, on whichever driver the test runs. */
  files: FileStorage;
  adminKey: string;
  adminHeaders: { 'admin-key': string };
  createCompany(name?: string, managerEmail?: string): Promise<TestCompany>;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let counter = 0;

const newSchemaName = () => `t_${process.pid}_${Date.now().toString(36)}_${counter++}_${crypto.randomBytes(3).toString('hex')}`;

async function onAdminConnection<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL! });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const openSchema = (schema: string) => openStorage({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema, pgPoolSize: 5 });

/** A fresh, isolated database: `:memory:` SQLite or a new PostgreSQL schema. */
export async function openTestStorage(): Promise<{ storage: Storage; drop(): Promise<void> }> {
  if (!TEST_DATABASE_URL) return { storage: await openStorage({ databaseUrl: null, sqliteFile: ':memory:' }), drop: async () => {} };
  const schema = newSchemaName();
  const storage = await openSchema(schema);
  return { storage, drop: () => onAdminConnection((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).then(() => {}) };
}

// On PostgreSQL, making and migrating a schema costs the server 0.5–1 s; emptying one takes a few
// milliseconds. So a test app's schema, once its app is closed, is emptied and handed to this
// process's next test app, unless its tables are no longer the migrated ones (a test renamed one
// and failed before renaming it back); the spares are dropped when the process is done.
const spareSchemas: string[] = [];
let migratedTables: string | null = null;

const tablesOf = async (client: pg.Client, schema: string): Promise<string[]> =>
  (await client.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = $1 ORDER BY 1`, [schema])).rows.map(
    (r) => r.t,
  );

async function emptyForReuse(schema: string): Promise<void> {
  await onAdminConnection(async (client) => {
    const tables = await tablesOf(client, schema);
    if (tables.join() !== migratedTables) return void (await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    const data = tables.filter((t) => !t.startsWith('kysely_')).map((t) => `"${schema}"."${t}"`);
    await client.query(`TRUNCATE ${data.join(', ')} RESTART IDENTITY`);
    spareSchemas.push(schema);
  });
}

process.on('beforeExit', () => {
  const spares = spareSchemas.splice(0);
  // Left behind only if this fails: .ci/run drops test schemas before the PostgreSQL suite.
  if (spares.length)
    onAdminConnection((client) => client.query(spares.map((s) => `DROP SCHEMA IF EXISTS "${s}" CASCADE;`).join(''))).catch(() => {});
});

/** `openTestStorage` with the migrations applied, for a test app. */
async function openMigratedStorage(): Promise<{ storage: Storage; drop(): Promise<void> }> {
  if (!TEST_DATABASE_URL) {
    const { storage, drop } = await openTestStorage();
    await migrate(storage);
    return { storage, drop };
  }
  const spare = spareSchemas.pop();
  const schema = spare ?? newSchemaName();
  const storage = await openSchema(schema);
  if (!spare) {
    await migrate(storage);
    migratedTables ??= await onAdminConnection(async (client) => (await tablesOf(client, schema)).join());
  } else {
    // A query, as the migrations would have run: Kysely starts its driver at the first one, and a
    // storage closed before that would start again at the next (tests close it to lose the database).
    await sql`SELECT 1`.execute(storage.db);
  }
  return { storage, drop: () => emptyForReuse(schema) };
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ CASA_DATA_DIR: '/tmp/casa-integrate-test', LOG_LEVEL: 'silent' }),
    publicUrl: 'http://casa.test',
    databaseUrl: TEST_DATABASE_URL,
    // Tests make many requests with one key at one frozen instant; rate-limit tests set their own.
    rateLimitPerSecond: 1_000_000,
    rateLimitBurst: 1_000_000,
    ...overrides,
  };
}

export interface TestAppOptions {
  /** The stored-files driver, made for the test's data directory (default: local disk under it). */
  files?: (dataDir: string) => FileStorage;
  /** Where the app logs (default: nowhere). */
  logger?: FastifyBaseLogger;
}

export async function buildTestApp(t?: TestContext, overrides: Partial<Config> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const { storage, drop } = await openMigratedStorage();
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-files-'));
  // `npm run test:s3`: the app's files go to the S3 gateway, under a prefix of their own, and
  // downloads stream through the app so that the tests' in-process requests read them.
  const s3helpers = process.env.TEST_STORAGE === 's3' && !options.files ? await import('./s3.js') : null;
  const s3 = s3helpers?.testS3Settings() ?? null;
  if (s3helpers) await s3helpers.ensureTestBucket();
  const config = testConfig({ dataDir: filesDir, ...(s3 ? { storage: 's3' as const, s3, s3Redirect: false } : {}), ...overrides });
  const files =
    options.files?.(filesDir) ??
    (s3 ? (await import('../../src/storage/s3-file-storage.js')).s3FileStorage(s3) : localFileStorage(path.join(filesDir, 'files')));
  const clock = new ManualClock();
  const adminKey = `casa_admin_test_${crypto.randomBytes(8).toString('hex')}`;
  const app = await buildApp({
    config,
    storage,
    clock,
    ids: randomIds,
    adminKeyHash: sha256Hex(adminKey),
    logger: options.logger ?? false,
    files,
  });
  await app.ready();
  let n = 0;
  const testApp: TestApp = {
    app,
    storage,
    clock,
    config,
    files,
    adminKey,
    adminHeaders: { 'admin-key': adminKey },
    inject: (opts) => app.inject(opts),
    async createCompany(name = `Company ${++n}`, managerEmail?: string) {
      const email = managerEmail ?? `manager-${crypto.randomBytes(5).toString('hex')}@example.com`;
      const res = await app.inject({
        method: 'POST',
        url: '/admin/v1/companies',
        headers: { 'admin-key': adminKey },
        payload: { name, manager_email: email, manager_password: 'manager-password-1' },
      });
      if (res.statusCode !== 201) throw new Error(`creating a test company failed: ${res.statusCode} ${res.body}`);
      const body = res.json();
      return {
        id: body.company.id,
        apiKey: body.api_key,
        apiKeyId: body.api_key_id,
        headers: { 'api-key': body.api_key },
        managerId: body.manager.id,
        managerEmail: body.manager.email,
        mainOfficeId: body.company.main_office_id,
      };
    },
    async close() {
      await app.close();
      await storage.close();
      await drop();
      fs.rmSync(filesDir, { recursive: true, force: true });
    },
  };
  t?.after(() => testApp.close());
  return testApp;
}
