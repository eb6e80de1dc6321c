// Every environment variable the server reads, parsed and typed in one place.
import net from 'node:net';
import path from 'node:path';

export type Role = 'all' | 'api' | 'worker';

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | null;
  sqliteSynchronous: 'NORMAL' | 'FULL';
  /** Checkpoint SQLite's write-ahead log from a worker thread (default) rather than inside commits. */
  sqliteBackgroundCheckpoint: boolean;
  /** Keep answers to hot reads while the database is unchanged (SQLite only). */
  readCache: boolean;
  /** PostgreSQL: queries with parameters run as named prepared statements. */
  pgPreparedStatements: boolean;
  adminKey: string | null;
  /** A second way into the operator console besides the admin key (12 characters at least). */
  consolePassword: string | null;
  /**
   * Which proxies' X-Forwarded-For/-Proto/-Host are believed (Fastify's trustProxy): false (none,
   * the socket's address is the client), true (any), a hop count, or addresses/CIDRs.
   */
  trustProxy: boolean | number | string[];
  role: Role;
  processes: number;
  productionDelayS: number;
  webhookSchedule: number[];
  webhookAllowPrivate: boolean;
  webhookRequireHttps: boolean;
  webhookRetentionDays: number;
  webhookTimeoutS: number;
  smtpUrl: string | null;
  mailFrom: string;
  /** Emails older than this are deleted from the outbox, sent or not (their links are secrets). */
  emailRetentionDays: number;
  redisUrl: string | null;
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  allowReset: boolean;
  logLevel: string;
  fileUrlTtlS: number;
  scanMaxBytes: number;
  /** The most all files of one GoToScan upload may hold together. */
  scanMaxTotalBytes: number;
  /** Where stored files live: `local` (under dataDir/files) or `s3` (the bucket of `s3`). */
  storage: 'local' | 's3';
  s3: S3Config | null;
  /** On S3, `/files/…` answers with a redirect to a short presigned URL (true) or streams the object (false). */
  s3Redirect: boolean;
  /** `signed`: asset URLs are this server's `/files/…` links; `presigned`: the object store's own (S3 only). */
  assetUrls: 'signed' | 'presigned';
  /** How old an unreferenced stored file must be before the orphan sweep removes it. */
  orphanGraceS: number;
  /** Keep every customer API request per company (CASA_REQUEST_LOG). */
  requestLog: boolean;
  requestLogRetentionDays: number;
  /** The most request log entries kept per company; the oldest go first. */
  requestLogMaxRows: number;
}

export interface S3Config {
  bucket: string;
  /** Prepended to every key, e.g. `casa/`; empty for none. */
  prefix: string;
  /** For stores other than AWS S3 (R2, MinIO, Ceph); null for AWS. */
  endpoint: string | null;
  region: string;
  forcePathStyle: boolean;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

/** A decimal number, for settings where a fraction means something (seconds of delay, a rate). */
function decimal(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min) throw new ConfigError(`${name} must be a number ≥ ${min}, got "${raw}"`);
  return value;
}

/** A whole number: a port, a count, bytes, days. `1.5` processes is a mistake, not a setting to round. */
function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\s*\d+\s*$/.test(raw) || Number(raw) < min) throw new ConfigError(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return Number(raw);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function schedule(raw: string | undefined): number[] {
  if (raw === undefined || raw.trim() === '') return [0, 10, 60];
  const parts = raw.split(',').map((p) => Number(p.trim()));
  if (parts.length === 0 || parts.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new ConfigError(`CASA_WEBHOOK_SCHEDULE must be a comma-separated list of seconds, got "${raw}"`);
  }
  return parts;
}

function sqliteSynchronous(raw: string | undefined): 'NORMAL' | 'FULL' {
  const value = (raw || 'NORMAL').toUpperCase();
  if (value !== 'NORMAL' && value !== 'FULL') throw new ConfigError(`CASA_SQLITE_SYNCHRONOUS must be NORMAL or FULL, got "${raw}"`);
  return value;
}

function s3Config(env: Env, storage: 'local' | 's3'): S3Config | null {
  if (storage !== 's3') return null;
  const bucket = env.CASA_S3_BUCKET?.trim();
  if (!bucket) throw new ConfigError('CASA_STORAGE=s3 needs CASA_S3_BUCKET');
  const endpoint = env.CASA_S3_ENDPOINT?.trim() || null;
  if (endpoint && !/^https?:\/\/[^/\s]+/.test(endpoint))
    throw new ConfigError(`CASA_S3_ENDPOINT must be an http(s) URL, got "${endpoint}"`);
  const rawPrefix = (env.CASA_S3_PREFIX ?? '').trim().replace(/^\/+/, '');
  if (rawPrefix && !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(rawPrefix))
    throw new ConfigError(`CASA_S3_PREFIX may hold letters, digits, '.', '_', '-' and '/' only, got "${rawPrefix}"`);
  return {
    bucket,
    prefix: rawPrefix && !rawPrefix.endsWith('/') ? `${rawPrefix}/` : rawPrefix,
    endpoint: endpoint?.replace(/\/+$/, '') ?? null,
    region: env.CASA_S3_REGION || env.AWS_REGION || 'us-east-1',
    // Stores other than AWS mostly serve path-style URLs only; AWS itself prefers virtual hosts.
    forcePathStyle: bool(env, 'CASA_S3_FORCE_PATH_STYLE', endpoint !== null),
  };
}

export const CONSOLE_PASSWORD_MIN_LENGTH = 12;

function consolePassword(raw: string | undefined): string | null {
  if (!raw) return null;
  if ([...raw].length < CONSOLE_PASSWORD_MIN_LENGTH)
    throw new ConfigError(`CASA_CONSOLE_PASSWORD must be at least ${CONSOLE_PASSWORD_MIN_LENGTH} characters long, got ${[...raw].length}`);
  return raw;
}

// The names proxy-addr (Fastify's trustProxy) knows for ranges of addresses.
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function proxyAddressValid(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address, range, ...more] = entry.split('/');
  const family = net.isIP(address!);
  if (family === 0 || more.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return family === 4 && net.isIPv4(range); // a netmask, 255.255.255.0
}

function trustProxy(raw: string | undefined): Config['trustProxy'] {
  const value = raw?.trim() ?? '';
  if (value === '' || /^(0|false|no|off)$/i.test(value)) return false;
  if (/^(true|yes|on)$/i.test(value)) return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !proxyAddressValid(e));
  if (bad !== undefined)
    throw new ConfigError(
      `CASA_TRUST_PROXY must be false, true, a hop count, or comma-separated proxy addresses/CIDRs (e.g. 10.0.0.1,192.168.0.0/16,loopback), got "${bad}" in "${raw}"`,
    );
  return entries;
}

