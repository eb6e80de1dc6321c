// Styling of 2D deliverables: the templates a caller may choose and the style an order renders with.
export const STYLE_TEMPLATES = ['default', 'classic', 'blueprint', 'monochrome'] as const;
export type StyleTemplateId = (typeof STYLE_TEMPLATES)[number];

export const UNITS = ['metric', 'imperial'] as const;
export type Units = (typeof UNITS)[number];

/** What `info.style_template` holds once a style was chosen (null before). */
export interface StoredStyle {
  style_template_id: StyleTemplateId;
  units: Units;
  label_language: string;
  show_dimensions: boolean;
}

const IMPERIAL_COUNTRIES = new Set(['united states', 'united states of america', 'usa', 'us', 'liberia', 'myanmar']);

export function defaultStyle(country: string): StoredStyle {
  return {
    style_template_id: 'default',
    units: IMPERIAL_COUNTRIES.has(country.trim().toLowerCase()) ? 'imperial' : 'metric',
    label_language: 'en',
    show_dimensions: true,
  };
}

/** The style an order renders with: what it stored over the defaults for its country. */
export function resolvedStyle(order: { style_template: Partial<StoredStyle> | null; country: string }): StoredStyle {
  return { ...defaultStyle(order.country), ...order.style_template };
}

/** A draft's `order_preferences.style_2d.style_template_id`, when it names a known template. */
export function templateFromPreferences(prefs: unknown): StyleTemplateId | null {
  const id = (prefs as { style_2d?: { style_template_id?: unknown } } | null)?.style_2d?.style_template_id;
  return typeof id === 'string' && (STYLE_TEMPLATES as readonly string[]).includes(id) ? (id as StyleTemplateId) : null;
}

/** BCP-47 language tag, loosely: "en", "fi", "en-US", "zh-Hant-TW". */
export const LANGUAGE_TAG_PATTERN = '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$';
