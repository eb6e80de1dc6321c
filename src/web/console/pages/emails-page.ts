// The email outbox as a mail catcher: the list, one email with its text, its HTML (in a sandboxed
// frame) and its links, which open on this server.
import { html } from '../../html.js';
import type { Pagination } from '../../../domain/pagination.js';
import { consolePage, localHref, pager, tableRegion, time } from '../console-layout.js';
import type { EmailView } from '../../../services/emails/emails-service.js';

/** An email as the operator API shows it. */
export type EmailItem = EmailView;

export function emailsPage(d: {
  csrfToken: string;
  query: { to?: string; kind?: string };
  offset: number;
  items: EmailItem[];
  pagination: Pagination;
}): string {
  return consolePage({
    title: 'Emails',
    section: 'emails',
    csrfToken: d.csrfToken,
    main: html`<h1>Emails</h1>
<form class="filters" method="get" action="/console/emails" aria-label="Filter emails">
  <div class="field"><label for="to">Recipient</label><input type="email" id="to" name="to" value="${d.query.to ?? ''}"></div>
  <div class="field"><label for="kind">Kind</label><input type="text" id="kind" name="kind" value="${d.query.kind ?? ''}" list="email-kinds">
    <datalist id="email-kinds"><option value="invitation"></option><option value="password_reset"></option><option value="go2scan_invitation"></option><option value="merge_request"></option></datalist></div>
  <div class="filter-buttons"><button type="submit">Filter</button> <a href="/console/emails">Clear</a></div>
</form>
${tableRegion(
  'Emails',
  html`<table>
  <thead><tr><th scope="col">Written</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Kind</th><th scope="col">Sent by SMTP</th></tr></thead>
  <tbody>${d.items.map(
    (e) =>
      html`<tr><td>${time(e.created_at)}</td><td>${e.to}</td><td><a href="/console/emails/${e.id}">${e.subject}</a></td><td>${e.kind}</td><td>${e.sent_at !== null ? time(e.sent_at) : e.last_error ? html`failed: ${e.last_error}` : 'kept in the outbox'}</td></tr>`,
  )}</tbody>
</table>`,
)}
${pager({ basePath: '/console/emails', query: { ...d.query }, offset: d.offset, limit: d.pagination.limit, hasMore: d.pagination.has_more, shown: d.items.length, noun: 'emails' })}`,
  });
}

/** Every http(s) link in the email, in order, once. */
export function emailLinks(email: Pick<EmailItem, 'text' | 'html'>): string[] {
  const found = [
    ...[...email.html.matchAll(/href\s*=\s*"(https?:\/\/[^"]+)"/gi)].map((m) => m[1]!.replace(/&amp;/g, '&')),
    ...[...email.text.matchAll(/https?:\/\/[^\s<>"')]+/g)].map((m) => m[0]),
  ];
  return [...new Set(found)];
}

export function emailPage(d: { csrfToken: string; email: EmailItem; publicUrl: string }): string {
  const e = d.email;
  const links = emailLinks(e);
  return consolePage({
    title: e.subject,
    section: 'emails',
    csrfToken: d.csrfToken,
    main: html`<p class="breadcrumb"><a href="/console/emails">Emails</a></p>
<h1>${e.subject}</h1>
<dl class="facts">
  <div><dt>To</dt><dd>${e.to}</dd></div>
  <div><dt>Kind</dt><dd>${e.kind}</dd></div>
  <div><dt>Written</dt><dd>${time(e.created_at)}</dd></div>
  <div><dt>Sent by SMTP</dt><dd>${e.sent_at !== null ? time(e.sent_at) : 'no (kept in the outbox)'}</dd></div>
  ${e.company_id ? html`<div><dt>Company</dt><dd><a href="/console/companies/${e.company_id}">${e.company_id}</a></dd></div>` : ''}
</dl>
<h2>Links</h2>
${
  links.length
    ? html`<ul class="email-links">${links.map((l) => html`<li><a href="${localHref(l, d.publicUrl)}">${l}</a></li>`)}</ul>`
    : html`<p class="muted">This email has no links.</p>`
}
<h2>HTML</h2>
<iframe class="email-html" title="The email as HTML" src="/console/emails/${e.id}/html" sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>
<h2>Text</h2>
<pre class="code" tabindex="0" aria-label="The email as text">${e.text}</pre>`,
  });
}
