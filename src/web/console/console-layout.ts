// The console's page shell (the web pages' `page()` with a header and navigation), and the small
// pieces every console page uses: times, status badges, CSRF fields, notices and pagers.
import { html, type Html } from '../html.js';
import { page } from '../layout.js';

export const CONSOLE_ASSETS = '/console/assets/';

export type Section = 'orders' | 'companies' | 'webhooks' | 'emails' | 'system';

const SECTIONS: { id: Section; label: string; href: string }[] = [
  { id: 'orders', label: 'Orders', href: '/console/orders' },
  { id: 'companies', label: 'Companies', href: '/console/companies' },
  { id: 'webhooks', label: 'Webhooks', href: '/console/webhooks' },
  { id: 'emails', label: 'Emails', href: '/console/emails' },
  { id: 'system', label: 'System', href: '/console/system' },
];

export interface ConsolePageOptions {
  title: string;
  section: Section | null;
  csrfToken: string | null;
  main: Html;
  scripts?: string[];
}

export function consolePage({ title, section, csrfToken, main, scripts = [] }: ConsolePageOptions): string {
  const header = html`<header class="console-header">
  <a class="console-brand" href="/console/orders">casa-integrate console</a>
  ${
    csrfToken
      ? html`<nav aria-label="Console"><ul>
    ${SECTIONS.map((s) => html`<li><a href="${s.href}"${s.id === section ? html` aria-current="page"` : ''}>${s.label}</a></li>`)}
  </ul></nav>
  <form class="sign-out" method="post" action="/console/sign-out">${csrfField(csrfToken)}<button type="submit" class="secondary">Sign out</button></form>`
      : ''
  }
</header>
`;
  return page({
    title: `${title} · casa-integrate console`,
    main,
    wide: true,
    header,
    stylesheets: [`${CONSOLE_ASSETS}console.css`],
    modules: [`${CONSOLE_ASSETS}console.js`, ...scripts.map((s) => `${CONSOLE_ASSETS}${s}`)],
  });
}

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="csrf_token" value="${token}">`;
}

/** A POST button in its own small form. */
export function actionButton(
  action: string,
  label: string,
  csrfToken: string,
  opts: { confirm?: string; secondary?: boolean; fields?: Record<string, string> } = {},
): Html {
  return html`<form class="inline-form" method="post" action="${action}"${opts.confirm ? html` data-confirm="${opts.confirm}"` : ''}>${csrfField(csrfToken)}${Object.entries(opts.fields ?? {}).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}<button type="submit"${opts.secondary ? html` class="secondary"` : ''}>${label}</button></form>`;
}

/** Epoch seconds (the API's times) as an ISO-like UTC time, in a <time> element. */
export function time(epochSeconds: number | null | undefined): Html {
  if (epochSeconds === null || epochSeconds === undefined) return html`<span class="muted">—</span>`;
  const d = new Date(epochSeconds * 1000);
  return html`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 19).replace('T', ' ')} UTC</time>`;
}

export function usTime(us: number | null): Html {
  return time(us === null ? null : us / 1e6);
}

export function badge(status: string): Html {
  return html`<span class="badge badge-${status.toLowerCase().replace(/[^a-z0-9]+/g, '-')}">${status}</span>`;
}

export function notices(opts: { notice?: string | null; error?: string | null }): Html {
  return html`${opts.notice ? html`<div class="flash" role="status">${opts.notice}</div>` : ''}${opts.error ? html`<div class="error" role="alert">${opts.error}</div>` : ''}`;
}

/** A table in a horizontally scrollable region that the keyboard can reach. */
export function tableRegion(label: string, table: Html): Html {
  return html`<div class="table-scroll" role="region" aria-label="${label}" tabindex="0">${table}</div>`;
}

export function pager(opts: {
  basePath: string;
  query: Record<string, string | undefined>;
  offset: number;
  limit: number;
  hasMore: boolean;
  total?: number;
  shown: number;
  noun: string;
}): Html {
  const link = (offset: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v !== undefined && v !== '') params.set(k, v);
    if (offset > 0) params.set('offset', String(offset));
    const qs = params.toString();
    return `${opts.basePath}${qs ? `?${qs}` : ''}`;
  };
  const from = opts.shown ? opts.offset + 1 : 0;
  const to = opts.offset + opts.shown;
  const of = opts.total !== undefined ? ` of ${opts.total.toLocaleString('en-US')}` : '';
  return html`<nav class="pager" aria-label="Pages of ${opts.noun}">
  <p>${opts.shown ? `Showing ${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')}${of} ${opts.noun}` : `No ${opts.noun}`}</p>
  ${opts.offset > 0 ? html`<a href="${link(Math.max(0, opts.offset - opts.limit))}" rel="prev">Previous page</a>` : ''}
  ${opts.hasMore ? html`<a href="${link(opts.offset + opts.limit)}" rel="next">Next page</a>` : ''}
</nav>`;
}

/** Links to this server's public URL, as paths, so they open on whatever host serves the console. */
export function localHref(url: string, publicUrl: string): string {
  return url.startsWith(`${publicUrl}/`) ? url.slice(publicUrl.length) : url;
}

export function selectOptions(options: { value: string; label: string }[], selected: string | undefined): Html {
  return html`${options.map((o) => html`<option value="${o.value}"${o.value === (selected ?? '') ? html` selected` : ''}>${o.label}</option>`)}`;
}
