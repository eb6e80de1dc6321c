// Stored files (scans, deliverables, cached PDFs) behind one interface, on local disk or in an
// S3-compatible object store. Whatever the driver, a key names either a whole object or nothing.
import type { Readable } from 'node:stream';
import { ServiceUnavailableError } from '../errors.js';

export interface StoredFileInfo {
  size: number;
  mtimeMs: number;
}

export interface ListedFile extends StoredFileInfo {
  key: string;
}

export interface PresignOptions {
  expiresS: number;
  contentType: string;
  /** The name a browser saves the download under. */
  fileName: string;
}

export interface FileStorage {
  /** Where the files live, for logs and start-up errors; never carries a secret. */
  readonly location: string;
  /** Local disk (files under one root, which snapshots hard-link) or an object store. */
  readonly kind: 'local' | 's3';
  put(key: string, data: Buffer | Readable, opts?: { maxBytes?: number }): Promise<StoredFileInfo>;
  stat(key: string): Promise<StoredFileInfo | null>;
  read(key: string): Promise<Buffer>;
  createReadStream(key: string, range?: { start: number; end: number }): Readable;
  delete(key: string): Promise<void>;
  /** Every stored file whose key starts with `prefix`, in no promised order. */
  list(prefix?: string): AsyncIterable<ListedFile>;
  /** Resolves when the store takes reads and writes now; throws a StorageUnavailableError saying why. */
  check(): Promise<void>;
  /** A URL the object store itself answers for `key`, without credentials (object stores only). */
  presignedGet?(key: string, opts: PresignOptions): Promise<string>;
}

export class FileTooLargeError extends Error {}

/** The store refused a write or a read (full, read-only, unreachable, credentials refused…): a 503, retried later. */
export class StorageUnavailableError extends ServiceUnavailableError {
  constructor(
    cause: Error,
    readonly reason: string = cause.message,
  ) {
    super('The file storage is unavailable; retry shortly.');
    this.cause = cause;
  }
}

// Keys are made by the server, never by a caller; this refuses anything else loudly.
const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

export function assertSafeKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`unsafe storage key: ${key}`);
}