export function loadConfig(env: Env = process.env): Config {
  const port = int(env, 'PORT', 8080);
  const host = env.HOST || '127.0.0.1';
  const databaseUrl = env.DATABASE_URL || null;
  const role = (env.CASA_ROLE || 'all') as Role;
  if (!['all', 'api', 'worker'].includes(role)) throw new ConfigError(`CASA_ROLE must be all, api or worker, got "${role}"`);
  const storage = (env.CASA_STORAGE || 'local') as Config['storage'];
  if (storage !== 'local' && storage !== 's3') throw new ConfigError(`CASA_STORAGE must be local or s3, got "${storage}"`);
  const assetUrls = (env.CASA_ASSET_URLS || 'signed') as Config['assetUrls'];
  if (assetUrls !== 'signed' && assetUrls !== 'presigned')
    throw new ConfigError(`CASA_ASSET_URLS must be signed or presigned, got "${assetUrls}"`);
  if (assetUrls === 'presigned' && storage !== 's3') throw new ConfigError('CASA_ASSET_URLS=presigned needs CASA_STORAGE=s3');
  const displayHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    port,
    host,
    publicUrl: (env.CASA_PUBLIC_URL || `http://${displayHost}:${port}`).replace(/\/+$/, ''),
    dataDir: path.resolve(env.CASA_DATA_DIR || './data'),
    databaseUrl,
    sqliteSynchronous: sqliteSynchronous(env.CASA_SQLITE_SYNCHRONOUS),
    sqliteBackgroundCheckpoint: bool(env, 'CASA_SQLITE_BACKGROUND_CHECKPOINT', true),
    readCache: bool(env, 'CASA_READ_CACHE', true),
    pgPreparedStatements: bool(env, 'CASA_PG_PREPARED_STATEMENTS', true),
    adminKey: env.CASA_ADMIN_KEY || null,
    consolePassword: consolePassword(env.CASA_CONSOLE_PASSWORD),
    trustProxy: trustProxy(env.CASA_TRUST_PROXY),
    role,
    processes: int(env, 'CASA_PROCESSES', 1, 1),
    productionDelayS: decimal(env, 'CASA_PRODUCTION_DELAY_S', 20),
    webhookSchedule: schedule(env.CASA_WEBHOOK_SCHEDULE),
    webhookAllowPrivate: bool(env, 'CASA_WEBHOOK_ALLOW_PRIVATE', databaseUrl === null),
    webhookRequireHttps: bool(env, 'CASA_WEBHOOK_REQUIRE_HTTPS', false),
    webhookRetentionDays: int(env, 'CASA_WEBHOOK_RETENTION_DAYS', 30),
    webhookTimeoutS: decimal(env, 'CASA_WEBHOOK_TIMEOUT_S', 10, 0.01),
    smtpUrl: env.SMTP_URL || null,
    mailFrom: env.CASA_MAIL_FROM || 'casa-integrate <no-reply@casa-integrate.local>',
    emailRetentionDays: int(env, 'CASA_EMAIL_RETENTION_DAYS', 30, 1),
    redisUrl: env.REDIS_URL || null,
    rateLimitPerSecond: decimal(env, 'CASA_RATE_LIMIT_PER_S', 50, 1),
    rateLimitBurst: int(env, 'CASA_RATE_LIMIT_BURST', 100, 1),
    allowReset: bool(env, 'CASA_ALLOW_RESET', false),
    logLevel: env.LOG_LEVEL || 'info',
    fileUrlTtlS: int(env, 'CASA_FILE_URL_TTL_S', 7 * 24 * 3600, 1),
    scanMaxBytes: int(env, 'CASA_SCAN_MAX_BYTES', 200 * 1024 * 1024, 1),
    scanMaxTotalBytes: int(env, 'CASA_SCAN_MAX_TOTAL_BYTES', 1024 * 1024 * 1024, 1),
    storage,
    s3: s3Config(env, storage),
    s3Redirect: bool(env, 'CASA_S3_REDIRECT', true),
    assetUrls,
    orphanGraceS: int(env, 'CASA_STORAGE_ORPHAN_GRACE_S', 24 * 3600, 60),
    requestLog: bool(env, 'CASA_REQUEST_LOG', true),
    requestLogRetentionDays: int(env, 'CASA_REQUEST_LOG_RETENTION_DAYS', 7),
    requestLogMaxRows: int(env, 'CASA_REQUEST_LOG_MAX_ROWS', 10_000, 1),
  };
}
