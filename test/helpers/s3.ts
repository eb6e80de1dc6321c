// The S3 store the tests use: the endpoint of S3_ENDPOINT (with S3_ACCESS_KEY / S3_SECRET_KEY or
// the AWS_* variables), as `npm run test:s3` sets after starting Ceph's RADOS Gateway. Each caller
// gets its own key prefix in one shared test bucket, so test files never see each other's objects.
import crypto from 'node:crypto';
import { CreateBucketCommand, ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from '../../src/config.js';
import { s3Client, s3FileStorage } from '../../src/storage/s3-file-storage.js';
import type { FileStorage } from '../../src/storage/file-storage.js';

export const S3_ENDPOINT = process.env.S3_ENDPOINT || null;
export const TEST_BUCKET = process.env.S3_TEST_BUCKET || 'casa-integrate-test';
export const NO_S3 = 'S3_ENDPOINT is not set: `npm run test:s3` starts an S3 gateway and runs the storage tests on it';

if (S3_ENDPOINT) {
  // The SDK's default credential chain reads AWS_*; the gateway's env file gives both spellings.
  process.env.AWS_ACCESS_KEY_ID ??= process.env.S3_ACCESS_KEY;
  process.env.AWS_SECRET_ACCESS_KEY ??= process.env.S3_SECRET_KEY;
}

export function testS3Settings(prefix = `t-${process.pid}-${crypto.randomBytes(4).toString('hex')}/`): S3Config {
  if (!S3_ENDPOINT) throw new Error(NO_S3);
  return {
    bucket: TEST_BUCKET,
    prefix,
    endpoint: S3_ENDPOINT,
    region: process.env.S3_REGION || 'us-east-1',
    forcePathStyle: true,
  };
}

let bucketReady: Promise<void> | null = null;

/** Creates the shared test bucket once per process (it may already exist). */
export function ensureTestBucket(client: S3Client = s3Client(testS3Settings())): Promise<void> {
  bucketReady ??= client.send(new CreateBucketCommand({ Bucket: TEST_BUCKET })).then(
    () => undefined,
    (err: { name?: string }) => {
      if (err.name !== 'BucketAlreadyOwnedByYou' && err.name !== 'BucketAlreadyExists') throw err;
    },
  );
  return bucketReady;
}

/** A fresh S3 store under its own prefix, in the shared test bucket. */
export async function testS3Storage(): Promise<{ files: FileStorage; settings: S3Config; client: S3Client }> {
  const settings = testS3Settings();
  const client = s3Client(settings);
  await ensureTestBucket(client);
  return { files: s3FileStorage(settings, client), settings, client };
}

/** Multipart uploads begun under `prefix` and neither completed nor aborted. */
export async function pendingUploads(client: S3Client, prefix: string): Promise<string[]> {
  const res = await client.send(new ListMultipartUploadsCommand({ Bucket: TEST_BUCKET, Prefix: prefix }));
  return (res.Uploads ?? []).map((u) => u.Key!);
}
