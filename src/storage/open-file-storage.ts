// The configured file store: local disk under `<dataDir>/files` unless CASA_STORAGE=s3. The S3
// driver (the AWS SDK, about 23 MB resident) is loaded only by processes that use it.
import path from 'node:path';
import type { Config } from '../config.js';
import { StorageUnavailableError, type FileStorage } from './file-storage.js';
import { localFileStorage } from './local-file-storage.js';

type StoreConfig = Pick<Config, 'dataDir' | 'storage' | 's3'>;

export async function configuredFileStorage(config: StoreConfig): Promise<FileStorage> {
  if (config.storage === 's3') return (await import('./s3-file-storage.js')).s3FileStorage(config.s3!);
  return localFileStorage(path.join(config.dataDir, 'files'));
}

export class FileStoreUnusableError extends Error {}

/**
 * The configured store, proven usable: a server must not start on a store it cannot use. The
 * error is one line naming the store and why, never a credential.
 */
export async function openFileStorage(config: StoreConfig): Promise<FileStorage> {
  const files = await configuredFileStorage(config);
  try {
    await files.check();
  } catch (err) {
    const reason = err instanceof StorageUnavailableError ? err.reason : (err as Error).message;
    throw new FileStoreUnusableError(`cannot use the file store, ${files.location}: ${reason}`);
  }
  return files;
}
