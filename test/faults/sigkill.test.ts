// SIGKILL under a mixed write load: the real server (`casa-integrate serve`, a child process) takes
// draft creations, edits and deletions, scans, deliveries, failures, change requests and upgrades
// from several clients at once and is killed at a random moment; after a restart every write that
// was answered 2xx reads back, every write in flight at the kill is either whole or absent, and the
// database is consistent: each order's events chain up to its status, change requests match their
// Fixing transitions, delivered files are on disk, webhook deliveries are exactly events × URLs.
// FAULT_ROUNDS rounds (3 by default; the restart after a kill serves the next round); FAULT_SEED
// replays a run's random choices (their timing differs).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { sql } from 'kysely';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { boughtProducts, type PackageType } from '../../src/domain/catalog.js';
import { cliEnvironment, exitOf, freePort, runCli, spawnCli, waitForOutput } from '../helpers/child-process.js';
import { dialectName } from '../helpers/app.js';
import { startReceiver } from '../helpers/webhooks.js';
import { mulberry32 } from '../../src/render/generate-model.js';

const ROUNDS = Number(process.env.FAULT_ROUNDS || 3);
const SEED = Number(process.env.FAULT_SEED || Math.floor(Math.random() * 2 ** 31));
const CLIENTS = 6;
const ADMIN_KEY = 'casa_admin_sigkill_test';
const API = '/api/integrate/v3';
const READY = /casa-integrate listening on/;
const SUBSCRIBED = ['moved_to_draft', 'moved_to_pending', 'moved_to_ready', 'moved_to_fixing'];
const UPGRADES = ['gla', '6h_turnaround'];

