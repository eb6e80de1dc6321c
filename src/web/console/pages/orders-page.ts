// Orders of every company: a filterable table paged on the server; one order with its address,
// product, timeline, change requests, floor-plan previews, files and lifecycle controls.
import { html, trusted, type Html } from '../../html.js';
import { ORDER_STATUSES, deliveryPlan, transitionError } from '../../../domain/order-lifecycle.js';
import type { ConsoleOrderRow } from '../../../services/console/console-repo.js';
import type { FloorPlanPreview, OrdersQuery } from '../../../services/console/console-service.js';
import {
  actionButton,
  badge,
  consolePage,
  csrfField,
  localHref,
  notices,
  pager,
  selectOptions,
  tableRegion,
  time,
  usTime,
} from '../console-layout.js';

export const ORDERS_PAGE_SIZE = 50;

export function ordersPage(d: {
  csrfToken: string;
  query: OrdersQuery;
  offset: number;
  companies: { id: string; name: string }[];
  items: ConsoleOrderRow[];
  hasMore: boolean;
  total: number;
}): string {
  const q = d.query;
  return consolePage({
    title: 'Orders',
    section: 'orders',
    csrfToken: d.csrfToken,
    main: html`<h1>Orders</h1>
<form class="filters" method="get" action="/console/orders" aria-label="Filter orders">
  <div class="field"><label for="company_id">Company</label>
    <select id="company_id" name="company_id">${selectOptions([{ value: '', label: 'All companies' }, ...d.companies.map((c) => ({ value: c.id, label: c.name }))], q.company_id)}</select></div>
  <div class="field"><label for="status">Status</label>
    <select id="status" name="status">${selectOptions([{ value: '', label: 'Any status' }, ...ORDER_STATUSES.map((s) => ({ value: s, label: s }))], q.status)}</select></div>
  <div class="field"><label for="external_id">External id</label><input type="text" id="external_id" name="external_id" value="${q.external_id ?? ''}"></div>
  <div class="field"><label for="owner_email">Owner email</label><input type="email" id="owner_email" name="owner_email" value="${q.owner_email ?? ''}"></div>
  <div class="field"><label for="created_from">Created from</label><input type="date" id="created_from" name="created_from" value="${q.created_from ?? ''}"></div>
  <div class="field"><label for="created_to">Created until</label><input type="date" id="created_to" name="created_to" value="${q.created_to ?? ''}"></div>
  <div class="filter-buttons"><button type="submit">Filter</button> <a href="/console/orders">Clear</a></div>
</form>
${tableRegion(
  'Orders',
  html`<table class="orders">
  <thead><tr><th scope="col">Address</th><th scope="col">Company</th><th scope="col">Status</th><th scope="col">External id</th><th scope="col">Owner</th><th scope="col">Created</th><th scope="col">Updated</th><th scope="col">First delivered</th></tr></thead>
  <tbody>
  ${d.items.map(
    (o) => html`<tr>
    <td><a href="/console/orders/${o.id}">${o.full_address}</a></td>
    <td><a href="/console/companies/${o.company_id}">${o.company_name ?? o.company_id}</a></td>
    <td>${badge(o.status)}${o.held ? html` ${badge('Held')}` : ''}</td>
    <td>${o.external_id ?? '—'}</td>
    <td>${o.owner_email ?? '—'}</td>
    <td>${usTime(o.created_at)}</td><td>${usTime(o.updated_at)}</td><td>${usTime(o.first_delivered_at)}</td>
  </tr>`,
  )}
  </tbody>
</table>`,
)}
${pager({ basePath: '/console/orders', query: { ...q }, offset: d.offset, limit: ORDERS_PAGE_SIZE, hasMore: d.hasMore, total: d.total, shown: d.items.length, noun: 'orders' })}`,
  });
}

interface OrderDetail {
  order: {
    id: string;
    info: {
      status: string;
      created_by: string;
      owner_email: string | null;
      external_id: string | null;
      order_type: string;
      created_at: number;
      first_delivered_at: number | null;
      total_scanned_area: number;
      add_info: string;
      product: { package_type: string; add_ons: string[] };
    };
    address: { full_address: string };
    delivery_assets: Record<string, Record<string, unknown> | null>;
  };
  company_id: string;
  companyName: string | null;
  production: {
    held: boolean;
    due_at: number | null;
    pending_delivery_type: string | null;
    pending_products: string[];
    delivered_products: string[];
    attempts: number;
  };
  events: {
    id: string;
    trigger: string;
    current_status: string;
    previous_status: string | null;
    delivery_type: string;
    product_type: string;
    created_at: number;
  }[];
  changeRequests: {
    id: string;
    status: string;
    message: string;
    product_type: string;
    created_by: string;
    created_at: number;
    resolved_at: number | null;
  }[];
  deliveries: {
    id: string;
    trigger: string;
    url: string;
    status: string;
    attempt_count: number;
    last_status_code: number | null;
    created_at: number;
  }[];
  floorPlans: FloorPlanPreview[];
}

