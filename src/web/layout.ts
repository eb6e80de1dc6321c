// The one page shell: language, viewport, our stylesheet, external scripts only (the CSP allows
// no inline script), a skip link and a main landmark.
import { fileURLToPath } from 'node:url';
import { html, type Html } from './html.js';

/** Where the pages' own styles and scripts live on disk; served under `/assets/`. */
export const ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url));
export const ASSETS_PREFIX = '/assets/';
export const VENDOR_PREFIX = '/vendor/';

export interface PageOptions {
  title: string;
  main: Html;
  /** Classic scripts under /assets/ (deferred). */
  scripts?: string[];
  /** ES module scripts (absolute paths on this origin). */
  modules?: string[];
  /** A narrow column for forms; wide for plans. */
  wide?: boolean;
  /** More stylesheets after ours (absolute paths on this origin). */
  stylesheets?: string[];
  /** Shown above the main landmark (e.g. a site header with navigation). */
  header?: Html;
}

export function page({ title, main, scripts = [], modules = [], wide = false, stylesheets = [], header }: PageOptions): string {
  return (
    '<!doctype html>\n' +
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>${title}</title>
<link rel="stylesheet" href="${ASSETS_PREFIX}site.css">
${stylesheets.map((s) => html`<link rel="stylesheet" href="${s}">\n`)}${scripts.map((s) => html`<script src="${ASSETS_PREFIX}${s}" defer></script>\n`)}${modules.map((m) => html`<script type="module" src="${m}"></script>\n`)}</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
${header ?? ''}<main id="main" class="${wide ? 'wide' : 'narrow'}" tabindex="-1">
${main}
</main>
</body>
</html>
`.value
  );
}

/** A page that only says something: a link that cannot be used, a finished step, an error. */
export function noticePage(title: string, message: string, extra?: Html): string {
  return page({
    title,
    main: html`<h1>${title}</h1>
<p class="notice">${message}</p>
${extra ?? ''}`,
  });
}
