// Companies: search, create (the new api key is shown once), pending merge requests; one company
// with its users, offices, api keys and webhook settings.
import { html } from '../../html.js';
import type { Pagination } from '../../../domain/pagination.js';
import { actionButton, badge, consolePage, csrfField, notices, pager, tableRegion, time } from '../console-layout.js';

interface CompanyItem {
  id: string;
  name: string;
  country: string | null;
  customer_type: string;
  created_at: number;
}

interface MergeItem {
  id: string;
  company_id: string;
  target_company_id: string;
  target_email: string;
  created_at: number;
  requester_webhook_urls: string[];
}

/**
 * The approval of one merge: the target keeps its own webhook settings unless the operator picks
 * the requester's URLs, which are listed next to the choice.
 */
function mergeApproval(m: MergeItem, csrfToken: string, names: Map<string, string>) {
  const source = names.get(m.company_id) ?? m.company_id;
  const target = names.get(m.target_company_id) ?? m.target_company_id;
  const urls = m.requester_webhook_urls;
  const choice = `webhooks-${m.id}`;
  return html`<form class="merge-approval" method="post" action="/console/merge-requests/${m.id}/approve" data-confirm="Move every office, user and order of ${source} into ${target}?">${csrfField(csrfToken)}
  <fieldset><legend>Webhooks</legend>
    <div class="hint">${source}'s webhook URLs: ${urls.length ? html`<ul class="plain">${urls.map((u) => html`<li><code>${u}</code></li>`)}</ul>` : 'none'}</div>
    <label><input type="radio" name="webhooks" id="${choice}-keep" value="keep_target" checked> Keep ${target}'s webhook settings only</label>
    <label><input type="radio" name="webhooks" id="${choice}-add" value="add_source"${urls.length ? '' : ' disabled'}> Also send ${target}'s events to ${source}'s URLs</label>
  </fieldset>
  <button type="submit">Approve merge</button></form>`;
}

function mergeTable(csrfToken: string, items: MergeItem[], names: Map<string, string>) {
  if (items.length === 0) return html`<p class="muted">No merge request is waiting.</p>`;
  const name = (id: string) => html`<a href="/console/companies/${id}">${names.get(id) ?? id}</a>`;
  return tableRegion(
    'Pending merge requests',
    html`<table>
  <thead><tr><th scope="col">Requested</th><th scope="col">Company</th><th scope="col">Into</th><th scope="col">Manager asked</th><th scope="col">Approval</th></tr></thead>
  <tbody>
  ${items.map(
    (
      m,
    ) => html`<tr><td>${time(m.created_at)}</td><td>${name(m.company_id)}</td><td>${name(m.target_company_id)}</td><td>${m.target_email}</td>
    <td>${mergeApproval(m, csrfToken, names)}</td></tr>`,
  )}
  </tbody>
</table>`,
  );
}

export function companiesPage(d: {
  csrfToken: string;
  search: string;
  offset: number;
  items: CompanyItem[];
  pagination: Pagination;
  merges: { items: MergeItem[]; names: Map<string, string> };
  created?: { company: { id: string; name: string }; manager: { email: string }; api_key: string } | null;
  error?: string | null;
  notice?: string | null;
  form?: { name?: string; manager_email?: string };
}): string {
  return consolePage({
    title: d.error ? 'Error: Companies' : 'Companies',
    section: 'companies',
    csrfToken: d.csrfToken,
    main: html`<h1>Companies</h1>
${notices({ notice: d.notice, error: d.error })}
${
  d.created
    ? html`<section class="card success" aria-labelledby="created-heading">
  <h2 id="created-heading">Company ${d.created.company.name} was created</h2>
  <p>Its Manager is ${d.created.manager.email}. This is its api key; it is shown only this once:</p>
  <p><code class="secret" id="new-api-key">${d.created.api_key}</code></p>
  <p><a href="/console/companies/${d.created.company.id}">Open ${d.created.company.name}</a></p>
</section>`
    : ''
}
<form class="filters" method="get" action="/console/companies" role="search">
  <div class="field"><label for="search">Search by name</label><input type="search" id="search" name="search" value="${d.search}"></div>
  <button type="submit">Search</button>
</form>
${tableRegion(
  'Companies',
  html`<table>
  <thead><tr><th scope="col">Name</th><th scope="col">Country</th><th scope="col">Type</th><th scope="col">Created</th></tr></thead>
  <tbody>
  ${d.items.map((c) => html`<tr><td><a href="/console/companies/${c.id}">${c.name}</a></td><td>${c.country ?? '—'}</td><td>${c.customer_type}</td><td>${time(c.created_at)}</td></tr>`)}
  </tbody>
</table>`,
)}
${pager({ basePath: '/console/companies', query: { search: d.search }, offset: d.offset, limit: d.pagination.limit, hasMore: d.pagination.has_more, shown: d.items.length, noun: 'companies' })}
<h2 id="merges">Merge requests waiting for approval</h2>
${mergeTable(d.csrfToken, d.merges.items, d.merges.names)}
<h2 id="create">Create a company</h2>
<form class="card" method="post" action="/console/companies">
  ${csrfField(d.csrfToken)}
  <div class="field"><label for="name">Name</label><input type="text" id="name" name="name" required maxlength="200" value="${d.form?.name ?? ''}"></div>
  <div class="field"><label for="manager_email">Manager's email</label>
    <p id="manager-hint" class="hint">The first Manager; without a password below they are created without one.</p>
    <input type="email" id="manager_email" name="manager_email" required maxlength="254" aria-describedby="manager-hint" value="${d.form?.manager_email ?? ''}"></div>
  <div class="field"><label for="manager_password">Manager's password (optional)</label><input type="password" id="manager_password" name="manager_password" minlength="8" maxlength="128" autocomplete="new-password"></div>
  <button type="submit">Create company</button>
</form>`,
  });
}

