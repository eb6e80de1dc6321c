// `casa-integrate snapshot save|restore`: every table's rows and every stored file come back
// exactly, a save taken during writes is consistent, a bad archive is refused and changes nothing;
// on SQLite and on PostgreSQL (TEST_DATABASE_URL), and across the two.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { buildApp } from '../../src/app.js';
import { migrate } from '../../src/bootstrap.js';
import { openStorage, type Storage } from '../../src/db/database.js';
import { ManualClock, randomIds, sha256Hex, systemClock } from '../../src/domain/clock.js';
import { readSnapshotManifest, restoreSnapshot, saveSnapshot } from '../../src/services/db-snapshot/db-snapshot.js';
import { describeTables } from '../../src/services/db-snapshot/snapshot-schema.js';
import { openTestStorage, testConfig, TEST_DATABASE_URL, type TestApp, type TestCompany } from '../helpers/app.js';
import { cliEnvironment, exitOf, freePort, runCli, spawnCli, waitForOutput } from '../helpers/child-process.js';
import { createUser, uniqueEmail } from '../helpers/users.js';
import { ALL_TRIGGERS, subscribe } from '../helpers/webhooks.js';
import { buildOrdersApp, call, createDraft, draftBody, getOrder, ok } from '../orders/order-helpers.js';
import { deliveredOrder, download } from '../deliverables/delivery-helpers.js';

type Dump = Record<string, Record<string, unknown>[]>;

