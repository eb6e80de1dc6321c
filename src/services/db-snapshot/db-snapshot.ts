// `casa-integrate snapshot save|restore`: the whole installation (every table's rows and the stored
// files they name) in one zip archive, the same format on SQLite and PostgreSQL.
//
// Archive: `tables/<table>.jsonl` (one JSON object per row, in primary-key order), `files/<key>` (the
// stored files), and `manifest.json` last (format version, dialect, migration level, tables with
// their columns, row counts and SHA-256, auto-increment counters, files with size and SHA-256).
//
// Save is online: every table is read in one read transaction (SQLite WAL snapshot; PostgreSQL
// SERIALIZABLE READ ONLY DEFERRABLE), then every file those rows name is hard-linked aside. Stored
// files are written once under their key (temp file + rename) before a row names them, and deleted
// only after no row does; a file gone by then was dropped by a later commit, so the save starts over.
//
// Restore checks everything first (format, migration level, tables and columns, every entry's
// size and SHA-256) while unpacking beside the data directory; only then does it replace every
// row in one transaction and swap the files directory in. A refused archive changes nothing.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { once } from 'node:events';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import yazl from 'yazl';
import yauzl from 'yauzl';
import type { DialectName, Storage } from '../../db/database.js';
import type { Db } from '../../db/dialect.js';
import { VERSION } from '../../version.js';
import type { FileStorage } from '../../storage/file-storage.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../storage/private-files.js';
import {
  appliedMigrations,
  describeTables,
  isIntegerType,
  readCounters,
  SnapshotError,
  writeCounters,
  type TableInfo,
} from './snapshot-schema.js';

export { SnapshotError } from './snapshot-schema.js';

export const SNAPSHOT_FORMAT = 'casa-integrate-snapshot';
export const SNAPSHOT_VERSION = 1;
const MANIFEST = 'manifest.json';

/** Columns naming a stored file (a key under `<dataDir>/files`); a new one must be added here. */
export const FILE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  scan_files: ['storage_key'],
  delivered_files: ['storage_key'],
  floor_plan_models: ['combined_key'],
};

/** The same rule as the local file storage: no absolute paths, no `..`. */
const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const PAGE_ROWS = 1000;
const SAVE_ATTEMPTS = 5;

export interface SnapshotManifest {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  saved_at: string;
  casa_integrate_version: string;
  dialect: DialectName;
  migrations: string[];
  tables: { name: string; columns: { name: string; type: string }[]; primary_key: string[]; rows: number; bytes: number; sha256: string }[];
  counters: Record<string, number>;
  files: { key: string; size: number; sha256: string }[];
}

export interface SnapshotSummary {
  file: string;
  dialect: DialectName;
  saved_at: string;
  migrations: string[];
  tables: Record<string, number>;
  files: number;
  file_bytes: number;
}

export interface SaveOptions {
  /** The server's file store (CASA_STORAGE); local disk under `<dataDir>/files` when absent. */
  files?: FileStorage;
  /** Rows read per query (1,000); the tests page row by row to exercise the key paging. */
  pageRows?: number;
}

export interface RestoreSummary extends SnapshotSummary {
  /** The dialect the snapshot was saved on. */
  saved_on: DialectName;
}

const filesRoot = (dataDir: string) => path.join(dataDir, 'files');
const tableEntry = (table: string) => `tables/${table}.jsonl`;
const fileEntry = (key: string) => `files/${key}`;

// ---------------------------------------------------------------------------------------------
// Values: JSON as is for strings, finite numbers and null; tagged objects for everything JSON
// cannot hold exactly. No column holds JSON objects, so a tag is never ambiguous.

function encodeValue(value: unknown, where: () => string, integer: boolean): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Object.is(value, -0)) return { $number: Object.is(value, -0) ? '-0' : String(value) };
    if (integer && Number.isInteger(value) && !Number.isSafeInteger(value))
      throw new SnapshotError(`${where()}: ${value} is beyond 2^53 and cannot be copied exactly.`);
    return value;
  }
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  throw new SnapshotError(`${where()}: a value of an unsupported type (${Object.prototype.toString.call(value)}).`);
}

function decodeValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const tagged = value as Record<string, unknown>;
  const keys = Object.keys(tagged);
  if (keys.length === 1 && typeof tagged.$number === 'string' && ['NaN', 'Infinity', '-Infinity', '-0'].includes(tagged.$number))
    return Number(tagged.$number);
  if (keys.length === 1 && typeof tagged.$bigint === 'string' && /^-?\d+$/.test(tagged.$bigint)) return BigInt(tagged.$bigint);
  if (keys.length === 1 && typeof tagged.$bytes === 'string') return Buffer.from(tagged.$bytes, 'base64');
  throw new SnapshotError('a row holds a value this version cannot read');
}

// ---------------------------------------------------------------------------------------------
// Save

/** Writes lines to a file, counting and hashing what it wrote. */
class JsonLines {
  private readonly out: fs.WriteStream;
  private readonly hash = crypto.createHash('sha256');
  bytes = 0;
  rows = 0;
  constructor(file: string) {
    this.out = fs.createWriteStream(file, { mode: PRIVATE_FILE_MODE });
  }
  async write(row: unknown): Promise<void> {
    const line = Buffer.from(`${JSON.stringify(row)}\n`);
    this.hash.update(line);
    this.bytes += line.length;
    this.rows++;
    if (!this.out.write(line)) await once(this.out, 'drain');
  }
  async close(): Promise<string> {
    this.out.end();
    await once(this.out, 'close');
    return this.hash.digest('hex');
  }
}

/** Every row of `table`, page by page in primary-key order, inside the caller's transaction. */
async function* tableRows(db: Db, table: TableInfo, pageRows: number): AsyncGenerator<Record<string, unknown>> {
  const order = table.primaryKey.length > 0 ? table.primaryKey : table.columns.map((c) => c.name);
  const orderBy = sql.join(order.map((c) => sql.ref(c)));
  if (table.primaryKey.length === 0) {
    yield* (await sql<Record<string, unknown>>`select * from ${sql.table(table.name)} order by ${orderBy}`.execute(db)).rows;
    return;
  }
  let after: unknown[] | null = null;
  for (;;) {
    const from: ReturnType<typeof sql> = after ? sql`where (${orderBy}) > (${sql.join(after)})` : sql``;
    const rows = (
      await sql<Record<string, unknown>>`select * from ${sql.table(table.name)} ${from} order by ${orderBy} limit ${pageRows}`.execute(db)
    ).rows;
    yield* rows;
    if (rows.length < pageRows) return;
    const last = rows[rows.length - 1]!;
    after = order.map((c) => last[c]);
  }
}

interface ReadResult {
  migrations: string[];
  tables: SnapshotManifest['tables'];
  counters: Record<string, number>;
  keys: Set<string>;
}

