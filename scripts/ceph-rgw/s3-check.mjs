// End-to-end check of an S3-compatible endpoint with the AWS SDK v3.
// Usage: S3_ENDPOINT=http://127.0.0.1:7480 S3_ACCESS_KEY=... S3_SECRET_KEY=... node s3-test.mjs
// Optional: S3_CHECKSUM=default   -> keep the SDK's default flexible-checksum behaviour
//           (otherwise requestChecksumCalculation/responseChecksumValidation = WHEN_REQUIRED)
import {
  S3Client,
  CreateBucketCommand,
  PutObjectCommand,
  ListObjectsV2Command,
  GetObjectCommand,
  HeadObjectCommand,
  DeleteObjectCommand,
  DeleteBucketCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  DeleteObjectsCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

const endpoint = process.env.S3_ENDPOINT ?? 'http://127.0.0.1:7480';
const checksumDefault = process.env.S3_CHECKSUM === 'default';
const client = new S3Client({
  endpoint,
  region: process.env.S3_REGION ?? 'us-east-1',
  forcePathStyle: true,
  credentials: {
    accessKeyId: process.env.S3_ACCESS_KEY ?? 'TESTACCESSKEY0000001',
    secretAccessKey: process.env.S3_SECRET_KEY ?? 'testsecretkey0000000000000000000000000001',
  },
  ...(checksumDefault
    ? {}
    : {
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
});

let passed = 0,
  failed = 0;
async function step(name, fn) {
  const t = Date.now();
  try {
    const note = await fn();
    passed++;
    console.log(`ok   ${name} (${Date.now() - t} ms)${note ? ' -> ' + note : ''}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e?.name ?? ''} ${e?.message ?? e} ${e?.$metadata?.httpStatusCode ?? ''}`);
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

const bucket = `probe-${Date.now()}-${randomBytes(3).toString('hex')}`;
const key = 'dir/hello file+ü.bin'; // spaces, plus sign, non-ASCII: exercises URL encoding
const body = randomBytes(5 * 1024 * 1024); // 5 MiB
const digest = sha256(body);

await step('CreateBucket', async () => {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
});
await step('PutObject 5 MiB (Buffer)', async () => {
  const r = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/octet-stream' }));
  assert(r.ETag, 'no ETag');
});
await step('ListObjectsV2', async () => {
  const r = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  const o = (r.Contents ?? []).find((c) => c.Key === key);
  assert(o, `key not listed: ${JSON.stringify(r.Contents)}`);
  assert(o.Size === body.length, `size ${o.Size} != ${body.length}`);
});
await step('GetObject + sha256', async () => {
  const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const got = Buffer.from(await r.Body.transformToByteArray());
  assert(sha256(got) === digest, 'sha256 mismatch');
});

let url;
await step('presigned GET via plain fetch + sha256', async () => {
  url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300 });
  const res = await fetch(url);
  const got = Buffer.from(await res.arrayBuffer());
  assert(res.status === 200, `status ${res.status}: ${got.toString().slice(0, 300)}`);
  assert(sha256(got) === digest, 'sha256 mismatch');
});
await step('tampered presigned URL (signature), expect 403', async () => {
  const u = new URL(url);
  const sig = u.searchParams.get('X-Amz-Signature');
  u.searchParams.set('X-Amz-Signature', (sig[0] === '0' ? '1' : '0') + sig.slice(1));
  const res = await fetch(u);
  const text = await res.text();
  assert(res.status === 403, `status ${res.status}: ${text.slice(0, 300)}`);
  return `${res.status} ${(text.match(/<Code>([^<]*)<\/Code>/) ?? [])[1]}`;
});
await step('tampered presigned URL (other key, same signature), expect 403', async () => {
  const u = new URL(url);
  u.pathname = u.pathname.replace(/\.bin$/, '.bim');
  const res = await fetch(u);
  const text = await res.text();
  assert(res.status === 403, `status ${res.status}: ${text.slice(0, 300)}`);
  return `${res.status} ${(text.match(/<Code>([^<]*)<\/Code>/) ?? [])[1]}`;
});
await step('expired presigned URL (signed 1 h ago, expiresIn 60 s), expect 403', async () => {
  const old = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), {
    expiresIn: 60,
    signingDate: new Date(Date.now() - 3600 * 1000),
  });
  const res = await fetch(old);
  const text = await res.text();
  assert(res.status === 403, `status ${res.status}: ${text.slice(0, 300)}`);
  return `${res.status} ${(text.match(/<Code>([^<]*)<\/Code>/) ?? [])[1]}`;
});
await step('presigned URL expiring for real (expiresIn 1 s, wait 2.5 s), expect 403', async () => {
  const u = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 1 });
  await new Promise((r) => setTimeout(r, 2500));
  const res = await fetch(u);
  const text = await res.text();
  assert(res.status === 403, `status ${res.status}: ${text.slice(0, 300)}`);
  return `${res.status} ${(text.match(/<Code>([^<]*)<\/Code>/) ?? [])[1]}`;
});
await step('presigned PUT via plain fetch, then GET back', async () => {
  const k2 = 'uploaded-by-url.txt';
  const data = 'hello from a presigned PUT\n';
  const putUrl = await getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: k2, ContentType: 'text/plain' }), {
    expiresIn: 300,
  });
  const res = await fetch(putUrl, { method: 'PUT', body: data, headers: { 'content-type': 'text/plain' } });
  const text = await res.text();
  assert(res.status === 200, `status ${res.status}: ${text.slice(0, 300)}`);
  const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: k2 }));
  assert((await r.Body.transformToString()) === data, 'content mismatch');
  assert(r.ContentType === 'text/plain', `content-type ${r.ContentType}`);
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: k2 }));
});
await step('PutObject with a stream body (SDK default checksums send it aws-chunked with a trailer)', async () => {
  const k3 = 'streamed.bin';
  const data = randomBytes(256 * 1024);
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: k3,
      Body: Readable.from([data.subarray(0, 100000), data.subarray(100000)]),
      ContentLength: data.length,
    }),
  );
  const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: k3 }));
  assert(sha256(Buffer.from(await r.Body.transformToByteArray())) === sha256(data), 'sha256 mismatch');
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: k3 }));
});
// ---- extras beyond the brief: things a file-storage app typically also uses
await step('presigned GET with response-content-disposition override', async () => {
  const u = await getSignedUrl(
    client,
    new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentDisposition: 'attachment; filename="report.bin"' }),
    { expiresIn: 300 },
  );
  const res = await fetch(u);
  await res.arrayBuffer();
  assert(res.status === 200, `status ${res.status}`);
  assert(
    res.headers.get('content-disposition') === 'attachment; filename="report.bin"',
    `content-disposition ${res.headers.get('content-disposition')}`,
  );
});
await step('multipart upload (5 MiB + 1 MiB parts), GET back + sha256', async () => {
  const k = 'multipart.bin';
  const data = randomBytes(6 * 1024 * 1024);
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: k }));
  const parts = [];
  for (const [n, chunk] of [
    [1, data.subarray(0, 5 * 1024 * 1024)],
    [2, data.subarray(5 * 1024 * 1024)],
  ]) {
    const r = await client.send(new UploadPartCommand({ Bucket: bucket, Key: k, UploadId, PartNumber: n, Body: chunk }));
    parts.push({ ETag: r.ETag, PartNumber: n });
  }
  await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: k, UploadId, MultipartUpload: { Parts: parts } }));
  const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: k }));
  assert(sha256(Buffer.from(await r.Body.transformToByteArray())) === sha256(data), 'sha256 mismatch');
});
await step('CopyObject + user metadata', async () => {
  await client.send(
    new CopyObjectCommand({
      Bucket: bucket,
      Key: 'copy.bin',
      CopySource: `${bucket}/${encodeURIComponent(key)}`,
      MetadataDirective: 'REPLACE',
      Metadata: { owner: 'alice' },
    }),
  );
  const h = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'copy.bin' }));
  assert(h.ContentLength === body.length, `length ${h.ContentLength}`);
  assert(h.Metadata?.owner === 'alice', `metadata ${JSON.stringify(h.Metadata)}`);
});
await step('DeleteObjects (batch: multipart.bin, copy.bin)', async () => {
  const r = await client.send(
    new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'multipart.bin' }, { Key: 'copy.bin' }] } }),
  );
  assert((r.Deleted ?? []).length === 2, `deleted ${JSON.stringify(r.Deleted)} errors ${JSON.stringify(r.Errors)}`);
});
await step('DeleteObject, then HeadObject -> 404', async () => {
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    throw new Error('object still there');
  } catch (e) {
    assert(e?.$metadata?.httpStatusCode === 404, `expected 404, got ${e?.$metadata?.httpStatusCode} ${e?.name}`);
  }
});
await step('DeleteBucket', async () => {
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