/** The renderer's SVG as an inline image named by its own <title>, with ids kept unique on the page. */
function inlinePlan(p: FloorPlanPreview, i: number): Html {
  const id = `plan-${i}`;
  const svg = p.svg
    .replace(/^<\?xml[^>]*\?>\s*/, '')
    .replace('<svg ', `<svg class="plan-svg" role="img" aria-labelledby="${id}-title" `)
    .replace('<title>', `<title id="${id}-title">`);
  return trusted(svg);
}

function assetLinks(assets: Record<string, Record<string, unknown> | null>, publicUrl: string): Html {
  const entries: { product: string; field: string; url: string }[] = [];
  for (const [product, fields] of Object.entries(assets)) {
    if (!fields) continue;
    for (const [field, value] of Object.entries(fields)) {
      const urls = Array.isArray(value) ? (value as string[]) : typeof value === 'string' && /^https?:\/\//.test(value) ? [value] : [];
      for (const url of urls) entries.push({ product, field, url });
    }
  }
  if (entries.length === 0) return html`<p class="muted">Nothing delivered yet.</p>`;
  const fileName = (url: string) => decodeURIComponent(new URL(url).pathname.split('/').pop() ?? url);
  return tableRegion(
    'Delivered files',
    html`<table>
  <thead><tr><th scope="col">Product</th><th scope="col">List</th><th scope="col">File</th></tr></thead>
  <tbody>${entries.map((e) => html`<tr><td>${e.product}</td><td>${e.field}</td><td><a href="${localHref(e.url, publicUrl)}" download>${fileName(e.url)}</a></td></tr>`)}</tbody>
</table>`,
  );
}

type TimelineEntry = { at: number; what: Html };

function timeline(d: OrderDetail): Html {
  const entries: TimelineEntry[] = [
    { at: d.order.info.created_at, what: html`Order created by ${d.order.info.created_by}` },
    ...d.events.map((e) => ({
      at: e.created_at,
      what: html`<strong>${e.trigger}</strong>: ${e.previous_status ?? '—'} → ${e.current_status} <span class="muted">(${e.product_type}, ${e.delivery_type})</span>`,
    })),
    ...d.changeRequests.flatMap((c) => [
      { at: c.created_at, what: html`Change request by ${c.created_by}: “${c.message}”` },
      ...(c.resolved_at !== null ? [{ at: c.resolved_at, what: html`Change request done` }] : []),
    ]),
    ...d.deliveries.map((w) => ({
      at: w.created_at,
      what: html`Webhook <a href="/console/webhooks/${w.id}">${w.trigger}</a> to <code>${w.url}</code>: ${badge(w.status)}${w.last_status_code !== null ? ` answered ${w.last_status_code}` : ''}`,
    })),
  ].sort((a, b) => a.at - b.at);
  return html`<ol class="timeline">${entries.map((e) => html`<li>${time(e.at)} ${e.what}</li>`)}</ol>`;
}