interface CompanyDetail {
  company: {
    id: string;
    name: string;
    country: string | null;
    customer_type: string;
    created_at: number;
    webhook_urls?: string[];
    webhook_triggers?: string[];
  } & Record<string, unknown>;
  users: {
    id: string;
    email: string;
    name: string | null;
    surname: string | null;
    role: string;
    office_id?: string;
    email_confirmed?: boolean;
  }[];
  offices: { id: string; name: string; created_at: number }[];
  keys: { id: string; prefix: string; user_id: string | null; created_at: number; revoked_at: number | null }[];
  secret: { secret: string; previous_secret: string | null; rotated_at: number | null };
  pendingMerges: MergeItem[];
  names: Map<string, string>;
}

export function companyPage(
  d: CompanyDetail & { csrfToken: string; revealSecret: boolean; issuedKey?: string | null; notice?: string | null; error?: string | null },
): string {
  const c = d.company;
  const urls = (c.webhook_urls ?? []) as string[];
  const triggers = (c.webhook_triggers ?? []) as string[];
  const masked = `${d.secret.secret.slice(0, 6)}${'•'.repeat(12)}`;
  return consolePage({
    title: c.name,
    section: 'companies',
    csrfToken: d.csrfToken,
    main: html`<p class="breadcrumb"><a href="/console/companies">Companies</a></p>
<h1>${c.name}</h1>
${notices({ notice: d.notice, error: d.error })}
<dl class="facts">
  <div><dt>Company id</dt><dd><code>${c.id}</code></dd></div>
  <div><dt>Country</dt><dd>${c.country ?? '—'}</dd></div>
  <div><dt>Customer type</dt><dd>${c.customer_type}</dd></div>
  <div><dt>Created</dt><dd>${time(c.created_at)}</dd></div>
  <div><dt>Orders</dt><dd><a href="/console/orders?company_id=${c.id}">Orders of ${c.name}</a></dd></div>
  <div><dt>Sandbox</dt><dd><a href="/console/companies/${c.id}/sandbox">Sandbox settings of ${c.name}</a> · <a href="/console/companies/${c.id}/requests">Request log of ${c.name}</a></dd></div>
</dl>
<h2 id="users">Users</h2>
${tableRegion(
  'Users',
  html`<table>
  <thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Email confirmed</th></tr></thead>
  <tbody>${d.users.map((u) => html`<tr><td>${u.email}</td><td>${[u.name, u.surname].filter(Boolean).join(' ') || '—'}</td><td>${u.role}</td><td>${u.email_confirmed === undefined ? '—' : u.email_confirmed ? 'yes' : 'no'}</td></tr>`)}</tbody>
</table>`,
)}
<h2 id="offices">Offices</h2>
<ul>${d.offices.map((o) => html`<li>${o.name} <span class="muted">(<code>${o.id}</code>)</span></li>`)}</ul>
<h2 id="webhook">Webhooks</h2>
<dl class="facts">
  <div><dt>URLs</dt><dd>${urls.length ? html`<ul class="plain">${urls.map((u) => html`<li><code>${u}</code></li>`)}</ul>` : 'none'}</dd></div>
  <div><dt>Triggers</dt><dd>${triggers.length ? triggers.join(', ') : 'none'}</dd></div>
  <div><dt>Signing secret</dt><dd>${
    d.revealSecret
      ? html`<code class="secret" id="webhook-secret">${d.secret.secret}</code> <a href="/console/companies/${c.id}#webhook">Hide</a>`
      : html`<code id="webhook-secret">${masked}</code> <a href="/console/companies/${c.id}?reveal=secret#webhook">Reveal secret</a>`
  }</dd></div>
</dl>
<p><a href="/console/webhooks?company_id=${c.id}">Webhook deliveries of ${c.name}</a></p>
<h2 id="keys">API keys</h2>
${d.issuedKey ? html`<div class="card success" role="status"><p>New api key, shown only this once:</p><p><code class="secret" id="issued-api-key">${d.issuedKey}</code></p></div>` : ''}
${tableRegion(
  'API keys',
  html`<table>
  <thead><tr><th scope="col">Prefix</th><th scope="col">Created</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
  <tbody>${d.keys.map(
    (
      k,
    ) => html`<tr><td><code>${k.prefix}…</code></td><td>${time(k.created_at)}</td><td>${k.revoked_at === null ? badge('Active') : html`${badge('Revoked')} ${time(k.revoked_at)}`}</td>
    <td>${k.revoked_at === null ? actionButton(`/console/api-keys/${k.id}/revoke`, `Revoke ${k.prefix}…`, d.csrfToken, { confirm: 'Revoke this key? Requests with it will be refused.', fields: { company_id: c.id }, secondary: true }) : ''}</td></tr>`,
  )}</tbody>
</table>`,
)}
${actionButton(`/console/companies/${c.id}/api-keys`, 'Create an api key', d.csrfToken)}
<h2 id="merges">Merge requests waiting</h2>
${mergeTable(d.csrfToken, d.pendingMerges, d.names)}`,
  });
}