/** Every row of every table, keys and rows sorted (so collation and column order do not matter). */
async function dumpAll(storage: Storage): Promise<Dump> {
  const out: Dump = {};
  for (const t of await describeTables(storage.db, storage.dialect)) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(t.name)}`.execute(storage.db)).rows;
    const sorted = rows.map((r) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1))));
    out[t.name] = sorted.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  return out;
}

/** Every stored file under `<dataDir>/files` with the SHA-256 of its bytes. */
function filesOnDisk(dataDir: string): Record<string, string> {
  const root = path.join(dataDir, 'files');
  if (!fs.existsSync(root)) return {};
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(root, full).split(path.sep).join('/')] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
  }
  return out;
}

function tempDir(t: TestContext, prefix = 'casa-snap-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every entry of a zip archive, in memory. */
async function readZip(file: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const out = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    out.set(entry.fileName, Buffer.concat(chunks));
  }
  return out;
}

async function writeZip(file: string, entries: Map<string, Buffer>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name);
  zip.end();
  const out = fs.createWriteStream(file);
  zip.outputStream.pipe(out);
  await new Promise<void>((resolve, reject) => {
    out.on('close', resolve);
    out.on('error', reject);
  });
}

/** The rows of one table as the archive holds them. */
function rowsIn(entries: Map<string, Buffer>, table: string): Record<string, unknown>[] {
  const data = entries.get(`tables/${table}.jsonl`);
  assert.ok(data, `the archive holds ${table}`);
  return data
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Orders and their events agree: each order has its moved_to_draft event, no event lacks its order. */
function assertOrdersAndEventsAgree(entries: Map<string, Buffer>): number {
  const orders = rowsIn(entries, 'orders')
    .map((o) => o.id as string)
    .sort();
  const events = rowsIn(entries, 'order_events');
  assert.deepEqual(
    [...new Set(events.map((e) => e.order_id as string))].sort(),
    orders,
    'every event has its order and every order its event',
  );
  assert.equal(events.length, orders.length, 'one moved_to_draft event per draft');
  assert.ok(events.every((e) => e.trigger === 'moved_to_draft'));
  return orders.length;
}

function multipart(files: { filename: string; content: Buffer; type: string }[]) {
  const boundary = `----casa${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A GoToScan order whose customer uploaded a scan (a stored file in scans/). */
async function scannedGo2scanOrder(ctx: TestApp, company: TestCompany) {
  const order = await ok(
    call(ctx, company, 'POST', '/orders/go2scan', {
      street: '1 Fake Street',
      city: 'Mountain View',
      state: 'CA',
      postalCode: '94043',
      country: 'United States',
      customer: { name: 'Home Owner', email: 'owner@example.com' },
    }),
  );
  const link: string = order.info.go2scan.link;
  const body = multipart([{ filename: 'scan.zip', content: crypto.randomBytes(3000), type: 'application/zip' }]);
  const res = await ctx.inject({
    method: 'POST',
    url: `/go2scan/${link.slice(link.lastIndexOf('/') + 1)}/upload`,
    headers: body.headers,
    payload: body.payload,
  });
  assert.equal(res.statusCode, 200, res.body);
  return order;
}

/** A company with users, webhook settings, a delivered order (files and a combined PDF), a draft and a scanned GoToScan order. */
/** The request log is written in batches after each answer: a row count taken now must hold every request so far. */
function requestsLogged(ctx: TestApp): Promise<void> {
  return ctx.app.services.requestLog.flush();
}

async function populate(ctx: TestApp) {
  const a = await ctx.createCompany('Snapshot Realty');
  const b = await ctx.createCompany('Other Realty');
  await createUser(ctx, a, { email: uniqueEmail(), role: 'User', password: 'password-123' });
  await createUser(ctx, a, { email: uniqueEmail(), role: 'Manager' });
  await subscribe(ctx, a, ['https://hooks.example.com/casa'], ['moved_to_ready']);
  const delivered = await deliveredOrder(ctx, a, 'base', ['gla'], 900);
  const pdf = await ctx.inject({ method: 'GET', url: `/api/integrate/v3/orders/${delivered.id}/combined-pdf`, headers: a.headers });
  assert.equal(pdf.statusCode, 200, pdf.body);
  const draft = await createDraft(ctx, a, { external_id: 'KEEP-ME' });
  for (const key of ['retry-1', 'retry-2', 'retry-3']) {
    const res = await ctx.inject({
      method: 'POST',
      url: '/api/integrate/v3/orders/draft',
      headers: { ...b.headers, 'idempotency-key': key },
      payload: draftBody(b, { external_id: key }),
    });
    assert.equal(res.statusCode, 200, res.body);
  }
  const go2scan = await scannedGo2scanOrder(ctx, b);
  await createDraft(ctx, b);
  return { a, b, delivered, draft, go2scan };
}

describe('snapshot save and restore', () => {
  it('brings back every row of every table and every stored file exactly as saved, and the API answers as before', async (t) => {
    const ctx = await buildOrdersApp(t);
    const { a, b, delivered, draft, go2scan } = await populate(ctx);
    const svgUrl = delivered.delivery_assets.listing_floorplans.svg_urls[0] as string;
    const svgBefore = await download(ctx, svgUrl);
    assert.equal(svgBefore.statusCode, 200);
    const orderBefore = await getOrder(ctx, a, delivered.id);
    const infoBefore = await ok(call(ctx, a, 'GET', '/companies/info'));
    await requestsLogged(ctx);
    const rowsBefore = await dumpAll(ctx.storage);
    const filesBefore = filesOnDisk(ctx.config.dataDir);
    assert.ok(rowsBefore.scan_files!.length > 0 && rowsBefore.delivered_files!.length > 0, 'scans and deliverables are stored');
    assert.ok(
      rowsBefore.floor_plan_models!.some((m) => m.combined_key),
      'a combined PDF is stored',
    );
    assert.equal(rowsBefore.idempotency_keys!.length, 3);

    const file = path.join(tempDir(t), 'known-state.zip');
    // Row by row, so every table (a two-column key too) is read over many pages.
    const saved = await saveSnapshot(ctx.storage, ctx.config.dataDir, file, { pageRows: 1 });
    assert.equal(saved.dialect, ctx.storage.dialect);
    assert.deepEqual(saved.tables, Object.fromEntries(Object.entries(rowsBefore).map(([name, rows]) => [name, rows.length])));
    assert.equal(saved.files, Object.keys(filesBefore).length, 'every stored file is named by a row and saved');
    assert.deepEqual(
      fs.readdirSync(ctx.config.dataDir).filter((n) => n.startsWith('.snapshot')),
      [],
      'no working directory is left behind',
    );
    const manifest = await readSnapshotManifest(file);
    assert.deepEqual(
      Object.fromEntries(manifest.files.map((f) => [f.key, f.sha256])),
      filesBefore,
      'the manifest lists each file with its checksum',
    );

    // The sandbox moves on: new orders, a deleted draft, other webhook settings, another delivery.
    await createDraft(ctx, b, { external_id: 'AFTER-SAVE' });
    await ok(call(ctx, a, 'DELETE', `/orders/draft/${draft.id}`));
    await subscribe(ctx, a, ['https://hooks.example.com/changed'], ALL_TRIGGERS);
    await deliveredOrder(ctx, b, 'base', [], 1200);
    await requestsLogged(ctx);
    assert.notDeepEqual(await dumpAll(ctx.storage), rowsBefore);

    const restored = await restoreSnapshot(ctx.storage, ctx.config.dataDir, file);
    assert.equal(restored.saved_on, ctx.storage.dialect);
    assert.deepEqual(restored.tables, saved.tables);
    assert.deepEqual(await dumpAll(ctx.storage), rowsBefore, 'every table holds exactly the rows it held at save time');
    assert.deepEqual(filesOnDisk(ctx.config.dataDir), filesBefore, 'the stored files are those of save time, and only those');
    assert.deepEqual(
      fs.readdirSync(ctx.config.dataDir).filter((n) => n.startsWith('.snapshot')),
      [],
    );

    // The API answers as before: the deleted draft is back, the old settings, the same order, the signed link works.
    assert.equal((await getOrder(ctx, a, draft.id)).info.external_id, 'KEEP-ME');
    assert.deepEqual(await ok(call(ctx, a, 'GET', '/companies/info')), infoBefore);
    assert.deepEqual(await getOrder(ctx, a, delivered.id), orderBefore);
    assert.equal((await getOrder(ctx, b, go2scan.id)).info.status, 'Pending');
    const svgAfter = await download(ctx, svgUrl);
    assert.equal(svgAfter.statusCode, 200);
    assert.ok(svgAfter.rawPayload.equals(svgBefore.rawPayload));
    const pdf = await ctx.inject({ method: 'GET', url: `/api/integrate/v3/orders/${delivered.id}/combined-pdf`, headers: a.headers });
    assert.equal(pdf.statusCode, 200);

    // Auto-increment counters are those of save time: the next event follows the saved ones.
    const next = await createDraft(ctx, a);
    const event = await ctx.storage.db.selectFrom('order_events').select('seq').where('order_id', '=', next.id).executeTakeFirstOrThrow();
    assert.equal(event.seq, manifest.counters.order_events! + 1);
  });

  it('a snapshot saved while orders are being written holds whole transactions only', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const dir = tempDir(t);
    let writing = true;
    const writer = async () => {
      let n = 0;
      while (writing) {
        await ok(call(ctx, company, 'POST', '/orders/draft', draftBody(company, { external_id: `W${n++}` })));
      }
      return n;
    };
    const writers = [writer(), writer(), writer()];
    const files: string[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        await createDraft(ctx, company); // at least one new order between saves
        const file = path.join(dir, `during-${i}.zip`);
        await saveSnapshot(ctx.storage, ctx.config.dataDir, file);
        files.push(file);
      }
    } finally {
      writing = false;
    }
    const written = (await Promise.all(writers)).reduce((x, y) => x + y, 0);
    assert.ok(written > 0);
    let previous = 0;
    for (const file of files) {
      const count = assertOrdersAndEventsAgree(await readZip(file));
      assert.ok(count > previous, 'each save sees the orders committed before it');
      previous = count;
    }
  });

  it('does not save a snapshot while a file the database names is missing from disk, and says which', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await deliveredOrder(ctx, company, 'base', [], 900);
    const lost = await ctx.storage.db
      .selectFrom('delivered_files')
      .select('storage_key')
      .where('order_id', '=', order.id)
      .orderBy('storage_key')
      .executeTakeFirstOrThrow();
    fs.rmSync(path.join(ctx.config.dataDir, 'files', lost.storage_key));
    const file = path.join(tempDir(t), 'incomplete.zip');
    await assert.rejects(saveSnapshot(ctx.storage, ctx.config.dataDir, file), (err: Error) => {
      assert.match(err.message, /^Stored files named by the database are missing from .*files: /);
      assert.ok(err.message.includes(lost.storage_key), err.message);
      return true;
    });
    assert.equal(fs.existsSync(file), false, 'no snapshot file is written');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), [], 'nor a partial one');
    assert.deepEqual(
      fs.readdirSync(ctx.config.dataDir).filter((n) => n.startsWith('.snapshot')),
      [],
    );
  });

  it('refuses a damaged, foreign or incompatible file with a clear message and changes nothing', async (t) => {
    const ctx = await buildOrdersApp(t);
    const { a } = await populate(ctx);
    const dir = tempDir(t);
    const good = path.join(dir, 'good.zip');
    await saveSnapshot(ctx.storage, ctx.config.dataDir, good);
    await createDraft(ctx, a, { external_id: 'AFTER-SAVE' });
    await requestsLogged(ctx);
    const rows = await dumpAll(ctx.storage);
    const files = filesOnDisk(ctx.config.dataDir);
    const entries = await readZip(good);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));

    const variant = async (name: string, edit: (m: Map<string, Buffer>) => void) => {
      const copy = new Map(entries);
      edit(copy);
      const file = path.join(dir, name);
      await writeZip(file, copy);
      return file;
    };
    const withManifest = (changes: Record<string, unknown>) => (m: Map<string, Buffer>) =>
      m.set('manifest.json', Buffer.from(JSON.stringify({ ...manifest, ...changes })));

    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'not a snapshot at all\n');
    const truncated = path.join(dir, 'truncated.zip');
    fs.writeFileSync(truncated, fs.readFileSync(good).subarray(0, Math.floor(fs.statSync(good).size / 2)));
    // One byte changed in the middle of the largest stored file's data.
    const flipped = path.join(dir, 'flipped.zip');
    {
      const zip = await yauzl.openPromise(good, { lazyEntries: true, autoClose: false });
      let largest: yauzl.Entry | null = null;
      for await (const entry of zip.eachEntry()) if (!largest || entry.compressedSize > largest.compressedSize) largest = entry;
      const { fileDataStart } = await zip.readLocalFileHeaderPromise(largest!, { minimal: true });
      zip.close();
      const bytes = fs.readFileSync(good);
      const at = fileDataStart + Math.floor(largest!.compressedSize / 2);
      bytes[at] = bytes[at]! ^ 0xff;
      fs.writeFileSync(flipped, bytes);
    }
    const orders = rowsIn(entries, 'orders');
    const cases: [string, string, RegExp][] = [
      ['a text file', text, /notes\.txt is not a casa-integrate snapshot \(not a readable zip archive/],
      ['a missing file', path.join(dir, 'nowhere.zip'), /Cannot read .*nowhere\.zip/],
      ['a truncated snapshot', truncated, /truncated\.zip is not a casa-integrate snapshot/],
      [
        'a zip without a manifest',
        await variant('no-manifest.zip', (m) => m.delete('manifest.json')),
        /is not a casa-integrate snapshot \(no manifest\.json\)/,
      ],
      [
        'a foreign manifest',
        await variant('foreign.zip', withManifest({ format: 'something-else' })),
        /foreign\.zip is not a casa-integrate snapshot\.$/,
      ],
      [
        'a newer format',
        await variant('newer.zip', withManifest({ version: 99 })),
        /saved by a newer casa-integrate \(snapshot format 99; this version reads format 1\)/,
      ],
      [
        'another migration level',
        await variant('migrations.zip', withManifest({ migrations: [...manifest.migrations, '999-future'] })),
        /another migration level .* Only in the snapshot: 999-future/,
      ],
      [
        'an older migration level',
        await variant('older.zip', withManifest({ migrations: manifest.migrations.slice(0, -1) })),
        /another migration level .* Only in this database: /,
      ],
      [
        'an unsafe file name',
        await variant(
          'unsafe.zip',
          withManifest({ files: [...manifest.files, { key: '../../etc/evil', size: 1, sha256: 'a'.repeat(64) }] }),
        ),
        /unsafe name \(\.\.\/\.\.\/etc\/evil\)/,
      ],
      [
        'an unlisted entry',
        await variant('extra.zip', (m) => m.set('files/extra.bin', Buffer.from('x'))),
        /holds files\/extra\.bin, which its manifest does not list/,
      ],
      [
        'an altered table',
        await variant('altered.zip', (m) =>
          m.set('tables/orders.jsonl', Buffer.from(orders.map((o) => JSON.stringify({ ...o, external_id: 'FORGED' })).join('\n') + '\n')),
        ),
        /damaged: tables\/orders\.jsonl does not match its checksum/,
      ],
      ['a changed byte', flipped, /flipped\.zip is damaged: files\/.* (does not match its checksum|cannot be read)/],
      [
        'a missing stored file',
        await variant('lost.zip', (m) => m.delete(`files/${manifest.files[0].key}`)),
        /damaged: files\/.* is missing/,
      ],
    ];
    for (const [label, file, message] of cases) {
      await assert.rejects(restoreSnapshot(ctx.storage, ctx.config.dataDir, file), (err: Error) => {
        assert.match(err.message, message, label);
        return true;
      });
      assert.deepEqual(await dumpAll(ctx.storage), rows, `${label}: no row changed`);
      assert.deepEqual(filesOnDisk(ctx.config.dataDir), files, `${label}: no stored file changed`);
      assert.deepEqual(
        fs.readdirSync(ctx.config.dataDir).filter((n) => n.startsWith('.snapshot')),
        [],
        `${label}: nothing left behind`,
      );
    }
  });
});