export function orderPage(
  d: OrderDetail & { csrfToken: string; publicUrl: string; notice?: string | null; error?: string | null; modelText?: string },
): string {
  const o = d.order;
  const base = `/console/orders/${o.id}`;
  const status = o.info.status;
  // Only the buttons the lifecycle table allows in this status; "Deliver now" also needs something
  // to deliver (a Ready order only when an upgrade or redelivery is waiting).
  const allows = (action: 'uploadScan' | 'fail') => transitionError(action, status) === null;
  const canDeliver =
    transitionError('deliver', status) === null &&
    deliveryPlan({
      status,
      package_type: o.info.product.package_type,
      add_ons: o.info.product.add_ons,
      pending_products: d.production.pending_products,
    }) !== null;
  return consolePage({
    title: d.error ? `Error: ${o.address.full_address}` : o.address.full_address,
    section: 'orders',
    csrfToken: d.csrfToken,
    scripts: ['order.js'],
    main: html`<p class="breadcrumb"><a href="/console/orders">Orders</a></p>
<h1>${o.address.full_address}</h1>
${notices({ notice: d.notice, error: d.error })}
<dl class="facts">
  <div><dt>Status</dt><dd id="order-status">${badge(status)}${d.production.held ? html` ${badge('Held')}` : ''}</dd></div>
  <div><dt>Company</dt><dd><a href="/console/companies/${d.company_id}">${d.companyName ?? d.company_id}</a></dd></div>
  <div><dt>Order id</dt><dd><code>${o.id}</code></dd></div>
  <div><dt>External id</dt><dd>${o.info.external_id ?? '—'}</dd></div>
  <div><dt>Owner</dt><dd>${o.info.owner_email ?? '—'}</dd></div>
  <div><dt>Product</dt><dd>${o.info.product.package_type}${o.info.product.add_ons.length ? ` + ${o.info.product.add_ons.join(', ')}` : ''}</dd></div>
  <div><dt>Type</dt><dd>${o.info.order_type}</dd></div>
  <div><dt>Scanned area</dt><dd>${o.info.total_scanned_area} m²</dd></div>
  <div><dt>Production</dt><dd>${d.production.due_at !== null ? html`due ${time(d.production.due_at)}` : 'nothing due'}${d.production.pending_products.length ? `; waiting: ${d.production.pending_products.join(', ')} (${d.production.pending_delivery_type})` : ''}${d.production.attempts ? `; ${d.production.attempts} failed attempts` : ''}</dd></div>
  ${o.info.add_info ? html`<div><dt>Notes</dt><dd>${o.info.add_info}</dd></div>` : ''}
</dl>
<section aria-labelledby="controls-heading" class="card">
  <h2 id="controls-heading">Drive the lifecycle</h2>
  <div class="button-row">
    ${allows('uploadScan') ? actionButton(`${base}/scan`, 'Upload scan (→ Pending)', d.csrfToken) : ''}
    ${canDeliver ? actionButton(`${base}/deliver`, 'Deliver now (→ Ready)', d.csrfToken) : ''}
    ${d.production.held ? actionButton(`${base}/unhold`, 'Release hold', d.csrfToken, { secondary: true }) : actionButton(`${base}/hold`, 'Hold production', d.csrfToken, { secondary: true })}
    ${allows('fail') ? actionButton(`${base}/fail`, 'Fail order', d.csrfToken, { confirm: 'Move this order to Failed?', secondary: true }) : ''}
  </div>
  <form method="post" action="${base}/model" class="model-form">
    ${csrfField(d.csrfToken)}
    <div class="field"><label for="model">Floor-plan model (JSON, version 1)</label>
      <p id="model-hint" class="hint">Replaces the generated model; later deliveries render from it. Choose a file or paste the JSON.</p>
      <input type="file" id="model-file" accept="application/json,.json" aria-label="Choose a model file" hidden>
      <textarea id="model" name="model" rows="6" required aria-describedby="model-hint">${d.modelText ?? ''}</textarea></div>
    <button type="submit">Upload model</button>
  </form>
</section>
<h2 id="plans-heading">Floor plans</h2>
${
  d.floorPlans.length === 0
    ? html`<p class="muted">No floor plan is delivered yet.</p>`
    : html`<div class="plans">${d.floorPlans.map(
        (p, i) => html`<figure class="plan">
  <div class="plan-frame">${inlinePlan(p, i)}</div>
  <figcaption>${p.name}${p.pngUrl ? html` · <a href="${localHref(p.pngUrl, d.publicUrl)}">PNG</a>` : ''}</figcaption>
  ${p.pngUrl ? html`<img class="thumb" src="${localHref(p.pngUrl, d.publicUrl)}" alt="PNG thumbnail of ${p.name}" width="160" loading="lazy">` : ''}
</figure>`,
      )}</div>`
}
<h2>Files</h2>
${assetLinks(o.delivery_assets, d.publicUrl)}
<h2>Timeline</h2>
${timeline(d)}
<h2>Change requests</h2>
${
  d.changeRequests.length === 0
    ? html`<p class="muted">No change requests.</p>`
    : tableRegion(
        'Change requests',
        html`<table><thead><tr><th scope="col">Created</th><th scope="col">Status</th><th scope="col">Product type</th><th scope="col">Message</th><th scope="col">Done</th></tr></thead>
  <tbody>${d.changeRequests.map((c) => html`<tr><td>${time(c.created_at)}</td><td>${badge(c.status)}</td><td>${c.product_type}</td><td>${c.message}</td><td>${time(c.resolved_at)}</td></tr>`)}</tbody></table>`,
      )
}
<p><a href="/console/webhooks?order_id=${o.id}">Webhook deliveries of this order</a></p>`,
  });
}
