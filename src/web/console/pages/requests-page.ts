// One company's request log: a search form (status, method, path, since, request id), one row per
// request, newest first; one request with every field the log keeps and both redacted bodies.
import { html, type Html } from '../../html.js';
import type { Pagination } from '../../../domain/pagination.js';
import { FAULT_METHODS } from '../../../domain/sandbox-settings.js';
import type { RequestLogDetail, RequestLogView } from '../../../services/request-log/request-log-service.js';
import { consolePage, notices, pager, selectOptions, tableRegion, time } from '../console-layout.js';

/** The search as typed (strings, shown back in the form and carried by the pager). */
export interface RequestsSearch {
  status?: string;
  method?: string;
  path?: string;
  since?: string;
  request_id?: string;
}

const basePath = (companyId: string) => `/console/companies/${companyId}/requests`;

function statusText(status: number | null): Html {
  return status === null ? html`<span class="muted">closed unanswered</span>` : html`<span class="status-code">${status}</span>`;
}

const duration = (ms: number) => `${ms.toFixed(1)} ms`;

function breadcrumb(company: { id: string; name: string }, more: Html | string = '') {
  return html`<p class="breadcrumb"><a href="/console/companies">Companies</a> › <a href="/console/companies/${company.id}">${company.name}</a>${more}</p>`;
}

function searchField(
  id: keyof RequestsSearch,
  label: string,
  value: string | undefined,
  problems: Map<string, string>,
  attrs: Html,
  hint?: string,
): Html {
  const problem = problems.get(id);
  const described = [hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field"><label for="${id}">${label}</label>${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}${problem ? html`<p class="field-error" id="${id}-error">${problem}</p>` : ''}<input ${attrs} id="${id}" name="${id}" value="${value ?? ''}"${described ? html` aria-describedby="${described}"` : ''}${problem ? html` aria-invalid="true"` : ''}></div>`;
}

export function requestsPage(d: {
  csrfToken: string;
  company: { id: string; name: string };
  search: RequestsSearch;
  /** Problems with the search, by field. */
  problems: Map<string, string>;
  offset: number;
  items: RequestLogView[];
  pagination: Pagination | null;
  /** CASA_REQUEST_LOG: false when nothing new is kept. */
  enabled: boolean;
}): string {
  const c = d.company;
  const q = d.search;
  const base = basePath(c.id);
  return consolePage({
    title: d.problems.size ? `Error: Request log of ${c.name}` : `Request log of ${c.name}`,
    section: 'companies',
    csrfToken: d.csrfToken,
    main: html`${breadcrumb(c)}
<h1>Request log of ${c.name}</h1>
${d.enabled ? '' : html`<p class="notice">The request log is off (<code>CASA_REQUEST_LOG=false</code>): no new request is kept.</p>`}
${notices({ error: d.problems.size ? 'The search was not run: ' + [...d.problems.entries()].map(([k, v]) => `${k}: ${v}`).join('; ') : null })}
<form class="filters" method="get" action="${base}" role="search" aria-label="Search the request log">
  ${searchField('status', 'Status', q.status, d.problems, html`type="text" inputmode="numeric" maxlength="3"`, '503, or a class: 5xx')}
  <div class="field"><label for="method">Method</label>
    <select id="method" name="method">${selectOptions([{ value: '', label: 'Any method' }, ...FAULT_METHODS.map((m) => ({ value: m, label: m }))], q.method)}</select></div>
  ${searchField('path', 'Path', q.path, d.problems, html`type="text" maxlength="300"`, 'After /api/integrate/v3; takes the paths below it')}
  ${searchField('since', 'Since (UTC)', q.since, d.problems, html`type="datetime-local" step="1"`)}
  ${searchField('request_id', 'Request id', q.request_id, d.problems, html`type="text" maxlength="128"`)}
  <div class="filter-buttons"><button type="submit">Search</button> <a href="${base}">Clear</a></div>
</form>
${tableRegion(
  'Logged requests',
  html`<table class="requests">
  <thead><tr><th scope="col">Time</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Status</th><th scope="col">Duration</th><th scope="col">Injected rule</th></tr></thead>
  <tbody>${d.items.map(
    (e) => html`<tr>
    <td><a href="${base}/${e.id}">${time(e.at)}</a></td>
    <td>${e.method}</td>
    <td><code>${e.path}${e.query ? `?${e.query}` : ''}</code></td>
    <td>${statusText(e.status)}</td>
    <td>${duration(e.duration_ms)}</td>
    <td>${e.injected_rule ? html`<code>${e.injected_rule}</code>` : html`<span class="muted">—</span>`}</td>
  </tr>`,
  )}</tbody>
</table>`,
)}
${
  d.pagination
    ? pager({
        basePath: base,
        query: { ...q },
        offset: d.offset,
        limit: d.pagination.limit,
        hasMore: d.pagination.has_more,
        shown: d.items.length,
        noun: 'requests',
      })
    : ''
}
<p><a href="/console/companies/${c.id}/sandbox">Sandbox settings of ${c.name}</a></p>`,
  });
}

function body(label: string, text: string | null, truncated: boolean): Html {
  let shown = text;
  if (text !== null) {
    try {
      shown = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not JSON (or cut at 16 KiB): shown as kept
    }
  }
  return html`<h2>${label}</h2>
${truncated ? html`<p class="hint">Cut at 16 KiB: the rest was not kept.</p>` : ''}
${shown === null ? html`<p class="muted">No body.</p>` : html`<pre class="code" tabindex="0" aria-label="${label}">${shown}</pre>`}`;
}

export function requestPage(d: { csrfToken: string; company: { id: string; name: string }; entry: RequestLogDetail }): string {
  const c = d.company;
  const e = d.entry;
  const code = (v: string | null) => (v === null ? html`<span class="muted">—</span>` : html`<code>${v}</code>`);
  return consolePage({
    title: `${e.method} ${e.path}`,
    section: 'companies',
    csrfToken: d.csrfToken,
    main: html`${breadcrumb(c, html` › <a href="${basePath(c.id)}">Request log</a>`)}
<h1>${e.method} <code>${e.path}</code></h1>
<dl class="facts">
  <div><dt>Time</dt><dd>${time(e.at)}</dd></div>
  <div><dt>Status</dt><dd id="request-status">${statusText(e.status)}</dd></div>
  <div><dt>Duration</dt><dd>${duration(e.duration_ms)}</dd></div>
  <div><dt>Query</dt><dd>${code(e.query)}</dd></div>
  <div><dt>Operation</dt><dd>${code(e.operation_id)}</dd></div>
  <div><dt>Request id</dt><dd>${code(e.request_id)}</dd></div>
  <div><dt>Idempotency key</dt><dd>${code(e.idempotency_key)}</dd></div>
  <div><dt>Injected rule</dt><dd id="request-injected">${e.injected_rule ? html`<code>${e.injected_rule}</code> (<a href="/console/companies/${c.id}/sandbox">sandbox settings</a>)` : html`<span class="muted">—</span>`}</dd></div>
  <div><dt>Log entry</dt><dd><code>${e.id}</code></dd></div>
</dl>
<p class="hint">Keys, passwords, secrets and link tokens are replaced by [redacted]; each body is kept up to 16 KiB.</p>
${body('Request body', e.request_body, e.request_truncated)}
${body('Response body', e.response_body, e.response_truncated)}`,
  });
}
