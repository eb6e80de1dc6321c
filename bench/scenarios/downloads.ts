// Download throughput of a delivered file kept in S3 (needs S3_ENDPOINT and its credentials): one
// server process answering `/files/…` links with a redirect to a presigned URL (the default), one
// streaming the object through (CASA_S3_REDIRECT=false) on the same database and bucket, and a
// direct GET of the presigned URL as the bound. The file is the order's largest (a 3D model or a
// ZIP); each way downloads it BENCH_DOWNLOADS times (default 20) one after another.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, spawnCli, stopProcess, waitForOutput } from '../procs.js';

export interface DownloadWay {
  name: string;
  mibPerS: number;
  p50Ms: number;
}

export interface DownloadBenchResult {
  fileBytes: number;
  downloads: number;
  ways: DownloadWay[];
}

async function timed(url: string, count: number, expected: number): Promise<{ mibPerS: number; p50Ms: number }> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const res = await fetch(url);
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200 || body.length !== expected) throw new Error(`download of ${url}: ${res.status}, ${body.length} bytes`);
    times.push(performance.now() - started);
  }
  const total = times.reduce((a, b) => a + b, 0);
  const sorted = [...times].sort((a, b) => a - b);
  return { mibPerS: (expected * count) / 1048576 / (total / 1000), p50Ms: sorted[Math.floor(sorted.length / 2)]! };
}

export async function runDownloadBench(): Promise<DownloadBenchResult> {
  const count = Number(process.env.BENCH_DOWNLOADS || 20);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-bench-downloads-'));
  const adminKey = `casa_admin_${crypto.randomBytes(20).toString('hex')}`;
  const env = (port: number, redirect: boolean) => ({
    CASA_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    CASA_ADMIN_KEY: adminKey,
    LOG_LEVEL: 'warn',
    CASA_STORAGE: 's3',
    CASA_S3_BUCKET: process.env.S3_BENCH_BUCKET || 'casa-integrate-bench',
    CASA_S3_PREFIX: `downloads-${process.pid}/`,
    CASA_S3_ENDPOINT: process.env.S3_ENDPOINT!,
    CASA_S3_REDIRECT: String(redirect),
    CASA_RATE_LIMIT_PER_S: '100000',
    CASA_RATE_LIMIT_BURST: '100000',
  });
  const redirectPort = await freePort();
  const redirecting = spawnCli(['serve'], env(redirectPort, true));
  let streaming: ReturnType<typeof spawnCli> | null = null;
  try {
    await waitForOutput(redirecting, /listening on/);
    const base = `http://127.0.0.1:${redirectPort}`;
    const call = async (method: string, url: string, headers: Record<string, string>, body?: unknown) => {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const admin = { 'admin-key': adminKey };
    const company = await call('POST', '/admin/v1/companies', admin, {
      name: 'Downloads',
      manager_email: 'bench@downloads.example',
      manager_password: 'bench-password-1',
    });
    const key = { 'api-key': company.api_key as string };
    const draft = await call('POST', '/api/integrate/v3/orders/draft', key, {
      street: '1 Bench Street',
      city: 'Espoo',
      country: 'Finland',
      owner_email: 'bench@downloads.example',
      package_type: 'plus_3d',
      add_ons: ['3d_cad_files'],
    });
    await call('POST', `/admin/v1/orders/${draft.id}/scan`, admin, { total_scanned_area: 2600 });
    await call('POST', `/admin/v1/orders/${draft.id}/deliver`, admin);
    const order = await call('GET', `/api/integrate/v3/orders/${draft.id}`, key);
    const urls = Object.values(order.delivery_assets as Record<string, Record<string, unknown> | null>).flatMap((p) =>
      p ? Object.values(p).flatMap((v) => (Array.isArray(v) ? (v as string[]) : [])) : [],
    );
    // The largest file, sized at the object its link redirects to.
    let largest = { url: '', size: 0, presigned: '' };
    for (const url of urls) {
      const res = await fetch(url, { redirect: 'manual' });
      const presigned = res.headers.get('location')!;
      // A GET of one byte: a presigned GET URL does not sign a HEAD.
      const first = await fetch(presigned, { headers: { range: 'bytes=0-0' } });
      await first.arrayBuffer();
      const size = Number(first.headers.get('content-range')?.split('/')[1]);
      if (size > largest.size) largest = { url, size, presigned };
    }

    const streamPort = await freePort();
    streaming = spawnCli(['serve'], { ...env(streamPort, false), CASA_ROLE: 'api' });
    await waitForOutput(streaming, /listening on/);
    const streamedUrl = largest.url.replace(`:${redirectPort}/`, `:${streamPort}/`);

    const ways: DownloadWay[] = [
      { name: 'API, 302 to presigned', ...(await timed(largest.url, count, largest.size)) },
      { name: 'API, streamed (CASA_S3_REDIRECT=false)', ...(await timed(streamedUrl, count, largest.size)) },
      { name: 'direct presigned GET', ...(await timed(largest.presigned, count, largest.size)) },
    ];
    return { fileBytes: largest.size, downloads: count, ways };
  } finally {
    if (streaming) await stopProcess(streaming);
    await stopProcess(redirecting);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatDownloadBench(r: DownloadBenchResult): string {
  return [
    `downloads from S3 at ${process.env.S3_ENDPOINT} (${(r.fileBytes / 1048576).toFixed(2)} MiB file, ${r.downloads} one after another per way)`,
    ...r.ways.map((w) => `  ${w.name.padEnd(40)} ${w.mibPerS.toFixed(0).padStart(5)} MiB/s, median ${w.p50Ms.toFixed(1)} ms per download`),
  ].join('\n');
}
