// The FileStorage contract, on local disk and on a real S3 server (Ceph's RADOS Gateway through
// `npm run test:s3`, or any S3_ENDPOINT): whole objects or nothing behind a key, streams with a
// size cap, ranges, listing, deletion, the start-up check's one-line reasons, presigned URLs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { FileTooLargeError, StorageUnavailableError, type FileStorage } from '../../src/storage/file-storage.js';
import { localFileStorage } from '../../src/storage/local-file-storage.js';
import { openFileStorage } from '../../src/storage/open-file-storage.js';
import { s3Client, s3FileStorage } from '../../src/storage/s3-file-storage.js';
import { NO_S3, S3_ENDPOINT, TEST_BUCKET, pendingUploads, testS3Settings, testS3Storage } from '../helpers/s3.js';
import { runCli } from '../helpers/child-process.js';

interface Driver {
  name: string;
  skip: string | false;
  make(): Promise<{ files: FileStorage; pending(): Promise<string[]> }>;
}

const drivers: Driver[] = [
  {
    name: 'local disk',
    skip: false,
    async make() {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-store-'));
      return {
        files: localFileStorage(root),
        // A write cut off leaves nothing on disk, not even its temporary file.
        pending: async () =>
          fs
            .readdirSync(root, { recursive: true })
            .map(String)
            .filter((f) => f.endsWith('.tmp')),
      };
    },
  },
  {
    name: 'S3',
    skip: S3_ENDPOINT ? false : NO_S3,
    async make() {
      const { files, settings, client } = await testS3Storage();
      return { files, pending: () => pendingUploads(client, settings.prefix) };
    },
  },
];

