// A tagged template for HTML: every interpolated value is escaped unless it is already `Html`
// (the result of another `html` template, or `trusted()` markup made by our own renderers).
// Arrays are joined; null, undefined and false render as nothing.
import { escapeHtml } from '../domain/html-escape.js';

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

export { escapeHtml };

function render(part: Part): string {
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  if (part === null || part === undefined || part === false) return '';
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Markup this server produced itself (e.g. an SVG floor plan), inserted as is. */
export function trusted(markup: string): Html {
  return new Html(markup);
}