/** Reads every table in one read-only transaction into `<dir>/tables/*.jsonl`. */
async function readDatabase(storage: Storage, dir: string, pageRows: number): Promise<ReadResult> {
  await fsp.mkdir(path.join(dir, 'tables'), { recursive: true, mode: PRIVATE_DIR_MODE });
  return storage.db.transaction().execute(async (tx) => {
    // PostgreSQL: one snapshot for every statement; DEFERRABLE waits for a snapshot no
    // serializable writer can contradict. SQLite (WAL): the first read fixes the snapshot.
    if (storage.dialect === 'postgres') await sql`set transaction isolation level serializable, read only, deferrable`.execute(tx);
    const migrations = await appliedMigrations(tx, storage.dialect);
    const infos = await describeTables(tx, storage.dialect);
    const keys = new Set<string>();
    const tables: SnapshotManifest['tables'] = [];
    const largestKey: Record<string, number> = {};
    for (const table of infos) {
      const writer = new JsonLines(path.join(dir, tableEntry(table.name)));
      const integers = new Set(table.columns.filter((c) => isIntegerType(c.type)).map((c) => c.name));
      const fileColumns = FILE_COLUMNS[table.name] ?? [];
      try {
        for await (const row of tableRows(tx, table, pageRows)) {
          const encoded: Record<string, unknown> = {};
          for (const [column, value] of Object.entries(row))
            encoded[column] = encodeValue(value, () => `${table.name}.${column}`, integers.has(column));
          for (const column of fileColumns) if (typeof row[column] === 'string') keys.add(row[column]);
          if (table.serial && typeof row[table.serial] === 'number')
            largestKey[table.name] = Math.max(largestKey[table.name] ?? 0, row[table.serial] as number);
          await writer.write(encoded);
        }
      } catch (err) {
        await writer.close();
        throw err;
      }
      const sha256 = await writer.close();
      tables.push({
        name: table.name,
        columns: table.columns,
        primary_key: table.primaryKey,
        rows: writer.rows,
        bytes: writer.bytes,
        sha256,
      });
    }
    const counters = await readCounters(tx, storage.dialect, infos);
    for (const [name, largest] of Object.entries(largestKey)) counters[name] = Math.max(counters[name] ?? 0, largest);
    return { migrations, tables, counters, keys };
  });
}

/** Pins each stored file by a hard link (a copy across file systems); answers the keys that are gone. */
async function pinFiles(dataDir: string, dir: string, keys: Set<string>, files: FileStorage | undefined): Promise<string[]> {
  const missing: string[] = [];
  for (const key of [...keys].sort()) {
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new SnapshotError(`A row names an unsafe file key: ${key}`);
    if (files && files.kind !== 'local') {
      // An object store: the object is copied aside (objects are never rewritten in place either).
      const to = path.join(dir, fileEntry(key));
      await fsp.mkdir(path.dirname(to), { recursive: true, mode: PRIVATE_DIR_MODE });
      try {
        await pipeline(files.createReadStream(key), fs.createWriteStream(to, { mode: PRIVATE_FILE_MODE }));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        missing.push(key);
      }
      continue;
    }
    const from = path.join(filesRoot(dataDir), key);
    const to = path.join(dir, fileEntry(key));
    await fsp.mkdir(path.dirname(to), { recursive: true, mode: PRIVATE_DIR_MODE });
    try {
      await fsp.link(from, to);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        missing.push(key);
        continue;
      }
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EMLINK') throw err;
      try {
        await fsp.copyFile(from, to);
      } catch (copyErr) {
        if ((copyErr as NodeJS.ErrnoException).code !== 'ENOENT') throw copyErr;
        missing.push(key);
      }
    }
  }
  return missing;
}

/** Hashes a stream as it passes. */
function hashing(onDone: (sha256: string, size: number) => void): Transform {
  const hash = crypto.createHash('sha256');
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      onDone(hash.digest('hex'), size);
      cb();
    },
  });
}

async function writeArchive(file: string, dir: string, manifest: Omit<SnapshotManifest, 'files'>, keys: string[]): Promise<number> {
  const zip = new yazl.ZipFile();
  const mtime = new Date(manifest.saved_at);
  const files: SnapshotManifest['files'] = [];
  let fileBytes = 0;
  for (const t of manifest.tables) zip.addFile(path.join(dir, tableEntry(t.name)), tableEntry(t.name), { mtime, mode: 0o100644 });
  for (const key of keys) {
    // Lazy: yazl opens each stream in turn, so the manifest (last) sees every hash.
    zip.addReadStreamLazy(fileEntry(key), { mtime, mode: 0o100644 }, (cb) => {
      const source = fs.createReadStream(path.join(dir, fileEntry(key)));
      const hasher = hashing((sha256, size) => {
        files.push({ key, size, sha256 });
        fileBytes += size;
      });
      source.on('error', (err) => hasher.destroy(err));
      cb(null, source.pipe(hasher));
    });
  }
  zip.addReadStreamLazy(MANIFEST, { mtime, mode: 0o100644 }, (cb) => {
    cb(null, Readable.from([Buffer.from(`${JSON.stringify({ ...manifest, files }, null, 1)}\n`)]));
  });
  zip.end();
  const failed = new Promise<never>((_, reject) => zip.on('error', reject));
  await Promise.race([pipeline(zip.outputStream, fs.createWriteStream(file, { mode: PRIVATE_FILE_MODE })), failed]);
  const handle = await fsp.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return fileBytes;
}