/** `total` bytes of a repeatable pattern, in 64 KiB chunks, then `failure` if given. */
function source(total: number, failure?: Error): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) {
        if (failure) this.destroy(failure);
        else this.push(null);
        return;
      }
      const n = Math.min(65536, total - sent);
      const chunk = Buffer.alloc(n, sent % 251);
      sent += n;
      this.push(chunk);
    },
  });
}

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function listed(files: FileStorage, prefix = ''): Promise<{ key: string; size: number }[]> {
  const out: { key: string; size: number }[] = [];
  for await (const f of files.list(prefix)) out.push({ key: f.key, size: f.size });
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

for (const driver of drivers) {
  describe(`FileStorage on ${driver.name}`, { skip: driver.skip }, () => {
    it('stores a buffer and a stream, and reads them whole, by range and by stat', async () => {
      const { files } = await driver.make();
      const data = crypto.randomBytes(300_000);
      const info = await files.put('deliverables/o1/abc/plan.png', data);
      assert.equal(info.size, data.length);
      assert.deepEqual(await files.read('deliverables/o1/abc/plan.png'), data);
      assert.deepEqual(await bytes(files.createReadStream('deliverables/o1/abc/plan.png')), data);
      assert.deepEqual(await bytes(files.createReadStream('deliverables/o1/abc/plan.png', { start: 10, end: 19 })), data.subarray(10, 20));
      const st = await files.stat('deliverables/o1/abc/plan.png');
      assert.equal(st?.size, data.length);
      assert.ok(st!.mtimeMs > Date.now() - 3600_000 && st!.mtimeMs < Date.now() + 3600_000, 'mtime is about now');

      // 20 MiB goes up in several parts on S3.
      const streamed = await files.put('scans/o1/s1', source(20 * 1024 * 1024));
      assert.equal(streamed.size, 20 * 1024 * 1024);
      const back = await bytes(files.createReadStream('scans/o1/s1', { start: 20 * 1024 * 1024 - 5, end: 20 * 1024 * 1024 - 1 }));
      assert.deepEqual(back, Buffer.alloc(5, (20 * 1024 * 1024 - 65536) % 251));
      assert.equal((await files.stat('scans/o1/s1'))?.size, 20 * 1024 * 1024);
    });

    it('replaces a key whole, and answers null and ENOENT for a missing one', async () => {
      const { files } = await driver.make();
      await files.put('a/k', Buffer.from('first version'));
      await files.put('a/k', Buffer.from('second'));
      assert.equal((await files.read('a/k')).toString(), 'second');
      assert.equal(await files.stat('a/missing'), null);
      await assert.rejects(files.read('a/missing'), (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
      await assert.rejects(text(files.createReadStream('a/missing')), (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
    });

    it('refuses a stream over the size cap and keeps nothing of it, not even a pending upload', async () => {
      const { files, pending } = await driver.make();
      await assert.rejects(files.put('scans/o2/big', source(12 * 1024 * 1024), { maxBytes: 10 * 1024 * 1024 }), FileTooLargeError);
      await assert.rejects(files.put('scans/o2/buf', Buffer.alloc(11), { maxBytes: 10 }), FileTooLargeError);
      assert.equal(await files.stat('scans/o2/big'), null);
      assert.equal(await files.stat('scans/o2/buf'), null);
      assert.deepEqual(await listed(files, 'scans/o2/'), []);
      assert.deepEqual(await pending(), []);
    });

    it('keeps nothing of an upload cut off mid-way, and reports the cut, not the store', async () => {
      const { files, pending } = await driver.make();
      const cut = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
      await assert.rejects(files.put('scans/o3/cut', source(18 * 1024 * 1024, cut)), (err) => err === cut);
      assert.equal(await files.stat('scans/o3/cut'), null);
      assert.deepEqual(await listed(files, 'scans/o3/'), []);
      assert.deepEqual(await pending(), []);
    });

    it('lists by prefix with sizes, and deletes (twice is fine)', async () => {
      const { files } = await driver.make();
      await files.put('deliverables/o4/x/a.svg', Buffer.from('<svg/>'));
      await files.put('deliverables/o4/y/b.pdf', Buffer.alloc(1234));
      await files.put('deliverables/o5/z/c.pdf', Buffer.alloc(7));
      await files.put('scans/o4/s', Buffer.alloc(3));
      assert.deepEqual(await listed(files, 'deliverables/o4/'), [
        { key: 'deliverables/o4/x/a.svg', size: 6 },
        { key: 'deliverables/o4/y/b.pdf', size: 1234 },
      ]);
      assert.deepEqual(
        (await listed(files)).map((f) => f.key),
        ['deliverables/o4/x/a.svg', 'deliverables/o4/y/b.pdf', 'deliverables/o5/z/c.pdf', 'scans/o4/s'],
      );
      await files.delete('deliverables/o4/x/a.svg');
      await files.delete('deliverables/o4/x/a.svg');
      assert.equal(await files.stat('deliverables/o4/x/a.svg'), null);
      assert.deepEqual(await listed(files, 'deliverables/o4/'), [{ key: 'deliverables/o4/y/b.pdf', size: 1234 }]);
    });

    it('refuses keys a caller could use to leave the store', async () => {
      const { files } = await driver.make();
      for (const key of ['../etc/passwd', '/abs', 'a/../../b', '.hidden', 'a b']) {
        await assert.rejects(files.put(key, Buffer.from('x')), /unsafe storage key/);
        await assert.rejects(files.stat(key), /unsafe storage key/);
      }
    });

    it('passes its check while usable', async () => {
      const { files } = await driver.make();
      await files.check();
    });
  });
}

describe('the local store refusing writes', () => {
  it('answers StorageUnavailableError (a 503) when its root is not a directory, and fails its check', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-store-'));
    const root = path.join(dir, 'files');
    fs.writeFileSync(root, 'not a directory');
    const files = localFileStorage(root);
    await assert.rejects(files.put('a/b', Buffer.from('x')), StorageUnavailableError);
    await assert.rejects(files.check(), StorageUnavailableError);
    await assert.rejects(openFileStorage({ storage: 'local', dataDir: dir, s3: null }), (err: Error) =>
      err.message.startsWith(`cannot use the file store, local disk ${root}: ${root} is not a writable directory`),
    );
  });
});

describe('the S3 store at start', { skip: S3_ENDPOINT ? false : NO_S3 }, () => {
  it('says in one line, naming endpoint and bucket, that the bucket is missing', async () => {
    const settings = { ...testS3Settings(), bucket: `casa-missing-${crypto.randomBytes(4).toString('hex')}` };
    await assert.rejects(openFileStorage({ storage: 's3', dataDir: '/nonexistent', s3: settings }), (err: Error) => {
      assert.equal(
        err.message,
        `cannot use the file store, S3 bucket "${settings.bucket}" prefix "${settings.prefix}" at ${S3_ENDPOINT}: the bucket does not exist`,
      );
      return true;
    });
  });

  it('says that the credentials were refused, without printing them', async () => {
    const settings = testS3Settings();
    const secret = 'wrong-secret-0123456789abcdefghijklmnopqrst';
    const files = s3FileStorage(
      settings,
      s3Client(settings, { credentials: { accessKeyId: 'NOSUCHKEY0000000000X', secretAccessKey: secret } }),
    );
    await assert.rejects(files.check(), (err: StorageUnavailableError) => {
      assert.ok(err instanceof StorageUnavailableError);
      assert.match(err.reason, /^the credentials were refused \(/);
      assert.ok(!err.reason.includes(secret) && !err.reason.includes('NOSUCHKEY'));
      return true;
    });
    // Writes refused by the store are a 503 as a full disk is.
    await assert.rejects(files.put('a/b', Buffer.from('x')), StorageUnavailableError);
  });

  it('says that an endpoint is unreachable', async () => {
    const settings = { ...testS3Settings(), endpoint: 'http://127.0.0.1:9' };
    await assert.rejects(openFileStorage({ storage: 's3', dataDir: '/nonexistent', s3: settings }), (err: Error) => {
      assert.match(
        err.message,
        /^cannot use the file store, S3 bucket "[^"]+" prefix "[^"]+" at http:\/\/127\.0\.0\.1:9: the endpoint is unreachable \(ECONNREFUSED\)$/,
      );
      return true;
    });
  });

  it('stops `casa-integrate serve` with exit 1 and that one line, never the secret', async () => {
    const bucket = `casa-missing-${crypto.randomBytes(4).toString('hex')}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-cli-'));
    const res = await runCli(['serve'], {
      CASA_DATA_DIR: dataDir,
      CASA_STORAGE: 's3',
      CASA_S3_BUCKET: bucket,
      CASA_S3_ENDPOINT: S3_ENDPOINT!,
      PORT: '0',
      LOG_LEVEL: 'warn',
    });
    assert.equal(res.code, 1);
    assert.equal(
      res.stderr,
      `casa-integrate: cannot use the file store, S3 bucket "${bucket}" at ${S3_ENDPOINT}: the bucket does not exist\n`,
    );
    assert.ok(!res.stderr.includes(process.env.AWS_SECRET_ACCESS_KEY!));
    assert.deepEqual(fs.readdirSync(dataDir), [], 'no database was made');
  });
});

describe('presigned URLs of the S3 store', { skip: S3_ENDPOINT ? false : NO_S3 }, () => {
  it('are fetched without credentials, with the content type and download name set; altered, they are refused', async () => {
    const { files } = await testS3Storage();
    const data = crypto.randomBytes(5000);
    const key = 'deliverables/o9/h/floor_plan-e.pdf';
    await files.put(key, data);
    const signed = await files.presignedGet!(key, { expiresS: 120, contentType: 'application/pdf', fileName: 'floor plan é.pdf' });
    assert.ok(signed.startsWith(`${S3_ENDPOINT}/${TEST_BUCKET}/`), signed);
    const res = await fetch(signed);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.equal(
      res.headers.get('content-disposition'),
      `attachment; filename="floor plan _.pdf"; filename*=UTF-8''floor%20plan%20%C3%A9.pdf`,
    );
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), data);
    const ranged = await fetch(signed, { headers: { range: 'bytes=100-199' } });
    assert.equal(ranged.status, 206);
    assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), data.subarray(100, 200));
    const tampered = signed.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`);
    assert.equal((await fetch(tampered)).status, 403);
  });
});
