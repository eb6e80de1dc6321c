// The webhook delivery log: filters by company, order and status; one delivery with the exact
// body and headers sent, every attempt with its status, latency and the answer's first bytes.
import { html } from '../../html.js';
import type { Pagination } from '../../../domain/pagination.js';
import { DELIVERY_STATUSES } from '../../../services/webhooks/delivery-status.js';
import { actionButton, badge, consolePage, notices, pager, selectOptions, tableRegion, time } from '../console-layout.js';

interface Attempt {
  attempted_at: number;
  url: string;
  request_headers: Record<string, string>;
  status_code: number | null;
  error: string | null;
  latency_ms: number;
  response_excerpt: string | null;
  chaos: string | null;
}

export interface DeliveryItem {
  id: string;
  webhook_id: string;
  order_id: string;
  company_id: string;
  trigger: string;
  url: string;
  status: string;
  body: string;
  attempt_count: number;
  next_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  completed_at: number | null;
  chaos: object | null;
  attempts: Attempt[];
}

export interface WebhooksQuery {
  company_id?: string;
  order_id?: string;
  status?: string;
}

function lastAnswer(d: DeliveryItem) {
  const last = d.attempts[d.attempts.length - 1];
  if (!last) return html`<span class="muted">not attempted yet</span>`;
  return html`${last.status_code !== null ? last.status_code : (last.error ?? 'no answer')} <span class="muted">in ${Math.round(last.latency_ms)} ms</span>`;
}

export function webhooksPage(d: {
  csrfToken: string;
  query: WebhooksQuery;
  offset: number;
  items: DeliveryItem[];
  pagination: Pagination;
  companies: { id: string; name: string }[];
  names: Map<string, string>;
}): string {
  const q = d.query;
  return consolePage({
    title: 'Webhook deliveries',
    section: 'webhooks',
    csrfToken: d.csrfToken,
    main: html`<h1>Webhook deliveries</h1>
<form class="filters" method="get" action="/console/webhooks" aria-label="Filter deliveries">
  <div class="field"><label for="company_id">Company</label>
    <select id="company_id" name="company_id">${selectOptions([{ value: '', label: 'All companies' }, ...d.companies.map((c) => ({ value: c.id, label: c.name }))], q.company_id)}</select></div>
  <div class="field"><label for="order_id">Order id</label><input type="text" id="order_id" name="order_id" value="${q.order_id ?? ''}"></div>
  <div class="field"><label for="status">Status</label>
    <select id="status" name="status">${selectOptions([{ value: '', label: 'Any status' }, ...DELIVERY_STATUSES.map((s) => ({ value: s, label: s }))], q.status)}</select></div>
  <div class="filter-buttons"><button type="submit">Filter</button> <a href="/console/webhooks">Clear</a></div>
</form>
${tableRegion(
  'Webhook deliveries',
  html`<table class="deliveries">
  <thead><tr><th scope="col">Created</th><th scope="col">Trigger</th><th scope="col">Company</th><th scope="col">Order</th><th scope="col">URL</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last answer</th></tr></thead>
  <tbody>${d.items.map(
    (w) => html`<tr>
    <td><a href="/console/webhooks/${w.id}">${time(w.created_at)}</a></td>
    <td>${w.trigger}</td>
    <td><a href="/console/companies/${w.company_id}">${d.names.get(w.company_id) ?? w.company_id}</a></td>
    <td><a href="/console/orders/${w.order_id}"><code>${w.order_id.slice(0, 8)}</code></a></td>
    <td><code>${w.url}</code></td>
    <td>${badge(w.status)}</td>
    <td>${w.attempts.length}</td>
    <td>${lastAnswer(w)}</td>
  </tr>`,
  )}</tbody>
</table>`,
)}
${pager({ basePath: '/console/webhooks', query: { ...q }, offset: d.offset, limit: d.pagination.limit, hasMore: d.pagination.has_more, shown: d.items.length, noun: 'deliveries' })}`,
  });
}

export function deliveryPage(d: {
  csrfToken: string;
  delivery: DeliveryItem;
  companyName: string | null;
  notice?: string | null;
  error?: string | null;
}): string {
  const w = d.delivery;
  const active = w.status === 'pending' || w.status === 'retrying';
  return consolePage({
    title: `Webhook ${w.trigger}`,
    section: 'webhooks',
    csrfToken: d.csrfToken,
    main: html`<p class="breadcrumb"><a href="/console/webhooks">Webhook deliveries</a></p>
<h1>Webhook ${w.trigger}</h1>
${notices({ notice: d.notice, error: d.error })}
<dl class="facts">
  <div><dt>Status</dt><dd id="delivery-status">${badge(w.status)}</dd></div>
  <div><dt>URL</dt><dd><code>${w.url}</code></dd></div>
  <div><dt>Company</dt><dd><a href="/console/companies/${w.company_id}">${d.companyName ?? w.company_id}</a></dd></div>
  <div><dt>Order</dt><dd><a href="/console/orders/${w.order_id}"><code>${w.order_id}</code></a></dd></div>
  <div><dt>webhook-id</dt><dd><code>${w.webhook_id}</code></dd></div>
  <div><dt>Created</dt><dd>${time(w.created_at)}</dd></div>
  <div><dt>Completed</dt><dd>${time(w.completed_at)}</dd></div>
  ${active ? html`<div><dt>Next attempt</dt><dd>${time(w.next_attempt_at)}</dd></div>` : ''}
  ${w.chaos ? html`<div><dt>Sandbox chaos</dt><dd id="delivery-chaos"><code>${JSON.stringify(w.chaos)}</code></dd></div>` : ''}
</dl>
${active ? html`<p class="muted">Still queued: it will be attempted without a replay.</p>` : actionButton(`/console/webhooks/${w.id}/replay`, 'Replay this delivery', d.csrfToken)}
<h2>Body sent</h2>
<pre class="code" tabindex="0" aria-label="Body sent">${w.body}</pre>
<h2>Attempts</h2>
${
  w.attempts.length === 0
    ? html`<p class="muted">Not attempted yet.</p>`
    : html`<ol class="attempts">${w.attempts.map(
        (a, i) => html`<li class="card attempt">
  <h3>Attempt ${i + 1}: ${a.status_code !== null ? html`answered <span class="status-code">${a.status_code}</span>` : html`failed: ${a.error ?? 'no answer'}`}</h3>
  <p>${time(a.attempted_at)} · ${Math.round(a.latency_ms)} ms · <code>${a.url}</code>${a.chaos ? html` · sandbox chaos: <strong class="attempt-chaos">${a.chaos}</strong>` : ''}</p>
  <h4>Headers sent</h4>
  <pre class="code" tabindex="0" aria-label="Headers sent in attempt ${i + 1}">${Object.entries(a.request_headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}</pre>
  <h4>Answer (first bytes)</h4>
  <pre class="code" tabindex="0" aria-label="Answer to attempt ${i + 1}">${a.response_excerpt ?? '(empty)'}</pre>
</li>`,
      )}</ol>`
}`,
  });
}
