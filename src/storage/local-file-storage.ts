// Stored files on local disk under one root. Writes are atomic (temp file, fsync, rename), so a
// crash never leaves a half file behind a key; at most a `.tmp` file the orphan sweep removes.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files.js';
import { FileTooLargeError, StorageUnavailableError, assertSafeKey, type FileStorage, type ListedFile } from './file-storage.js';

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

export function localFileStorage(root: string): FileStorage {
  const resolve = (key: string) => {
    assertSafeKey(key);
    return path.join(root, key);
  };

  async function* walk(dir: string, rel: string): AsyncGenerator<ListedFile> {
    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const entry of entries) {
      const key = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) yield* walk(path.join(dir, entry.name), key);
      else if (entry.isFile()) {
        const st = await fsp.stat(path.join(dir, entry.name)).catch(() => null);
        if (st) yield { key, size: st.size, mtimeMs: st.mtimeMs };
      }
    }
  }

  return {
    location: `local disk ${root}`,
    kind: 'local',

    async put(key, data, opts = {}) {
      const target = resolve(key);
      const tmp = `${target}.${crypto.randomBytes(6).toString('hex')}.tmp`;
      try {
        await fsp.mkdir(path.dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
        if (Buffer.isBuffer(data)) {
          if (opts.maxBytes !== undefined && data.length > opts.maxBytes) throw new FileTooLargeError('file is too large');
          const handle = await fsp.open(tmp, 'w', PRIVATE_FILE_MODE);
          try {
            await handle.writeFile(data);
            await handle.sync();
          } finally {
            await handle.close();
          }
        } else {
          let written = 0;
          const out = fs.createWriteStream(tmp, { mode: PRIVATE_FILE_MODE });
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

    list(prefix = '') {
      // Walk only the directory the prefix names, then filter by the rest of it.
      const slash = prefix.lastIndexOf('/');
      const dir = slash < 0 ? '' : prefix.slice(0, slash);
      if (dir) assertSafeKey(dir);
      const files = walk(dir ? path.join(root, dir) : root, dir);
      return (async function* () {
        for await (const f of files) if (f.key.startsWith(prefix)) yield f;
      })();
    },

    async check() {
      try {
        await fsp.mkdir(root, { recursive: true, mode: PRIVATE_DIR_MODE });
        await fsp.access(root, fs.constants.W_OK | fs.constants.R_OK);
      } catch (err) {
        throw new StorageUnavailableError(err as Error, `${root} is not a writable directory (${(err as Error).message})`);
      }
    },
  };
}
