// A server killed with SIGKILL mid-delivery loses no webhook: after a restart every queued event
// arrives at least once. The server runs as a child process (`casa-integrate serve`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { TEST_DATABASE_URL, testConfig } from '../helpers/app.js';
import { startReceiver, waitFor } from '../helpers/webhooks.js';
import { compiledCli } from '../helpers/child-process.js';
import { openStorage } from '../../src/db/database.js';
import { migrate } from '../../src/bootstrap.js';
import { createServicesOn } from '../../src/services/index.js';
import pino from 'pino';

const EVENTS = 1000;
const ROOT = path.resolve(import.meta.dirname, '../..');

function startServer(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [compiledCli(), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[server] ${d}`));
  return child;
}

function alive(child: ChildProcess): boolean {
  if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
  return true;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('webhooks across a crash', () => {
  it(`delivers all ${EVENTS} queued events at least once after SIGKILL and restart`, async (t) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-crash-'));
    const schema = `crash_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
    t.after(async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (TEST_DATABASE_URL) {
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    });
    const receiver = await startReceiver(t);
    const seen = new Map<string, number>();
    receiver.respond = (req) => {
      const id = String(req.headers['webhook-id']);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      return { status: 200, delayMs: 2 };
    };

    // Prepare the database with the events queued, as the lifecycle would have left it.
    const open = () =>
      TEST_DATABASE_URL
        ? openStorage({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema })
        : openStorage({ databaseUrl: null, sqliteFile: path.join(dataDir, 'casa.sqlite') });
    const storage = await open();
    await migrate(storage);
    const config = testConfig({ dataDir });
    const services = createServicesOn(storage, config, pino({ level: 'silent' }));
    const company = await services.company.create({ name: 'Crash Co', manager_email: `crash-${crypto.randomUUID()}@example.com` });
    await services.company.setWebhook(company.company.id, { webhook_urls: [receiver.url], webhook_triggers: ['moved_to_pending'] });
    const expected: string[] = [];
    for (let batch = 0; batch < EVENTS / 100; batch++) {
      await storage.db.transaction().execute(async (tx) => {
        for (let i = 0; i < 100; i++) {
          const orderId = crypto.randomUUID();
          const e = await services.orderEvents.record(tx, {
            orderId,
            companyId: company.company.id,
            trigger: 'moved_to_pending',
            currentStatus: 'Pending',
            previousStatus: 'Draft',
            modelId: orderId,
            productType: 'products_2d',
            deliveryType: 'new',
          });
          expected.push(e.id);
        }
      });
    }
    await storage.close();

    const env: Record<string, string> = {
      PORT: '0',
      HOST: '127.0.0.1',
      CASA_DATA_DIR: dataDir,
      CASA_ADMIN_KEY: 'casa_admin_crash_test',
      CASA_WEBHOOK_ALLOW_PRIVATE: 'true',
      CASA_WEBHOOK_TIMEOUT_S: '1',
      LOG_LEVEL: 'error',
      DATABASE_URL: TEST_DATABASE_URL
        ? `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`
        : '',
    };
    const first = startServer(env);
    t.after(() => first.kill('SIGKILL'));
    await waitFor(() => alive(first) && seen.size >= 100, 60_000, 'the first server to deliver 100 events');
    first.kill('SIGKILL');
    await exited(first);
    const atKill = seen.size;
    assert.ok(atKill < EVENTS, `the kill came before the end (${atKill} delivered)`);
    // What the killed dispatcher held under lease without a recorded result: only these may be sent again.
    const afterKill = await open();
    const leased = await afterKill.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('lease_owner', 'is not', null)
      .where('status', 'in', ['pending', 'retrying'])
      .executeTakeFirstOrThrow();
    await afterKill.close();
    const leasedAtKill = Number(leased.n);

    const second = startServer(env);
    t.after(async () => {
      second.kill('SIGTERM');
      await exited(second);
    });
    await waitFor(() => alive(second) && seen.size >= EVENTS, 120_000, `all ${EVENTS} events (had ${seen.size})`);

    assert.deepEqual([...seen.keys()].sort(), [...expected].sort());
    const duplicates = [...seen.values()].filter((n) => n > 1).length;
    // Only deliveries leased by the killed dispatcher without a recorded result may arrive twice.
    assert.ok(duplicates <= leasedAtKill, `${duplicates} events arrived twice; ${leasedAtKill} were leased at the kill`);
  });
});
