// The whole order lifecycle through the client only, against a live server (system clock,
// production worker and webhook dispatcher running), watched through signed webhooks received by
// the client's own Node handler. Operator steps (a scan, a delivery, a failure) use plain fetch
// with the admin key, standing in for the phone app and the drawing team.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CasaConflictError,
  CasaNotFoundError,
  CasaValidationError,
  createNodeWebhookHandler,
  OPERATIONS,
  type OrderStatusEvent,
  type WebhookMeta,
} from '../../packages/client/src/index.js';
import { startLiveServer, type LiveServer } from './harness.js';

interface AdminOrder {
  order: { info: { status: string } };
  events: {
    id: string;
    trigger: string;
    current_status: string;
    previous_status: string | null;
    model_id: string;
    product_type: string;
    delivery_type: string;
  }[];
}

async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function rejection<E extends Error>(promise: Promise<unknown>, kind: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof kind, `expected ${kind.name}, got ${(err as Error)?.name}: ${(err as Error)?.message}`);
    return err;
  }
  assert.fail(`expected ${kind.name}, but the call succeeded`);
}

/** A webhook receiver built with the client's handler, checking signatures with the company's secret. */
async function startReceiver(t: import('node:test').TestContext, secret: string) {
  const received: { event: OrderStatusEvent; meta: WebhookMeta }[] = [];
  const refused: unknown[] = [];
  const server = http.createServer(
    createNodeWebhookHandler({
      secret,
      onEvent: (event, meta) => void received.push({ event, meta }),
      onError: (err) => void refused.push(err),
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/casa`, received, refused };
}

/** The webhook bodies the server recorded for an order, as its operator view lists them. */
async function recordedEvents(server: LiveServer, orderId: string): Promise<OrderStatusEvent[]> {
  const res = await server.admin<AdminOrder>('GET', `/orders/${orderId}`);
  assert.equal(res.status, 200);
  return res.body.events.map(
    (e) =>
      ({
        id: orderId,
        current_status: e.current_status,
        previous_status: e.previous_status,
        model_id: e.model_id,
        product_type: e.product_type,
        delivery_type: e.delivery_type,
      }) as OrderStatusEvent,
  );
}

async function operator(server: LiveServer, orderId: string, action: 'scan' | 'deliver' | 'fail', body?: unknown): Promise<AdminOrder> {
  const res = await server.admin<AdminOrder>('POST', `/orders/${orderId}/${action}`, body ?? (action === 'scan' ? {} : undefined));
  assert.equal(res.status, 200, `${action}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A client that records which operations it called, as "METHOD /path/template". */
function recordOperations(calls: Set<string>) {
  const templates = Object.values(OPERATIONS).map((op) => {
    const [method, template] = op.split(' ') as [string, string];
    return { op, method, pattern: new RegExp(`^/api/integrate/v3${template.replace(/\{[^}]+\}/g, '[^/]+')}$`) };
  });
  return (request: Request) => {
    const { pathname } = new URL(request.url);
    // The most specific template wins: /orders/draft before /orders/{id}.
    const match = templates
      .filter((t) => t.method === request.method && t.pattern.test(pathname))
      .sort((a, b) => b.op.split('{').length - a.op.split('{').length)[0];
    if (match) calls.add(match.op);
    return fetch(request);
  };
}

const PNG = [0x89, 0x50, 0x4e, 0x47];

describe('client: the order lifecycle', () => {
  it('draft → scan → delivered → change request → fixed → restyled → upgraded, watched through signed webhooks', async (t) => {
    const server = await startLiveServer(t, { productionDelayS: 3600 });
    const calls = new Set<string>();
    const { company, client } = await server.newCompany({ fetch: recordOperations(calls) });
    const other = await server.newCompany();
    const secret = (await server.admin<{ secret: string }>('GET', `/companies/${company.id}/webhook-secret`)).body.secret;
    const receiver = await startReceiver(t, secret);
    await client.updateWebhooks({
      webhook_urls: [receiver.url],
      webhook_triggers: ['moved_to_draft', 'moved_to_pending', 'moved_to_ready', 'moved_to_fixing', 'moved_to_failed'],
    });

    // Draft: created, read back, edited.
    const key = crypto.randomUUID();
    const draft = await client.createDraft(
      {
        street: '615 Bourbon St',
        city: 'New Orleans',
        state: 'Louisiana',
        country: 'United States',
        postalCode: '70130',
        owner_email: company.managerEmail,
        external_id: 'R4ER93',
        package_type: 'plus',
        add_ons: ['gla'],
      },
      { idempotencyKey: key },
    );
    assert.equal(draft.info.status, 'Draft');
    assert.deepEqual(draft.info.product, {
      package_type: 'plus',
      add_ons: ['gla'],
      over_limits: [],
      purchasable_add_ons: ['3d_cad_files', '3d_video', '6h_turnaround'],
    });
    assert.deepEqual([draft.address.number, draft.address.street, draft.info.external_id], ['615', 'Bourbon St', 'R4ER93']);
    assert.deepEqual(await client.getOrder(draft.id), draft);
    const edited = await client.updateDraft(draft.id, {
      street: '615 Bourbon St',
      suite: 'A1',
      city: 'New Orleans',
      country: 'United States',
      owner_email: company.managerEmail,
      info: 'Gate code 1234',
    });
    assert.deepEqual(
      [edited.address.suite, edited.info.add_info, edited.info.external_id, edited.info.status],
      ['A1', 'Gate code 1234', 'R4ER93', 'Draft'],
    );
    assert.deepEqual(
      (await client.listOrders({ external_id: 'R4ER93' })).items.map((o) => o.id),
      [draft.id],
    );

    // What a Draft refuses, and what another company sees of it.
    assert.deepEqual((await rejection(client.createChangeRequest(draft.id, { message: 'Too early' }), CasaConflictError)).body, {
      message: 'Order is in status Draft; this needs Ready.',
    });
    assert.deepEqual((await rejection(client.getCombinedPdf(draft.id), CasaConflictError)).body, {
      message: 'Order is in status Draft; the combined PDF needs a delivered order.',
    });
    assert.deepEqual((await rejection(client.redeliverOrder(draft.id, { units: 'metric' }), CasaConflictError)).body, {
      message: 'Order is in status Draft; this needs Ready.',
    });
    for (const call of [
      () => other.client.getOrder(draft.id),
      () => other.client.deleteDraft(draft.id),
      () => other.client.listChangeRequests(draft.id),
    ]) {
      assert.equal((await rejection(call(), CasaNotFoundError)).status, 404);
    }
    await rejection(client.getOrder(crypto.randomUUID()), CasaNotFoundError);
    await rejection(client.getOrder('not-a-uuid'), CasaNotFoundError);
    assert.equal((await client.getOrder(draft.id)).info.status, 'Draft', 'nothing changed');

    // The scan is uploaded: Pending. A draft can no longer be edited or deleted.
    await operator(server, draft.id, 'scan', { total_scanned_area: 1200 });
    assert.equal((await client.getOrder(draft.id)).info.status, 'Pending');
    assert.deepEqual((await rejection(client.deleteDraft(draft.id), CasaConflictError)).body, {
      message: 'Order is in status Pending; this needs Draft.',
    });
    await rejection(
      client.updateDraft(draft.id, { street: 'x', city: 'y', country: 'z', owner_email: company.managerEmail }),
      CasaConflictError,
    );

    // Delivered: Ready with files that download without the api-key.
    await operator(server, draft.id, 'deliver');
    const ready = await client.getOrder(draft.id);
    assert.equal(ready.info.status, 'Ready');
    assert.equal(typeof ready.info.first_delivered_at, 'number');
    const pngUrl = ready.delivery_assets.listing_floorplans?.png_urls[0];
    assert.ok(pngUrl, 'a PNG floor plan is delivered');
    assert.deepEqual([...(await client.download(pngUrl)).subarray(0, 4)], PNG);
    assert.equal(new TextDecoder().decode((await client.getCombinedPdf(draft.id)).subarray(0, 5)), '%PDF-');
    assert.ok((ready.delivery_assets.gla_package?.pdf_urls.length ?? 0) > 0, 'the GLA add-on is delivered');

    // A change request: Fixing, then the fix is delivered and the request is Done.
    const change = await client.createChangeRequest(draft.id, {
      message: 'The kitchen wall is missing.',
      attachment_urls: ['https://example.com/photo.jpg'],
    });
    assert.deepEqual(change, {
      id: change.id,
      order_id: draft.id,
      status: 'Open',
      message: 'The kitchen wall is missing.',
      product_type: 'products_2d',
      attachment_urls: ['https://example.com/photo.jpg'],
      created_by: company.managerEmail,
      created_at: change.created_at,
      resolved_at: null,
    });
    assert.equal((await client.getOrder(draft.id)).info.status, 'Fixing');
    assert.deepEqual((await client.listChangeRequests(draft.id)).items, [change]);
    await rejection(client.createChangeRequest(draft.id, { message: 'Another' }), CasaConflictError);
    await operator(server, draft.id, 'deliver');
    const done = await client.getChangeRequest(draft.id, change.id);
    assert.deepEqual({ ...done, resolved_at: 0 }, { ...change, status: 'Done', resolved_at: 0 });
    assert.equal(typeof done.resolved_at, 'number');
    await rejection(client.getChangeRequest(draft.id, crypto.randomUUID()), CasaNotFoundError);

    // Restyled: the 2D products are produced again by the production worker, delivered as an update.
    const restyled = await client.redeliverOrder(draft.id, { style_template_id: 'blueprint', units: 'metric', show_dimensions: true });
    assert.equal(restyled.info.style_template?.style_template_id, 'blueprint');
    await waitFor('the restyled delivery', async () => (await recordedEvents(server, draft.id)).some((e) => e.delivery_type === 'update'));

    // Upgraded: 3D floor plans and CAD files bought on a Ready order, delivered as an update.
    const upgraded = await client.upgradeOrder(draft.id, { package_type: 'plus_3d', add_ons: ['3d_cad_files'] });
    assert.deepEqual(upgraded.info.product, {
      package_type: 'plus_3d',
      add_ons: ['gla', '3d_cad_files'],
      over_limits: [],
      purchasable_add_ons: ['3d_video', '6h_turnaround'],
    });
    const lower = await rejection(client.upgradeOrder(draft.id, { package_type: 'base', add_ons: [] }), CasaConflictError);
    assert.deepEqual(lower.body, { message: 'Order already has package plus_3d; post-purchase only upgrades to a higher package.' });
    const bought = await rejection(client.upgradeOrder(draft.id, { package_type: null, add_ons: ['gla'] }), CasaValidationError);
    assert.deepEqual(bought.issues, [
      {
        part: 'body_params',
        loc: ['add_ons', 0],
        msg: "value is not a valid enumeration member; permitted: '3d_video', '6h_turnaround'",
        type: 'type_error.enum',
      },
    ]);
    await operator(server, draft.id, 'deliver');
    const final = await client.getOrder(draft.id);
    assert.ok((final.delivery_assets.cad_files?.dxf_urls.length ?? 0) > 0, 'CAD files delivered');
    assert.ok((final.delivery_assets.floorplans_3d?.gltf_urls.length ?? 0) > 0, '3D floor plans delivered');

    // Every recorded event arrived, signed, in order, once.
    const expected = await recordedEvents(server, draft.id);
    await waitFor('every webhook', () => receiver.received.filter((r) => r.event.id === draft.id).length >= expected.length);
    const got = receiver.received.filter((r) => r.event.id === draft.id);
    assert.deepEqual(
      got.map((r) => r.event),
      expected,
    );
    assert.ok(got.every((r) => r.meta.verified));
    assert.equal(new Set(got.map((r) => r.meta.webhookId)).size, got.length, 'each message once');
    assert.deepEqual(receiver.refused, []);
    const moves = expected.map((e) => `${e.previous_status}→${e.current_status} ${e.product_type} ${e.delivery_type}`);
    assert.deepEqual(moves, [
      'New→Draft products_2d new',
      'Draft→Pending products_2d new',
      'Pending→Ready products_2d new',
      'Pending→Ready tour new',
      'Ready→Fixing products_2d new',
      'Fixing→Ready products_2d fix',
      'Ready→Ready products_2d update',
      'Ready→Ready products_3d update',
    ]);

    // The other ways in: a redraw order, a GoToScan order that fails, a draft deleted.
    const redraw = await client.createRedrawOrder({
      street: '1 Infinite Loop',
      city: 'Cupertino',
      country: 'United States',
      info: 'Second floor only',
      source: ['https://example.com/plan.pdf'],
    });
    assert.deepEqual([redraw.info.status, redraw.info.order_type, redraw.info.is_scan_order], ['Pending', 'redraw', false]);
    const go2scan = await client.createGo2ScanOrder({
      street: '10 Downing Street',
      city: 'London',
      country: 'United Kingdom',
      customer: { name: 'Homeowner', email: 'home@example.com' },
      send_invitation: false,
    });
    assert.equal(go2scan.info.status, 'New');
    assert.match(go2scan.info.go2scan?.link ?? '', new RegExp(`^${server.origin}/go2scan/`));
    await operator(server, go2scan.id, 'fail');
    await waitFor('moved_to_failed', () => receiver.received.find((r) => r.event.id === go2scan.id && r.event.current_status === 'Failed'));
    const gone = await client.createDraft({
      street: '2 Main St',
      city: 'Springfield',
      country: 'United States',
      owner_email: company.managerEmail,
    });
    assert.deepEqual(await client.deleteDraft(gone.id), { message: 'Draft order was deleted.' });
    await rejection(client.getOrder(gone.id), CasaNotFoundError);

    // Documented errors of order creation.
    const noOwner = await rejection(
      client.createDraft({ street: '3 Main St', city: 'Springfield', country: 'United States', owner_email: 'nobody@example.com' }),
      CasaValidationError,
    );
    assert.deepEqual(noOwner.body, {
      validation_error: { body_params: [{ loc: ['owner_email'], msg: 'user not found', type: 'value_error' }] },
    });
    const missing = await rejection(
      client.createDraft({ street: '3 Main St', city: 'Springfield', owner_email: company.managerEmail } as never),
      CasaValidationError,
    );
    assert.deepEqual(missing.fieldIssues('country'), [
      { part: 'body_params', loc: ['country'], msg: 'field required', type: 'value_error.missing' },
    ]);
    const replay = await client.createDraft(
      {
        street: '615 Bourbon St',
        city: 'New Orleans',
        state: 'Louisiana',
        country: 'United States',
        postalCode: '70130',
        owner_email: company.managerEmail,
        external_id: 'R4ER93',
        package_type: 'plus',
        add_ons: ['gla'],
      },
      { idempotencyKey: key },
    );
    assert.equal(replay.id, draft.id, 'a repeated Idempotency-Key answers the first draft again');

    // Every operation of the API went through the client in this walk.
    assert.deepEqual(
      Object.values(OPERATIONS).filter((op) => op.includes('/orders') && !calls.has(op)),
      [],
    );
  });
});
