// Stored files (scans, deliverables) behind one interface; the local-disk driver writes atomically
// (temp file, fsync, rename), so a crash never leaves a half file behind a key.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { ServiceUnavailableError } from '../errors.js';

export interface StoredFileInfo {
  size: number;
  mtimeMs: number;
}

export interface FileStorage {
  put(key: string, data: Buffer | Readable, opts?: { maxBytes?: number }): Promise<StoredFileInfo>;
  stat(key: string): Promise<StoredFileInfo | null>;
  read(key: string): Promise<Buffer>;
  createReadStream(key: string, range?: { start: number; end: number }): Readable;
  delete(key: string): Promise<void>;
}

export class FileTooLargeError extends Error {}

/** The disk refused a write (full, read-only, a directory missing or not a directory…): a 503, retried later. */
export class StorageUnavailableError extends ServiceUnavailableError {
  constructor(cause: Error) {
    super('The file storage is unavailable; retry shortly.');
    this.cause = cause;
  }
}

// Errors of the disk itself; a stream error of the data written (a client going away) is not one.
const DISK_FAILURES = new Set([
  'ENOSPC',
  'EDQUOT',
  'EROFS',
  'EACCES',
  'EPERM',
  'ENOTDIR',
  'EISDIR',
  'EEXIST',
  'ENOENT',
  'EIO',
  'EMFILE',
  'ENFILE',
  'EFBIG',
]);

function asStorageError(err: unknown): unknown {
  return DISK_FAILURES.has((err as NodeJS.ErrnoException)?.code ?? '') ? new StorageUnavailableError(err as Error) : err;
}

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

export function localFileStorage(root: string): FileStorage {
  const resolve = (key: string) => {
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`unsafe storage key: ${key}`);
    return path.join(root, key);
  };

  return {
    async put(key, data, opts = {}) {
      const target = resolve(key);
      const tmp = `${target}.${crypto.randomBytes(6).toString('hex')}.tmp`;
      try {
        await fsp.mkdir(path.dirname(target), { recursive: true });
        if (Buffer.isBuffer(data)) {
          if (opts.maxBytes !== undefined && data.length > opts.maxBytes) throw new FileTooLargeError('file is too large');
          const handle = await fsp.open(tmp, 'w');
          try {
            await handle.writeFile(data);
            await handle.sync();
          } finally {
            await handle.close();
          }
        } else {
          let written = 0;
          const out = fs.createWriteStream(tmp);
          data.on('data', (chunk: Buffer) => {
            written += chunk.length;
            if (opts.maxBytes !== undefined && written > opts.maxBytes) data.destroy(new FileTooLargeError('file is too large'));
          });
          await pipeline(data, out);
          const handle = await fsp.open(tmp, 'r+');
          await handle.sync();
          await handle.close();
        }
        await fsp.rename(tmp, target);
      } catch (err) {
        await fsp.rm(tmp, { force: true }).catch(() => {});
        throw asStorageError(err);
      }
      const st = await fsp.stat(target);
      return { size: st.size, mtimeMs: st.mtimeMs };
    },

    async stat(key) {
      try {
        const st = await fsp.stat(resolve(key));
        return { size: st.size, mtimeMs: st.mtimeMs };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },

    read(key) {
      return fsp.readFile(resolve(key));
    },

    createReadStream(key, range) {
      return fs.createReadStream(resolve(key), range ? { start: range.start, end: range.end } : {});
    },

    async delete(key) {
      await fsp.rm(resolve(key), { force: true });
    },
  };
}