/**
 * Saves the database behind `storage` and the stored files under `<dataDir>/files` to `file`
 * (replaced atomically). Safe while the server runs and writes.
 */
export async function saveSnapshot(storage: Storage, dataDir: string, file: string, options: SaveOptions = {}): Promise<SnapshotSummary> {
  const target = path.resolve(file);
  await fsp.mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  let lastMissing: string[] = [];
  for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
    // Beside the stored files, so they can be hard-linked.
    const dir = await fsp.mkdtemp(path.join(dataDir, '.snapshot-save-'));
    try {
      const savedAt = new Date().toISOString();
      const read = await readDatabase(storage, dir, options.pageRows ?? PAGE_ROWS);
      const missing = await pinFiles(dataDir, dir, read.keys, options.files);
      if (missing.length > 0) {
        lastMissing = missing;
        continue;
      }
      const manifest = {
        format: SNAPSHOT_FORMAT,
        version: SNAPSHOT_VERSION,
        saved_at: savedAt,
        casa_integrate_version: VERSION,
        dialect: storage.dialect,
        migrations: read.migrations,
        tables: read.tables,
        counters: read.counters,
      } as const;
      await fsp.mkdir(path.dirname(target), { recursive: true });
      const tmp = `${target}.${crypto.randomBytes(6).toString('hex')}.tmp`;
      try {
        const fileBytes = await writeArchive(tmp, dir, manifest, [...read.keys].sort());
        await fsp.rename(tmp, target);
        return {
          file: target,
          dialect: storage.dialect,
          saved_at: savedAt,
          migrations: read.migrations,
          tables: Object.fromEntries(read.tables.map((t) => [t.name, t.rows])),
          files: read.keys.size,
          file_bytes: fileBytes,
        };
      } finally {
        await fsp.rm(tmp, { force: true });
      }
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  }
  throw new SnapshotError(
    `Stored files named by the database are missing from ${options.files?.location ?? filesRoot(dataDir)}: ${lastMissing.slice(0, 10).join(', ')}${lastMissing.length > 10 ? ` and ${lastMissing.length - 10} more` : ''}.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Restore

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const SHA256 = /^[0-9a-f]{64}$/;
const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

/** Checks the shape of a manifest; answers it typed or throws what is wrong. */
function validManifest(raw: unknown, file: string): SnapshotManifest {
  const foreign = () => new SnapshotError(`${file} is not a casa-integrate snapshot.`);
  if (!isObject(raw) || raw.format !== SNAPSHOT_FORMAT) throw foreign();
  if (typeof raw.version !== 'number' || !Number.isInteger(raw.version)) throw foreign();
  if (raw.version > SNAPSHOT_VERSION)
    throw new SnapshotError(
      `${file} was saved by a newer casa-integrate (snapshot format ${raw.version}; this version reads format ${SNAPSHOT_VERSION}).`,
    );
  const damaged = (what: string) => new SnapshotError(`${file} is damaged: its manifest has ${what}.`);
  if (raw.dialect !== 'sqlite' && raw.dialect !== 'postgres') throw damaged('no known dialect');
  if (typeof raw.saved_at !== 'string') throw damaged('no saved_at');
  if (!Array.isArray(raw.migrations) || !raw.migrations.every((m) => typeof m === 'string')) throw damaged('no migration list');
  if (!Array.isArray(raw.tables)) throw damaged('no table list');
  for (const t of raw.tables) {
    if (!isObject(t) || typeof t.name !== 'string' || !TABLE_NAME.test(t.name)) throw damaged('a table without a valid name');
    if (!Array.isArray(t.columns) || !t.columns.every((c) => isObject(c) && typeof c.name === 'string'))
      throw damaged(`no columns for ${t.name}`);
    if (typeof t.rows !== 'number' || typeof t.bytes !== 'number' || typeof t.sha256 !== 'string' || !SHA256.test(t.sha256))
      throw damaged(`no rows, size or checksum for ${t.name}`);
  }
  if (!isObject(raw.counters) || !Object.values(raw.counters).every((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0))
    throw damaged('bad counters');
  if (!Array.isArray(raw.files)) throw damaged('no file list');
  for (const f of raw.files) {
    if (!isObject(f) || typeof f.key !== 'string' || typeof f.size !== 'number' || typeof f.sha256 !== 'string' || !SHA256.test(f.sha256))
      throw damaged('a file without key, size or checksum');
    if (!SAFE_KEY.test(f.key) || f.key.includes('..'))
      throw new SnapshotError(`${file} is refused: it holds a file with an unsafe name (${f.key}).`);
  }
  return raw as unknown as SnapshotManifest;
}

async function openArchive(file: string): Promise<{ zip: yauzl.ZipFile; entries: Map<string, yauzl.Entry> }> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, strictFileNames: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
      throw new SnapshotError(`Cannot read ${file}: ${(err as Error).message}`);
    throw new SnapshotError(`${file} is not a casa-integrate snapshot (not a readable zip archive: ${(err as Error).message}).`);
  }
  const entries = new Map<string, yauzl.Entry>();
  try {
    for await (const entry of zip.eachEntry()) {
      if (entries.has(entry.fileName)) throw new SnapshotError(`${file} is damaged: ${entry.fileName} appears twice.`);
      entries.set(entry.fileName, entry);
    }
  } catch (err) {
    zip.close();
    if (err instanceof SnapshotError) throw err;
    throw new SnapshotError(`${file} is not a casa-integrate snapshot (not a readable zip archive: ${(err as Error).message}).`);
  }
  return { zip, entries };
}

/** Reads an entry into `to` (or memory), refusing it unless its size and SHA-256 are as expected. */
async function extract(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  expected: { size: number; sha256: string } | null,
  to: string | null,
  file: string,
): Promise<Buffer | null> {
  const limit = expected?.size ?? 64 * 1024 * 1024;
  const hash = crypto.createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  const check = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > limit)
        return cb(new SnapshotError(`${file} is damaged: ${entry.fileName} does not match its checksum (it is larger than recorded).`));
      hash.update(chunk);
      if (!to) chunks.push(chunk);
      cb(null, to ? chunk : undefined);
    },
  });
  try {
    const source = await zip.openReadStreamPromise(entry);
    if (to) {
      await fsp.mkdir(path.dirname(to), { recursive: true, mode: PRIVATE_DIR_MODE });
      await pipeline(source, check, fs.createWriteStream(to, { mode: PRIVATE_FILE_MODE }));
    } else {
      await pipeline(source, check);
    }
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    throw new SnapshotError(`${file} is damaged: ${entry.fileName} cannot be read (${(err as Error).message}).`);
  }
  if (expected && (size !== expected.size || hash.digest('hex') !== expected.sha256))
    throw new SnapshotError(`${file} is damaged: ${entry.fileName} does not match its checksum.`);
  return to ? null : Buffer.concat(chunks);
}

/** Reads and checks the manifest of a snapshot without touching any database. */
export async function readSnapshotManifest(file: string): Promise<SnapshotManifest> {
  const { zip, entries } = await openArchive(file);
  try {
    const entry = entries.get(MANIFEST);
    if (!entry) throw new SnapshotError(`${file} is not a casa-integrate snapshot (no ${MANIFEST}).`);
    const data = (await extract(zip, entry, null, null, file))!;
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString('utf8'));
    } catch {
      throw new SnapshotError(`${file} is not a casa-integrate snapshot (${MANIFEST} is not JSON).`);
    }
    return validManifest(raw, file);
  } finally {
    zip.close();
  }
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Refuses a snapshot whose migration level, tables or columns differ from this database's. */
function checkCompatible(manifest: SnapshotManifest, migrations: string[], tables: TableInfo[], file: string): void {
  const saved = [...manifest.migrations].sort();
  if (!sameList(saved, migrations)) {
    const onlySaved = saved.filter((m) => !migrations.includes(m));
    const onlyHere = migrations.filter((m) => !saved.includes(m));
    throw new SnapshotError(
      `${file} was saved at another migration level than this database's, so it is not restored.` +
        (onlySaved.length ? ` Only in the snapshot: ${onlySaved.join(', ')} (it was saved by a newer casa-integrate).` : '') +
        (onlyHere.length
          ? ` Only in this database: ${onlyHere.join(', ')} (restore it with the casa-integrate version that saved it, which can then be upgraded).`
          : ''),
    );
  }
  const here = tables.map((t) => t.name);
  const there = manifest.tables.map((t) => t.name).sort();
  if (!sameList(there, here))
    throw new SnapshotError(`${file} holds other tables than this database (snapshot: ${there.join(', ')}; database: ${here.join(', ')}).`);
  for (const t of tables) {
    const saved = manifest.tables.find((s) => s.name === t.name)!;
    const a = saved.columns.map((c) => c.name).sort();
    const b = t.columns.map((c) => c.name).sort();
    if (!sameList(a, b))
      throw new SnapshotError(
        `${file} has other columns for ${t.name} than this database (snapshot: ${a.join(', ')}; database: ${b.join(', ')}).`,
      );
  }
}

