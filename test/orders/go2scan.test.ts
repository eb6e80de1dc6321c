// GoToScan orders: the link, the invitation email, and the token-authenticated scan upload.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sha256Hex } from '../../src/domain/clock.js';
import { assertRequiresApiKey } from '../helpers/security.js';
import { advanceAndProduce } from '../helpers/production.js';
import type { TestApp, TestCompany } from '../helpers/app.js';
import { buildOrdersApp, call, ev, eventsOf, getOrder, ok, snapshot } from './order-helpers.js';

function go2scanBody(overrides: Record<string, unknown> = {}) {
  return {
    street: '1 Fake Street',
    city: 'Mountain View',
    state: 'CA',
    postalCode: '94043',
    country: 'United States',
    external_id: 'external-ID-123.6',
    customer: { name: 'Test Client', email: 'Home.Owner@example.com', phone: '+1 555 0100' },
    ...overrides,
  };
}

function multipart(files: { filename: string; content: Buffer; type?: string }[], fields: Record<string, string> = {}) {
  const boundary = `----casa${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.filename}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
    );
    chunks.push(f.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(ctx: TestApp, token: string, files: { filename: string; content: Buffer; type?: string }[]) {
  const body = multipart(files);
  return ctx.inject({ method: 'POST', url: `/go2scan/${token}/upload`, headers: body.headers, payload: body.payload });
}

async function createLink(ctx: TestApp, company: TestCompany, overrides: Record<string, unknown> = {}) {
  const order = await ok(call(ctx, company, 'POST', '/orders/go2scan', go2scanBody(overrides)));
  const link: string = order.info.go2scan.link;
  return { order, link, token: link.slice(link.lastIndexOf('/') + 1) };
}

/** The order's stored scan files, on whichever driver the test runs (a write in progress is none). */
async function storedScans(ctx: TestApp, orderId: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const f of ctx.files.list(`scans/${orderId}/`)) if (!f.key.endsWith('.tmp')) keys.push(f.key);
  return keys;
}

describe('POST /orders/go2scan', () => {
  it('creates a New order with a 30-day link shown once, and emails the customer an invitation', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const before = ctx.clock.nowUs();
    const { order, link, token } = await createLink(ctx, company);
    assert.match(link, /^http:\/\/casa\.test\/go2scan\/[A-Za-z0-9_-]{43}$/);
    assert.equal(order.info.status, 'New');
    assert.equal(order.info.order_type, 'vbim');
    assert.equal(order.info.is_scan_order, true);
    assert.equal(order.info.owner_email, company.managerEmail);
    const g = order.info.go2scan;
    assert.deepEqual(Object.keys(g), ['link', 'expires_at', 'customer', 'invitation_sent_at', 'uploaded_at']);
    assert.deepEqual(g.customer, { name: 'Test Client', email: 'home.owner@example.com', phone: '+1 555 0100' });
    assert.equal(g.uploaded_at, null);
    assert.ok(Math.abs(g.expires_at - (before / 1e6 + 30 * 86400)) < 1);
    assert.ok(Math.abs(g.invitation_sent_at - before / 1e6) < 1);
    assert.deepEqual(await eventsOf(ctx, order.id), []);

    // Later reads never show the token again; the database holds only its hash.
    const read = await getOrder(ctx, company, order.id);
    assert.deepEqual(read.info.go2scan, { ...g, link: null });
    const row = await ctx.storage.db.selectFrom('orders').selectAll().where('id', '=', order.id).executeTakeFirstOrThrow();
    assert.equal(row.go2scan_token_hash, sha256Hex(token));
    assert.ok(!JSON.stringify(row).includes(token));

    const emails = await ctx.storage.db.selectFrom('emails').selectAll().where('kind', '=', 'go2scan_invitation').execute();
    assert.equal(emails.length, 1);
    assert.equal(emails[0]!.to_address, 'home.owner@example.com');
    assert.equal(emails[0]!.company_id, company.id);
    assert.equal(emails[0]!.subject, 'Scan your home: 1 Fake Street, Mountain View, CA 94043, United States');
    assert.ok(emails[0]!.text_body.includes(link));
    assert.ok(emails[0]!.html_body.includes(`href="${link}"`));
  });

  it('sends no invitation when asked not to, or without a customer email; asking for one without an email is a 400', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const quiet = await createLink(ctx, company, { send_invitation: false });
    assert.equal(quiet.order.info.go2scan.invitation_sent_at, null);
    const noCustomer = await createLink(ctx, company, { customer: undefined });
    assert.equal(noCustomer.order.info.go2scan.customer, null);
    const before = await snapshot(ctx);
    const bad = await call(ctx, company, 'POST', '/orders/go2scan', go2scanBody({ customer: { name: 'No Mail' }, send_invitation: true }));
    assert.deepEqual(bad.json(), {
      validation_error: { body_params: [{ loc: ['customer', 'email'], msg: 'field required', type: 'value_error.missing' }] },
    });
    const badEmail = await call(ctx, company, 'POST', '/orders/go2scan', go2scanBody({ customer: { email: 'nope' } }));
    assert.deepEqual(badEmail.json(), {
      validation_error: {
        body_params: [{ loc: ['customer', 'email'], msg: 'value is not a valid email address', type: 'value_error.email' }],
      },
    });
    const foreign = await call(ctx, company, 'POST', '/orders/go2scan', go2scanBody({ owner_email: 'stranger@example.com' }));
    assert.deepEqual(foreign.json(), {
      validation_error: { body_params: [{ loc: ['owner_email'], msg: 'user not found', type: 'value_error' }] },
    });
    const missing = await call(ctx, company, 'POST', '/orders/go2scan', {});
    assert.deepEqual(
      missing.json().validation_error.body_params.map((e: { loc: string[] }) => e.loc[0]),
      ['street', 'city', 'country'],
    );
    assert.deepEqual(await snapshot(ctx), before);
    assert.equal((await ctx.storage.db.selectFrom('emails').select('id').where('kind', '=', 'go2scan_invitation').execute()).length, 0);
  });

  it('requires a valid api key', async (t) => {
    const ctx = await buildOrdersApp(t);
    await assertRequiresApiKey(ctx, { method: 'POST', url: '/api/integrate/v3/orders/go2scan', payload: go2scanBody() });
  });
});

describe('POST /go2scan/{token}/upload', () => {
  it('stores the scan files and moves the order New → Pending → (production) Ready; the link is then used up', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const { order, token } = await createLink(ctx, company);
    const scanA = crypto.randomBytes(5000);
    const res = await upload(ctx, token, [
      { filename: 'scan.zip', content: scanA, type: 'application/zip' },
      { filename: 'notes.txt', content: Buffer.from('hello'), type: 'text/plain' },
    ]);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(
      body.files.map((f: { name: string; size: number }) => [f.name, f.size]),
      [
        ['scan.zip', 5000],
        ['notes.txt', 5],
      ],
    );
    assert.deepEqual({ ...body, files: [] }, { message: 'Scan received.', order_id: order.id, status: 'Pending', files: [] });

    const stored = await ctx.storage.db.selectFrom('scan_files').selectAll().where('order_id', '=', order.id).execute();
    assert.equal(stored.length, 2);
    const zip = stored.find((f) => f.original_name === 'scan.zip')!;
    assert.equal(zip.content_type, 'application/zip');
    assert.deepEqual(await ctx.app.serviceDeps.files.read(zip.storage_key), scanA);

    const pending = await getOrder(ctx, company, order.id);
    assert.equal(pending.info.status, 'Pending');
    assert.equal(typeof pending.info.go2scan.uploaded_at, 'number');
    assert.ok(pending.info.total_scanned_area >= 800);
    await advanceAndProduce(ctx);
    assert.equal((await getOrder(ctx, company, order.id)).info.status, 'Ready');
    assert.deepEqual(await eventsOf(ctx, order.id), [
      ev('moved_to_pending', 'Pending', 'New'),
      ev('moved_to_ready', 'Ready', 'Pending', 'products_2d'),
      ev('moved_to_ready', 'Ready', 'Pending', 'tour'),
    ]);

    const again = await upload(ctx, token, [{ filename: 'scan2.zip', content: Buffer.from('x') }]);
    assert.deepEqual([again.statusCode, again.json()], [410, { message: 'This GoToScan link was already used.' }]);
    assert.equal((await ctx.storage.db.selectFrom('scan_files').select('id').where('order_id', '=', order.id).execute()).length, 2);
  });

  it('refuses unknown and expired links, uploads without files, and files over the size limit, storing nothing', async (t) => {
    const ctx = await buildOrdersApp(t, { scanMaxBytes: 1000 });
    const company = await ctx.createCompany();
    const { order, token } = await createLink(ctx, company);

    const unknown = await upload(ctx, 'A'.repeat(43), [{ filename: 'a', content: Buffer.from('x') }]);
    assert.deepEqual([unknown.statusCode, unknown.json()], [404, { message: 'This GoToScan link is not valid.' }]);

    const none = await upload(ctx, token, []);
    assert.deepEqual(
      [none.statusCode, none.json()],
      [400, { validation_error: { body_params: [{ loc: ['files'], msg: 'field required', type: 'value_error.missing' }] } }],
    );

    const big = await upload(ctx, token, [
      { filename: 'ok.bin', content: crypto.randomBytes(500) },
      { filename: 'big.bin', content: crypto.randomBytes(1500) },
    ]);
    assert.deepEqual([big.statusCode, big.json()], [413, { message: 'A scan file may be at most 1000 bytes.' }]);
    assert.deepEqual(await storedScans(ctx, order.id), []);

    const json = await ctx.inject({ method: 'POST', url: `/go2scan/${token}/upload`, payload: { files: [] } });
    assert.deepEqual([json.statusCode, json.json()], [415, { message: 'Unsupported content type; send multipart/form-data.' }]);

    ctx.clock.advanceSeconds(30 * 86400 + 1);
    const expired = await upload(ctx, token, [{ filename: 'a', content: Buffer.from('x') }]);
    assert.deepEqual([expired.statusCode, expired.json()], [410, { message: 'This GoToScan link has expired.' }]);

    assert.equal((await getOrder(ctx, company, order.id)).info.status, 'New');
    assert.equal((await ctx.storage.db.selectFrom('scan_files').select('id').execute()).length, 0);
    assert.deepEqual(await eventsOf(ctx, order.id), []);
  });

  it('refuses an upload whose files together pass CASA_SCAN_MAX_TOTAL_BYTES, storing nothing; one within it is taken', async (t) => {
    const ctx = await buildOrdersApp(t, { scanMaxBytes: 1000, scanMaxTotalBytes: 1500 });
    const company = await ctx.createCompany();
    const { order, token } = await createLink(ctx, company);

    const over = await upload(ctx, token, [
      { filename: 'a.bin', content: crypto.randomBytes(800) },
      { filename: 'b.bin', content: crypto.randomBytes(800) },
    ]);
    assert.deepEqual([over.statusCode, over.json()], [413, { message: 'A scan upload may hold at most 1500 bytes in all.' }]);
    assert.deepEqual(await storedScans(ctx, order.id), []);
    assert.equal((await getOrder(ctx, company, order.id)).info.status, 'New');

    const within = await upload(ctx, token, [
      { filename: 'a.bin', content: crypto.randomBytes(750) },
      { filename: 'b.bin', content: crypto.randomBytes(750) },
    ]);
    assert.equal(within.statusCode, 200, within.body);
    assert.deepEqual(
      within.json().files.map((f: { size: number }) => f.size),
      [750, 750],
    );
    assert.equal((await storedScans(ctx, order.id)).length, 2);
  });

  it('a link dies with its order: an operator scan uses it up too', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const { order, token } = await createLink(ctx, company);
    await ok(call(ctx, null, 'POST', `/admin/v1/orders/${order.id}/scan`, {}));
    const res = await upload(ctx, token, [{ filename: 'a', content: Buffer.from('x') }]);
    assert.equal(res.statusCode, 410);
  });
});