interface Answer {
  status: number;
  body: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

type Status = 'Draft' | 'Pending' | 'Ready' | 'Fixing' | 'Failed' | 'Deleted';

interface OrderState {
  status: Status;
  info: string;
  addOns: string[];
}

interface Tracked {
  id: string;
  tag: string;
  state: OrderState;
  /** The write sent without an answer (the kill came first): the order is in `state` or in this. */
  unanswered: { what: string; after: OrderState } | null;
  busy: boolean;
}

interface Life {
  child: ChildProcessWithoutNullStreams;
  agent: http.Agent;
  killed: boolean;
  stderr: string[];
}

describe('SIGKILL under a mixed write load', () => {
  it(
    `loses no answered write and half-writes nothing, ${ROUNDS} rounds (FAULT_ROUNDS; seed ${SEED})`,
    { timeout: 60_000 + ROUNDS * 90_000 },
    async (t) => {
      const rand = mulberry32(SEED); // seeded, so a failing run can be replayed with FAULT_SEED
      const cli = await cliEnvironment(t);
      const port = await freePort();
      const receiver = await startReceiver(t);
      const hookUrls = [`${receiver.url}/a`, `${receiver.url}/b`];
      const env = {
        ...cli.env,
        PORT: String(port),
        CASA_ADMIN_KEY: ADMIN_KEY,
        // Production stays out of the way: only the clients' deliveries make orders Ready.
        CASA_PRODUCTION_DELAY_S: '86400',
        CASA_RATE_LIMIT_PER_S: '1000000',
        CASA_RATE_LIMIT_BURST: '1000000',
        CASA_WEBHOOK_ALLOW_PRIVATE: 'true',
        CASA_WEBHOOK_TIMEOUT_S: '1',
        LOG_LEVEL: 'warn',
      };

      let life: Life | null = null;
      t.after(() => life?.child.kill('SIGKILL'));
      async function start(): Promise<Life> {
        const child = spawnCli(['serve'], env);
        const stderr: string[] = [];
        child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
        await waitForOutput(child, READY, 120_000);
        return { child, agent: new http.Agent({ keepAlive: true, maxSockets: CLIENTS + 2 }), killed: false, stderr };
      }

      function request(method: string, url: string, headers: Record<string, string>, payload?: unknown): Promise<Answer> {
        const current = life!;
        const body = payload === undefined ? undefined : JSON.stringify(payload);
        return new Promise((resolve, reject) => {
          const req = http.request(
            {
              host: '127.0.0.1',
              port,
              method,
              path: url,
              agent: current.agent,
              headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
            },
            (res) => {
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (d: string) => (text += d));
              res.on('end', () => resolve({ status: res.statusCode!, body: text, json: () => JSON.parse(text) }));
              res.on('error', reject);
            },
          );
          req.on('error', reject);
          req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${url} timed out`)));
          req.end(body);
        });
      }
      const admin = (method: string, url: string, payload?: unknown) => request(method, url, { 'admin-key': ADMIN_KEY }, payload);

      life = await start();
      const created = await admin('POST', '/admin/v1/companies', {
        name: 'Kill Co',
        manager_email: 'kill@example.com',
        manager_password: 'manager-password-1',
      });
      assert.equal(created.status, 201, created.body);
      const companyId: string = created.json().company.id;
      const apiKey = { 'api-key': created.json().api_key as string };
      const api = (method: string, url: string, payload?: unknown) => request(method, `${API}${url}`, apiKey, payload);
      const subscribed = await api('PATCH', '/companies/webhook', { webhook_urls: hookUrls, webhook_triggers: SUBSCRIBED });
      assert.equal(subscribed.status, 200, subscribed.body);

      const orders: Tracked[] = [];
      /** Creations sent without an answer: found afterwards by their external id, or absent. */
      let unansweredCreates: string[] = [];
      const wrong: string[] = [];
      /** Change requests answered 2xx. */
      const requests: { orderId: string; id: string }[] = [];
      let tags = 0;
      let patches = 0;
      let delivering = 0;
      let answered = 0;
      const byWrite = new Map<string, number>();

      const draftBody = (tag: string, info: string) => ({
        street: '615 Bourbon St',
        city: 'New Orleans',
        state: 'Louisiana',
        country: 'United States',
        postalCode: '70130',
        owner_email: 'kill@example.com',
        package_type: 'base',
        add_ons: [],
        external_id: tag,
        info,
      });

      /** One write from a client; the answer (or its absence) updates what the test knows. */
      async function send(
        order: Tracked | null,
        what: string,
        call: () => Promise<Answer>,
        after: (res: Answer) => OrderState | null,
        expected: OrderState | null,
      ): Promise<void> {
        if (order) {
          order.busy = true;
          order.unanswered = expected ? { what, after: expected } : null;
        }
        try {
          const res = await call();
          if (res.status < 200 || res.status >= 300) {
            wrong.push(`${what} ${order?.id ?? ''} answered ${res.status}: ${res.body.slice(0, 300)}`);
            if (order) order.unanswered = null;
            return;
          }
          answered++;
          byWrite.set(what, (byWrite.get(what) ?? 0) + 1);
          const state = after(res);
          if (order && state) order.state = state;
          if (order) order.unanswered = null;
        } catch {
          // The kill came first: the outcome is unknown and is checked after the restart.
        } finally {
          if (order) order.busy = false;
        }
      }

      function pick<T>(items: T[]): T | undefined {
        return items.length ? items[Math.floor(rand() * items.length)] : undefined;
      }
      const free = (...statuses: Status[]) => orders.filter((o) => !o.busy && o.unanswered === null && statuses.includes(o.state.status));

      async function oneWrite(): Promise<void> {
        const ops: [number, () => Promise<void> | null][] = [
          [
            2,
            () => {
              if (free('Draft').length >= 8) return null; // enough drafts to work on
              const tag = `kill-${++tags}`;
              const info = 'created';
              return send(
                null,
                'create draft',
                () =>
                  api('POST', '/orders/draft', draftBody(tag, info)).catch((err: unknown) => {
                    unansweredCreates.push(tag);
                    throw err;
                  }),
                (res) => {
                  orders.push({ id: res.json().id, tag, state: { status: 'Draft', info, addOns: [] }, unanswered: null, busy: false });
                  return null;
                },
                null,
              );
            },
          ],
          [
            2,
            () => {
              const o = pick(free('Draft'));
              if (!o) return null;
              const info = `edit ${++patches}`;
              return send(
                o,
                'patch draft',
                () => api('PATCH', `/orders/draft/${o.id}`, draftBody(o.tag, info)),
                () => ({ ...o.state, info }),
                { ...o.state, info },
              );
            },
          ],
          [
            1,
            () => {
              const o = pick(free('Draft'));
              if (!o) return null;
              return send(
                o,
                'delete draft',
                () => api('DELETE', `/orders/draft/${o.id}`),
                () => ({ ...o.state, status: 'Deleted' }),
                { ...o.state, status: 'Deleted' },
              );
            },
          ],
          [
            1,
            () => {
              // Scans feed the deliveries, which are slow: a short queue is enough.
              const o =
                orders.filter((q) => q.state.status === 'Pending' || q.state.status === 'Fixing').length < 4
                  ? pick(free('Draft'))
                  : undefined;
              if (!o) return null;
              return send(
                o,
                'scan',
                () => admin('POST', `/admin/v1/orders/${o.id}/scan`, {}),
                () => ({ ...o.state, status: 'Pending' }),
                { ...o.state, status: 'Pending' },
              );
            },
          ],
          [
            4,
            () => {
              const o = delivering ? undefined : pick(free('Pending', 'Fixing'));
              if (!o) return null;
              delivering++;
              return send(
                o,
                'deliver',
                () => admin('POST', `/admin/v1/orders/${o.id}/deliver`),
                () => ({ ...o.state, status: 'Ready' }),
                { ...o.state, status: 'Ready' },
              ).finally(() => delivering--);
            },
          ],
          [
            1,
            () => {
              const candidates = free('Pending');
              const o = candidates.length > 2 && rand() < 0.3 ? pick(candidates) : undefined; // most Pending orders are delivered
              if (!o) return null;
              return send(
                o,
                'fail',
                () => admin('POST', `/admin/v1/orders/${o.id}/fail`),
                () => ({ ...o.state, status: 'Failed' }),
                { ...o.state, status: 'Failed' },
              );
            },
          ],
          [
            3,
            () => {
              const o = pick(free('Ready'));
              if (!o) return null;
              return send(
                o,
                'change request',
                () => api('POST', `/orders/${o.id}/change-requests`, { message: 'The kitchen is missing.' }),
                (res) => {
                  requests.push({ orderId: o.id, id: res.json().id });
                  return { ...o.state, status: 'Fixing' };
                },
                { ...o.state, status: 'Fixing' },
              );
            },
          ],
          [
            3,
            () => {
              const o = pick(free('Ready').filter((r) => UPGRADES.some((a) => !r.state.addOns.includes(a))));
              if (!o) return null;
              const addOn = UPGRADES.find((a) => !o.state.addOns.includes(a))!;
              const addOns = [...o.state.addOns, addOn].sort();
              return send(
                o,
                'post-purchase',
                () => api('POST', `/orders/${o.id}/post-purchase`, { package_type: null, add_ons: [addOn] }),
                () => ({ ...o.state, addOns }),
                { ...o.state, addOns },
              );
            },
          ],
        ];
        const total = ops.reduce((n, [w]) => n + w, 0);
        for (let tries = 0; tries < 10; tries++) {
          let r = rand() * total;
          const op = ops.find(([w]) => (r -= w) < 0)![1];
          const running = op();
          if (running) return running;
        }
        await new Promise((r) => setTimeout(r, 5)); // nothing to do on the orders at hand
      }

      async function client(current: Life): Promise<void> {
        while (!current.killed) await oneWrite();
      }

      // A Ready order to start with.
      for (let i = 0; i < 1; i++) {
        const tag = `kill-${++tags}`;
        const d = await api('POST', '/orders/draft', draftBody(tag, 'created'));
        assert.equal(d.status, 200, d.body);
        const id: string = d.json().id;
        assert.equal((await admin('POST', `/admin/v1/orders/${id}/scan`, {})).status, 200);
        const delivered = await admin('POST', `/admin/v1/orders/${id}/deliver`);
        assert.equal(delivered.status, 200, delivered.body);
        orders.push({ id, tag, state: { status: 'Ready', info: 'created', addOns: [] }, unanswered: null, busy: false });
      }

      /** Reads every order back through the restarted server and settles what was unknown. */
      async function verifyAnswers(round: number): Promise<void> {
        for (const tag of unansweredCreates) {
          const found = await api('GET', `/orders?external_id=${tag}`);
          assert.equal(found.status, 200, found.body);
          const items = found.json().items as { id: string; info: { status: string; add_info: string } }[];
          assert.ok(items.length <= 1, `${tag} created once at most`);
          if (items[0])
            orders.push({
              id: items[0].id,
              tag,
              state: { status: 'Draft', info: 'created', addOns: [] },
              unanswered: { what: 'create draft', after: { status: 'Draft', info: 'created', addOns: [] } },
              busy: false,
            });
        }
        unansweredCreates = [];
        for (const o of orders) {
          if (o.state.status === 'Deleted' && !o.unanswered) continue;
          const res = await api('GET', `/orders/${o.id}`);
          let actual: OrderState;
          if (res.status === 404) actual = { ...o.state, status: 'Deleted' };
          else {
            assert.equal(res.status, 200, res.body);
            const { info, delivery_assets: assets } = res.json();
            actual = { status: info.status, info: info.add_info, addOns: [...info.product.add_ons].sort() };
            // A delivery cut short shows nothing; a delivered order's every file URL downloads.
            const urls = Object.values(assets as Record<string, Record<string, unknown> | null>).flatMap((v) =>
              Object.values(v ?? {}).flatMap((l) => (Array.isArray(l) ? (l as string[]) : [])),
            );
            if (['Draft', 'Pending', 'Failed'].includes(info.status))
              assert.deepEqual(urls, [], `round ${round}, order ${o.id} (${info.status}) lists no file`);
            else assert.ok(urls.length > 0, `round ${round}, order ${o.id} (${info.status}) lists its files`);
            for (const url of urls) {
              const file = await request('GET', new URL(url).pathname + new URL(url).search, {});
              assert.equal(file.status, 200, `round ${round}, order ${o.id}: ${url} answers ${file.status}`);
            }
          }
          const allowed = [o.state, ...(o.unanswered ? [o.unanswered.after] : [])];
          assert.ok(
            allowed.some((s) => JSON.stringify(s) === JSON.stringify(actual)),
            `round ${round}, order ${o.id} (${o.tag}): reads back ${JSON.stringify(actual)}; answered state ${JSON.stringify(o.state)}${o.unanswered ? `, or after the unanswered ${o.unanswered.what} ${JSON.stringify(o.unanswered.after)}` : ''}`,
          );
          o.state = actual;
          o.unanswered = null;
        }
        for (const r of requests) {
          const res = await api('GET', `/orders/${r.orderId}/change-requests/${r.id}`);
          assert.equal(res.status, 200, `round ${round}: answered change request ${r.id}: ${res.status} ${res.body}`);
        }
      }

      /** The database itself: nothing half-written, events chain to the status, webhooks = events × URLs. */
      async function verifyDatabase(round: number): Promise<void> {
        const storage = await cli.openStorage();
        try {
          const db = storage.db;
          if (storage.dialect === 'sqlite') {
            const check = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(db);
            assert.deepEqual(
              check.rows.map((r) => r.integrity_check),
              ['ok'],
              `round ${round}: SQLite integrity_check`,
            );
          }
          const rows = await db.selectFrom('orders').selectAll().where('company_id', '=', companyId).execute();
          const known = new Map(orders.map((o) => [o.id, o]));
          for (const row of rows)
            assert.ok(
              known.has(row.id) && known.get(row.id)!.state.status === row.status,
              `round ${round}: order ${row.id} (${row.status}) is one the test knows`,
            );
          assert.equal(
            rows.length,
            orders.filter((o) => o.state.status !== 'Deleted').length,
            `round ${round}: every order the test knows is there`,
          );
          const events = await db.selectFrom('order_events').selectAll().where('company_id', '=', companyId).orderBy('seq').execute();
          const changeRequests = await db.selectFrom('change_requests').selectAll().where('company_id', '=', companyId).execute();
          const files = await db.selectFrom('delivered_files').selectAll().where('company_id', '=', companyId).execute();
          const hooks = await db.selectFrom('webhook_deliveries').select(['event_id', 'url']).where('company_id', '=', companyId).execute();
          const byId = new Map(rows.map((r) => [r.id, r]));

          for (const o of orders) {
            const row = byId.get(o.id);
            const status = row?.status ?? 'Draft'; // only drafts are deleted; their events stay
            const chain = events.filter((e) => e.order_id === o.id);
            const where = `round ${round}, order ${o.id}`;
            assert.ok(chain.length > 0, `${where}: has its creation event`);
            assert.equal(chain[0]!.previous_status, 'New', `${where}: the first event leaves New`);
            const target: Record<string, string> = {
              moved_to_draft: 'Draft',
              moved_to_pending: 'Pending',
              moved_to_ready: 'Ready',
              moved_to_fixing: 'Fixing',
              moved_to_failed: 'Failed',
            };
            let fixes = 0;
            chain.forEach((e, i) => {
              assert.equal(e.current_status, target[e.trigger], `${where}: ${e.trigger} lands in ${target[e.trigger]}`);
              const prev = chain[i - 1];
              const sameTransition =
                prev &&
                prev.trigger === e.trigger &&
                prev.previous_status === e.previous_status &&
                prev.delivery_type === e.delivery_type &&
                prev.product_type !== e.product_type;
              if (prev && !sameTransition)
                assert.equal(e.previous_status, prev.current_status, `${where}: event ${e.seq} follows event ${prev.seq}`);
              if (e.trigger === 'moved_to_ready') {
                assert.equal(
                  e.delivery_type,
                  { Pending: 'new', Fixing: 'fix', Ready: 'update' }[e.previous_status!],
                  `${where}: delivery type of a delivery from ${e.previous_status}`,
                );
                if (e.delivery_type === 'fix' && !sameTransition) fixes++;
              }
            });
            assert.equal(chain.at(-1)!.current_status, status, `${where}: the last event lands in the order's status`);

            const requests = changeRequests.filter((c) => c.order_id === o.id);
            assert.equal(
              requests.length,
              chain.filter((e) => e.trigger === 'moved_to_fixing').length,
              `${where}: one change request per Fixing transition`,
            );
            assert.equal(
              requests.filter((c) => c.status === 'Open').length,
              status === 'Fixing' ? 1 : 0,
              `${where}: an open change request exactly while Fixing`,
            );
            assert.equal(requests.filter((c) => c.status === 'Done').length, fixes, `${where}: a done change request per fix delivered`);

            if (row && (status === 'Ready' || status === 'Fixing')) {
              const delivered = JSON.parse(row.delivered_products) as string[];
              assert.ok(row.first_delivered_at !== null && delivered.includes('listing_floorplans'), `${where}: delivered`);
              assert.ok(
                files.some((f) => f.order_id === o.id && f.product === 'listing_floorplans'),
                `${where}: its delivered files are recorded`,
              );
              const queued = new Set([...delivered, ...(JSON.parse(row.pending_products ?? '[]') as string[])]);
              for (const p of boughtProducts(row.package_type as PackageType, JSON.parse(row.add_ons) as string[]))
                assert.ok(queued.has(p), `${where}: bought ${p} is delivered or queued`);
            }
          }
          for (const f of files)
            assert.equal(
              fs.statSync(path.join(cli.dataDir, 'files', f.storage_key)).size,
              Number(f.size),
              `round ${round}: ${f.storage_key} is on disk`,
            );

          const expected = events.flatMap((e) => (SUBSCRIBED.includes(e.trigger) ? hookUrls.map((u) => `${e.id} ${u}`) : [])).sort();
          assert.deepEqual(
            hooks.map((h) => `${h.event_id} ${h.url}`).sort(),
            expected,
            `round ${round}: webhook deliveries are the subscribed events × URLs`,
          );
        } finally {
          await storage.close();
        }
      }

      const started = Date.now();
      const stats: string[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const current = life;
        const before = answered;
        const clients = Array.from({ length: CLIENTS }, () => client(current));
        // Killed after a random number of answered writes and a random moment more, so every round
        // has load behind it however fast the machine is. A delivery (rendering, storing, then the
        // transition) takes as long as dozens of other writes: each round also waits for one to be
        // answered, so Ready orders keep coming for the change requests and upgrades, and the next
        // delivery is likely under way at the kill.
        const loadStart = Date.now();
        const writes = 10 + Math.floor(rand() * 30);
        const deliveredBefore = byWrite.get('deliver') ?? 0;
        while ((answered - before < writes || (byWrite.get('deliver') ?? 0) === deliveredBefore) && Date.now() - loadStart < 60_000)
          await new Promise((r) => setTimeout(r, 2));
        await new Promise((r) => setTimeout(r, Math.floor(rand() * 30)));
        const killAfter = Date.now() - loadStart;
        current.killed = true;
        current.child.kill('SIGKILL');
        await exitOf(current.child);
        await Promise.all(clients);
        current.agent.destroy();
        assert.deepEqual(wrong, [], `round ${round}: every write before the kill answered 2xx`);
        const unknown = orders.filter((o) => o.unanswered).length + unansweredCreates.length;
        life = await start();
        await verifyAnswers(round);
        await verifyDatabase(round);
        stats.push(`round ${round}: killed after ${killAfter} ms, ${answered - before} writes answered, ${unknown} in flight`);
      }
      life.child.kill('SIGTERM');
      assert.equal(await exitOf(life.child), 0);

      // A day later (every stored file made two days old), the orphan sweep: the files killed renders
      // and uploads left behind go, and exactly the files a row names stay.
      const root = path.join(cli.dataDir, 'files');
      const twoDaysAgo = new Date(Date.now() - 2 * 86400_000);
      const onDisk = () =>
        fs.existsSync(root)
          ? fs
              .readdirSync(root, { recursive: true })
              .map(String)
              .filter((f) => fs.statSync(path.join(root, f)).isFile())
              .sort()
          : [];
      for (const f of onDisk()) fs.utimesSync(path.join(root, f), twoDaysAgo, twoDaysAgo);
      const before = onDisk().length;
      const swept = await runCli(['storage', 'sweep'], cli.env);
      assert.equal(swept.code, 0, swept.stderr);
      const summary = JSON.parse(swept.stdout) as { scanned: number; removed: number; young: number };
      const storage = await cli.openStorage();
      try {
        const named = new Set([
          ...(await storage.db.selectFrom('delivered_files').select('storage_key as key').execute()).map((r) => r.key),
          ...(await storage.db.selectFrom('scan_files').select('storage_key as key').execute()).map((r) => r.key),
          ...(
            await storage.db.selectFrom('floor_plan_models').select('combined_key as key').where('combined_key', 'is not', null).execute()
          ).map((r) => r.key!),
        ]);
        assert.deepEqual(onDisk(), [...named].sort(), 'after the sweep, the stored files are exactly those rows name');
        assert.deepEqual([summary.scanned, summary.removed, summary.young], [before, before - named.size, 0]);
      } finally {
        await storage.close();
      }
      t.diagnostic(`storage sweep: ${summary.removed} of ${summary.scanned} stored files were orphans, removed`);
      const count = (s: Status) => orders.filter((o) => o.state.status === s).length;
      t.diagnostic(
        `${dialectName}, seed ${SEED}, ${ROUNDS} rounds in ${((Date.now() - started) / 1000).toFixed(1)} s; ${stats.join('; ')}`,
      );
      t.diagnostic(`writes answered: ${[...byWrite].map(([w, n]) => `${n} ${w}`).join(', ')}`);
      t.diagnostic(
        `orders: ${count('Draft')} Draft, ${count('Pending')} Pending, ${count('Ready')} Ready, ${count('Fixing')} Fixing, ${count('Failed')} Failed, ${count('Deleted')} deleted`,
      );
    },
  );
});