/** Inserts the rows of one unpacked table file, in batches; answers how many. */
async function insertRows(tx: Db, table: TableInfo, jsonl: string, file: string): Promise<number> {
  const columns = table.columns.map((c) => c.name);
  const known = new Set(columns);
  // Both SQLite and PostgreSQL take well over 10,000 bound values per statement.
  const perBatch = Math.max(1, Math.min(500, Math.floor(10_000 / columns.length)));
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  let batch: unknown[][] = [];
  let count = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await sql`insert into ${sql.table(table.name)} (${cols}) values ${sql.join(batch.map((values) => sql`(${sql.join(values)})`))}`.execute(
      tx,
    );
    batch = [];
  };
  const lines = readline.createInterface({ input: fs.createReadStream(jsonl), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new SnapshotError(`${file} is damaged: a row of ${table.name} is not JSON.`);
    }
    if (!isObject(row) || Object.keys(row).length !== columns.length || !Object.keys(row).every((k) => known.has(k)))
      throw new SnapshotError(`${file} is damaged: a row of ${table.name} has other columns than the table.`);
    batch.push(columns.map((c) => decodeValue(row[c])));
    count++;
    if (batch.length >= perBatch) await flush();
  }
  await flush();
  return count;
}

/** Puts the unpacked files directory in place of `<dataDir>/files`. */
async function swapFiles(dataDir: string, staged: string, dir: string): Promise<void> {
  const live = filesRoot(dataDir);
  const old = path.join(dir, 'replaced-files');
  try {
    await fsp.rename(live, old);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      await fsp.rename(staged, live);
      return;
    }
    if (code !== 'EXDEV' && code !== 'EBUSY' && code !== 'EPERM') throw err;
    // `files` is a mount point of its own: replace what is inside it instead.
    for (const name of await fsp.readdir(live)) await fsp.rm(path.join(live, name), { recursive: true, force: true });
    await fsp.cp(staged, live, { recursive: true });
    return;
  }
  await fsp.rename(staged, live);
}

