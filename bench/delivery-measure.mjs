// The measured process of the delivery bench (bench/scenarios/delivery.ts): plain JavaScript on
// the server as `npm start` runs it (compiled into dist/, glibc settings from the parent), so its
// memory is what an operator sees. Delivers one plus_3d order with every add-on per run. Each run's
// floor plan is the one production would generate, seeded by the run's number instead of the new
// order's random id, so every bench run renders the same eight plans and runs compare.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../dist/config.js';
import { openStorage } from '../dist/db/database.js';
import { migrate } from '../dist/bootstrap.js';
import { createServicesOn } from '../dist/services/index.js';
import { generateModel } from '../dist/render/generate-model.js';
import { openFileStorage } from '../dist/storage/open-file-storage.js';

const ADD_ONS = ['gla', '3d_cad_files', '3d_video', '6h_turnaround'];

/** `local`: files under the data dir; `s3`: the bucket of S3_ENDPOINT (made if missing), a prefix of this run's own. */
async function fileStore(kind, dataDir) {
  const env = { CASA_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  if (kind === 's3') {
    const bucket = process.env.S3_BENCH_BUCKET || 'casa-integrate-bench';
    Object.assign(env, {
      CASA_STORAGE: 's3',
      CASA_S3_BUCKET: bucket,
      CASA_S3_PREFIX: `bench-${process.pid}/`,
      CASA_S3_ENDPOINT: process.env.S3_ENDPOINT,
    });
    const { s3Client } = await import('../dist/storage/s3-file-storage.js');
    const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
    const config = loadConfig(env);
    await s3Client(config.s3)
      .send(new CreateBucketCommand({ Bucket: bucket }))
      .catch((err) => {
        if (err.name !== 'BucketAlreadyOwnedByYou' && err.name !== 'BucketAlreadyExists') throw err;
      });
  }
  const config = { ...loadConfig(env), productionDelayS: 0 };
  return { config, files: await openFileStorage(config) };
}

async function deliveryMain(runs, sqft, kind) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-bench-delivery-'));
  const storage = await openStorage({ databaseUrl: null, sqliteFile: path.join(dataDir, 'casa.db') });
  try {
    await migrate(storage);
    const { config, files: fileStorage } = await fileStore(kind, dataDir);
    const services = createServicesOn(storage, config, pino({ level: 'warn' }), { files: fileStorage });
    const company = await services.company.create({
      name: 'Bench Realty',
      manager_email: 'bench@example.com',
      manager_password: 'bench-password-1',
    });
    const baselineRss = process.memoryUsage().rss;
    const times = [];
    const cpuTimes = [];
    const floors = [];
    let files = 0;
    let bytes = 0;
    for (let i = 0; i <= runs; i++) {
      const order = await services.orders.createDraft(
        { companyId: company.company.id, userEmail: company.manager.email },
        {
          street: `${100 + i} Bench Street`,
          city: 'Espoo',
          country: 'Finland',
          owner_email: company.manager.email,
          package_type: 'plus_3d',
          add_ons: ADD_ONS,
        },
      );
      await services.orderOperator.scan(order.id, { total_scanned_area: sqft });
      await services.deliverables.uploadModel(order.id, generateModel(`bench-delivery-${i}`, sqft));
      const started = performance.now();
      const cpu = process.cpuUsage();
      await services.orderOperator.deliver(order.id);
      times.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      cpuTimes.push((used.user + used.system) / 1000);
      const rows = await storage.db.selectFrom('delivered_files').select(['size']).where('order_id', '=', order.id).execute();
      files = rows.length;
      bytes = rows.reduce((s, r) => s + Number(r.size), 0);
      floors.push((await services.deliverables.model({ id: order.id })).floors.length);
    }
    process.send({ times, cpuTimes, floors, files, bytes, baselineRss, peakRss: process.resourceUsage().maxRSS * 1024 });
  } finally {
    await storage.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

deliveryMain(Number(process.argv[2]), Number(process.argv[3]), process.argv[4] || 'local').then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
