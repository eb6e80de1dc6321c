// How wide a line of text is drawn in the bundled DejaVu Sans, and how far its glyphs reach above
// and below the baseline: what room labels are fitted with.
import { BOLD_WIDTHS, CHARS, REGULAR_WIDTHS } from './text-metrics.js';

const INDEX = new Map([...CHARS].map((c, i) => [c, i]));
/** Characters outside the table count as wide as a capital M. */
const UNKNOWN = 0.9;

/** The highest glyph (an accented capital) and the lowest (a descender), in ems. */
export const ASCENT = 0.93;
export const DESCENT = 0.22;

/** Width of `text` at font size `size` (in the size's own unit). */
export function textWidth(text: string, size: number, bold = false): number {
  const widths = bold ? BOLD_WIDTHS : REGULAR_WIDTHS;
  let em = 0;
  for (const c of text) {
    const i = INDEX.get(c);
    em += i === undefined ? UNKNOWN : widths[i]! / 1000;
  }
  return em * size;
}