/**
 * Replaces every row of the database behind `storage` and every stored file under
 * `<dataDir>/files` with the snapshot in `file`. The database must be at the snapshot's migration
 * level. Anything wrong with the file is found before anything changes.
 */
export async function restoreSnapshot(storage: Storage, dataDir: string, file: string, files?: FileStorage): Promise<RestoreSummary> {
  const objectStore = files && files.kind !== 'local' ? files : null;
  const source = path.resolve(file);
  const manifest = await readSnapshotManifest(source);
  const migrations = await appliedMigrations(storage.db, storage.dialect);
  const tables = await describeTables(storage.db, storage.dialect);
  checkCompatible(manifest, migrations, tables, source);

  await fsp.mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const dir = await fsp.mkdtemp(path.join(dataDir, '.snapshot-restore-'));
  try {
    const { zip, entries } = await openArchive(source);
    try {
      const expected = new Set([
        MANIFEST,
        ...manifest.tables.map((t) => tableEntry(t.name)),
        ...manifest.files.map((f) => fileEntry(f.key)),
      ]);
      if (expected.size !== 1 + manifest.tables.length + manifest.files.length)
        throw new SnapshotError(`${source} is damaged: its manifest lists a file twice.`);
      for (const name of entries.keys())
        if (!expected.has(name)) throw new SnapshotError(`${source} is damaged: it holds ${name}, which its manifest does not list.`);
      for (const name of expected) if (!entries.has(name)) throw new SnapshotError(`${source} is damaged: ${name} is missing.`);
      for (const t of manifest.tables)
        await extract(
          zip,
          entries.get(tableEntry(t.name))!,
          { size: t.bytes, sha256: t.sha256 },
          path.join(dir, tableEntry(t.name)),
          source,
        );
      await fsp.mkdir(path.join(dir, 'files'), { recursive: true, mode: PRIVATE_DIR_MODE });
      for (const f of manifest.files) await extract(zip, entries.get(fileEntry(f.key))!, f, path.join(dir, fileEntry(f.key)), source);
    } finally {
      zip.close();
    }

    // An object store gets the snapshot's files before the rows that name them commit; keys are
    // content-addressed or unique, so a key already there holds the same bytes.
    if (objectStore) for (const f of manifest.files) await objectStore.put(f.key, fs.createReadStream(path.join(dir, fileEntry(f.key))));

    const counts: Record<string, number> = {};
    // The schema has no foreign keys, so tables are emptied and filled in name order; one added
    // later needs its tables in dependency order here (or deferred checks).
    await storage.db.transaction().execute(async (tx) => {
      for (const t of tables) await sql`delete from ${sql.table(t.name)}`.execute(tx);
      for (const t of tables) {
        const saved = manifest.tables.find((s) => s.name === t.name)!;
        counts[t.name] = await insertRows(tx, t, path.join(dir, tableEntry(t.name)), source);
        if (counts[t.name] !== saved.rows)
          throw new SnapshotError(`${source} is damaged: ${t.name} holds ${counts[t.name]} rows, its manifest says ${saved.rows}.`);
      }
      await writeCounters(tx, storage.dialect, tables, manifest.counters);
    });

    if (objectStore) {
      // Then whatever the snapshot does not hold goes, as the local files directory is replaced whole.
      const kept = new Set(manifest.files.map((f) => f.key));
      for await (const f of objectStore.list()) if (!kept.has(f.key)) await objectStore.delete(f.key);
    } else await swapFiles(dataDir, path.join(dir, 'files'), dir);
    return {
      file: source,
      dialect: storage.dialect,
      saved_on: manifest.dialect,
      saved_at: manifest.saved_at,
      migrations,
      tables: counts,
      files: manifest.files.length,
      file_bytes: manifest.files.reduce((n, f) => n + f.size, 0),
    };
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}
