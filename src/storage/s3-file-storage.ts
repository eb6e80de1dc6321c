// Stored files in an S3-compatible object store (AWS S3, Cloudflare R2, MinIO, Ceph RGW) through
// the AWS SDK v3. Streams go up by multipart as they arrive (a few parts in memory at most) and an
// upload that fails or is cut off is aborted, so no key ever names a partial object. Credentials
// come from the SDK's default chain; nothing here ever logs or reports them.
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Config } from '../config.js';
import { FileTooLargeError, StorageUnavailableError, assertSafeKey, type FileStorage, type ListedFile } from './file-storage.js';

export type S3Settings = S3Config;

// 5 MiB parts (the least S3 takes), two in flight: a scan holds about 3 parts in memory, whatever its size.
const PART_SIZE = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

function isMissing(err: unknown): boolean {
  return (
    err instanceof S3ServiceException &&
    (err.name === 'NotFound' || err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404) &&
    err.name !== 'NoSuchBucket'
  );
}

/** Why the store refused, in words an operator acts on; never a credential. */
export function s3FailureReason(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'NoSuchBucket' || (e.name === 'NotFound' && status === 404)) return 'the bucket does not exist';
  if (e.name === 'CredentialsProviderError')
    return 'no credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile or an instance role)';
  if (status === 403 || ['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'Forbidden'].includes(e.name ?? ''))
    return `the credentials were refused (${e.name ?? 'HTTP 403'})`;
  const code = e.code ?? (e as { cause?: { code?: string } }).cause?.code;
  if (code && NETWORK_CODES.has(code)) return `the endpoint is unreachable (${code})`;
  if (e.name === 'TimeoutError') return 'the endpoint did not answer in time';
  if (status && status >= 500) return `the store answered HTTP ${status} (${e.name ?? 'server error'})`;
  return `${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
}

function unavailable(err: unknown): StorageUnavailableError {
  return err instanceof StorageUnavailableError ? err : new StorageUnavailableError(err as Error, s3FailureReason(err));
}

/** `extra` is for tests that need other credentials than the default chain's. */
export function s3Client(settings: S3Settings, extra: Partial<S3ClientConfig> = {}): S3Client {
  // The SDK warns on Node 20 that its 2027 releases will need Node 22; package.json pins a release
  // that runs on 20, so the warning would only alarm an operator on every start.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    // Stream bodies would otherwise go up `aws-chunked` with a trailing checksum, which stores
    // other than AWS (Ceph RGW, older MinIO) refuse with 411; TLS and Content-MD5 where required suffice.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: 5000 },
    ...extra,
  });
}

export function s3FileStorage(settings: S3Settings, client: S3Client = s3Client(settings)): FileStorage {
  const Bucket = settings.bucket;
  const objectKey = (key: string) => {
    assertSafeKey(key);
    return settings.prefix + key;
  };
  const where = settings.endpoint ?? `AWS S3 (${settings.region})`;

  return {
    kind: 's3',
    location: `S3 bucket "${Bucket}"${settings.prefix ? ` prefix "${settings.prefix}"` : ''} at ${where}`,

    async put(key, data, opts = {}) {
      const Key = objectKey(key);
      if (Buffer.isBuffer(data)) {
        if (opts.maxBytes !== undefined && data.length > opts.maxBytes) throw new FileTooLargeError('file is too large');
        try {
          await client.send(new PutObjectCommand({ Bucket, Key, Body: data, ContentLength: data.length }));
        } catch (err) {
          throw unavailable(err);
        }
        return { size: data.length, mtimeMs: Date.now() };
      }
      let size = 0;
      // The data's own failure (a client going away, a file too large) is not the store's.
      let sourceError: unknown = null;
      const counted = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (opts.maxBytes !== undefined && size > opts.maxBytes) done((sourceError = new FileTooLargeError('file is too large')));
          else done(null, chunk);
        },
      });
      data.once('error', (err) => {
        sourceError ??= err;
      });
      pipeline(data, counted).catch(() => undefined);
      const upload = new Upload({ client, params: { Bucket, Key, Body: counted }, partSize: PART_SIZE, queueSize: PARTS_IN_FLIGHT });
      try {
        await upload.done();
      } catch (err) {
        data.destroy();
        throw sourceError ?? unavailable(err);
      }
      return { size, mtimeMs: Date.now() };
    },

    async stat(key) {
      const Key = objectKey(key);
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key }));
        return { size: head.ContentLength ?? 0, mtimeMs: head.LastModified?.getTime() ?? 0 };
      } catch (err) {
        if (isMissing(err)) return null;
        throw unavailable(err);
      }
    },

    async read(key) {
      const Key = objectKey(key);
      try {
        const res = await client.send(new GetObjectCommand({ Bucket, Key }));
        return Buffer.from(await res.Body!.transformToByteArray());
      } catch (err) {
        if (isMissing(err)) throw Object.assign(new Error(`no stored file ${key}`), { code: 'ENOENT' });
        throw unavailable(err);
      }
    },

    createReadStream(key, range) {
      const Key = objectKey(key);
      const out = new PassThrough();
      const abort = new AbortController();
      let attached = false;
      // A reader that goes away before the object answers cancels the request.
      out.once('close', () => {
        if (!attached) abort.abort();
      });
      client
        .send(new GetObjectCommand({ Bucket, Key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }), {
          abortSignal: abort.signal,
        })
        .then(
          (res) => {
            attached = true;
            pipeline(res.Body as Readable, out).catch(() => undefined);
          },
          (err: unknown) => {
            if (!out.destroyed)
              out.destroy(isMissing(err) ? Object.assign(new Error(`no stored file ${key}`), { code: 'ENOENT' }) : unavailable(err));
          },
        );
      return out;
    },

    async delete(key) {
      const Key = objectKey(key);
      try {
        await client.send(new DeleteObjectCommand({ Bucket, Key }));
      } catch (err) {
        if (!isMissing(err)) throw unavailable(err);
      }
    },

    list(prefix = '') {
      return (async function* (): AsyncGenerator<ListedFile> {
        let ContinuationToken: string | undefined;
        do {
          let page;
          try {
            page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: settings.prefix + prefix, ContinuationToken }));
          } catch (err) {
            throw unavailable(err);
          }
          for (const o of page.Contents ?? [])
            if (o.Key) yield { key: o.Key.slice(settings.prefix.length), size: o.Size ?? 0, mtimeMs: o.LastModified?.getTime() ?? 0 };
          ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (ContinuationToken);
      })();
    },

    async check() {
      try {
        await client.send(new HeadBucketCommand({ Bucket }));
      } catch (err) {
        throw unavailable(err);
      }
    },

    presignedGet(key, opts) {
      const ascii = opts.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
      return getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket,
          Key: objectKey(key),
          ResponseContentType: opts.contentType,
          ResponseContentDisposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(opts.fileName)}`,
        }),
        { expiresIn: opts.expiresS },
      );
    },
  };
}