describe('snapshot across databases', { skip: TEST_DATABASE_URL ? false : 'needs TEST_DATABASE_URL' }, () => {
  it('a snapshot saved on SQLite restores on PostgreSQL, and one saved there restores on SQLite, row for row', async (t) => {
    const sqliteStorage = await openStorage({ databaseUrl: null, sqliteFile: ':memory:' });
    await migrate(sqliteStorage);
    const dataDir = tempDir(t);
    const adminKey = 'casa_admin_cross';
    const app = await buildApp({
      config: testConfig({ databaseUrl: null, dataDir }),
      storage: sqliteStorage,
      clock: new ManualClock(),
      ids: randomIds,
      adminKeyHash: sha256Hex(adminKey),
      logger: false,
    });
    t.after(async () => {
      await app.close();
      await sqliteStorage.close();
    });
    const created = await app.inject({
      method: 'POST',
      url: '/admin/v1/companies',
      headers: { 'admin-key': adminKey },
      payload: { name: 'Cross', manager_email: uniqueEmail(), manager_password: 'manager-password-1' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const apiKey = created.json().api_key as string;
    const draft = await app.inject({
      method: 'POST',
      url: '/api/integrate/v3/orders/draft',
      headers: { 'api-key': apiKey },
      payload: {
        street: '1 Main St',
        city: 'Springfield',
        country: 'United States',
        latitude: 29.958365,
        longitude: -90.066198,
        owner_email: created.json().manager.email,
      },
    });
    assert.equal(draft.statusCode, 200, draft.body);
    const order = draft.json();
    const scanned = await app.inject({
      method: 'POST',
      url: `/admin/v1/orders/${order.id}/scan`,
      headers: { 'admin-key': adminKey },
      payload: { total_scanned_area: 1234.5 },
    });
    assert.equal(scanned.statusCode, 200, scanned.body);
    assert.equal(
      (await app.inject({ method: 'POST', url: `/admin/v1/orders/${order.id}/deliver`, headers: { 'admin-key': adminKey } })).statusCode,
      200,
    );
    const fromSqlite = path.join(tempDir(t), 'from-sqlite.zip');
    await saveSnapshot(sqliteStorage, dataDir, fromSqlite);
    const sqliteRows = await dumpAll(sqliteStorage);

    const pg = await openTestStorage();
    t.after(async () => {
      await pg.storage.close();
      await pg.drop();
    });
    await migrate(pg.storage);
    const pgDir = tempDir(t);
    const restored = await restoreSnapshot(pg.storage, pgDir, fromSqlite);
    assert.equal(restored.saved_on, 'sqlite');
    assert.equal(restored.dialect, 'postgres');
    assert.deepEqual(await dumpAll(pg.storage), sqliteRows);
    assert.deepEqual(filesOnDisk(pgDir), filesOnDisk(dataDir));

    const fromPg = path.join(tempDir(t), 'from-pg.zip');
    await saveSnapshot(pg.storage, pgDir, fromPg);
    const back = await openStorage({ databaseUrl: null, sqliteFile: ':memory:' });
    t.after(() => back.close());
    await migrate(back);
    const backDir = tempDir(t);
    await restoreSnapshot(back, backDir, fromPg);
    assert.deepEqual(await dumpAll(back), sqliteRows);
    assert.deepEqual(filesOnDisk(backDir), filesOnDisk(dataDir));
  });
});

describe('casa-integrate snapshot (the command line)', () => {
  it('saves while the server runs and writes, and restores after it stops', async (t) => {
    const cli = await cliEnvironment(t);
    const port = await freePort();
    const adminKey = 'casa_admin_snapshot_cli';
    const env = {
      ...cli.env,
      PORT: String(port),
      CASA_ADMIN_KEY: adminKey,
      CASA_RATE_LIMIT_PER_S: '100000',
      CASA_RATE_LIMIT_BURST: '100000',
    };
    const base = `http://127.0.0.1:${port}`;
    const server = spawnCli(['serve'], env);
    t.after(() => server.kill('SIGKILL'));
    await waitForOutput(server, /casa-integrate listening on/);
    const created = await fetch(`${base}/admin/v1/companies`, {
      method: 'POST',
      headers: { 'admin-key': adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'CLI Realty', manager_email: uniqueEmail() }),
    });
    assert.equal(created.status, 201);
    const { api_key: apiKey, manager } = (await created.json()) as { api_key: string; manager: { email: string } };
    const newDraft = async (externalId: string) => {
      const res = await fetch(`${base}/api/integrate/v3/orders/draft`, {
        method: 'POST',
        headers: { 'api-key': apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({
          street: '1 Main St',
          city: 'Springfield',
          country: 'United States',
          external_id: externalId,
          owner_email: manager.email,
        }),
      });
      const text = await res.text();
      assert.equal(res.status, 200, text);
      return (JSON.parse(text) as { id: string }).id;
    };
    await newDraft('FIRST');

    // Drafts keep arriving over HTTP while the CLI saves twice.
    let writing = true;
    const writers = [0, 1].map(async (w) => {
      for (let n = 0; writing; n++) {
        await newDraft(`W${w}-${n}`);
        await new Promise((resolve) => setTimeout(resolve, 5)); // gentle on a shared machine
      }
    });
    const written = Promise.all(writers);
    written.catch(() => undefined); // awaited below
    const dir = tempDir(t);
    const saves: string[] = [];
    try {
      for (const name of ['one.zip', 'two.zip']) {
        const file = path.join(dir, name);
        const res = await runCli(['snapshot', 'save', file], env);
        assert.equal(res.code, 0, res.stderr);
        const summary = JSON.parse(res.stdout);
        assert.equal(summary.file, file);
        assert.equal(summary.dialect, TEST_DATABASE_URL ? 'postgres' : 'sqlite');
        saves.push(file);
      }
    } finally {
      writing = false;
      await written;
    }
    const first = await readZip(saves[0]!);
    const savedOrders = assertOrdersAndEventsAgree(first);
    assertOrdersAndEventsAgree(await readZip(saves[1]!));
    const later = await newDraft('AFTER-SAVES');

    server.kill('SIGTERM');
    assert.equal(await exitOf(server), 0);
    const restored = await runCli(['snapshot', 'restore', saves[0]!], env);
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(JSON.parse(restored.stdout).tables.orders, savedOrders);

    const storage = await cli.openStorage();
    const app = await buildApp({
      config: testConfig({ dataDir: cli.dataDir }),
      storage,
      clock: systemClock,
      ids: randomIds,
      adminKeyHash: sha256Hex(adminKey),
      logger: false,
    });
    t.after(async () => {
      await app.close();
      await storage.close();
    });
    const ids = rowsIn(first, 'orders').map((o) => o.id as string);
    assert.equal(
      Number(
        (
          await storage.db
            .selectFrom('orders')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      savedOrders,
    );
    const get = (id: string) => app.inject({ method: 'GET', url: `/api/integrate/v3/orders/${id}`, headers: { 'api-key': apiKey } });
    assert.equal((await get(ids[0]!)).statusCode, 200, 'an order of the snapshot is there');
    assert.equal((await get(later)).statusCode, 404, 'an order made after the save is gone');

    const usage = await runCli(['snapshot', 'save'], env);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /snapshot needs save or restore and one FILE/);
    const foreign = path.join(dir, 'foreign.zip');
    fs.writeFileSync(foreign, 'hello');
    const refused = await runCli(['snapshot', 'restore', foreign], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /foreign\.zip is not a casa-integrate snapshot/);
  });
});
