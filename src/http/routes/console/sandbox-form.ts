// The console's sandbox form and the settings document, both ways: the document shown as fields
// (webhook rates and timing as numbers, the fault rules as JSON), and the fields posted back made
// into the document PUT …/sandbox takes. A value that is not a number is passed on as typed, so the
// operator API's schema names the field that is wrong, with its own words.
import { DEFAULT_WEBHOOK_CHAOS, type SandboxSettings, type WebhookChaos } from '../../../domain/sandbox-settings.js';
import type { ValidationEntry } from '../../../errors.js';
import { field, type Form } from './context.js';

const WEBHOOK_FIELDS = Object.keys(DEFAULT_WEBHOOK_CHAOS) as (keyof WebhookChaos)[];

/** A form field's name: a top-level field of the document, or `webhooks.<rate or time>`. */
export type SandboxField = 'seed' | 'faults' | `webhooks.${keyof WebhookChaos}` | 'production_delay_s' | 'webhook_schedule_s';

const FORM_FIELDS: SandboxField[] = [
  'seed',
  'faults',
  ...WEBHOOK_FIELDS.map((k) => `webhooks.${k}` as const),
  'production_delay_s',
  'webhook_schedule_s',
];

/** The form's text, field by field, as shown and as posted. */
export type SandboxFormValues = Record<SandboxField, string>;

export function formOfSettings(s: SandboxSettings): SandboxFormValues {
  const values = {
    seed: s.seed === null ? '' : String(s.seed),
    faults: JSON.stringify(s.faults, null, 2),
    production_delay_s: s.production_delay_s === null ? '' : String(s.production_delay_s),
    webhook_schedule_s: s.webhook_schedule_s === null ? '' : s.webhook_schedule_s.join(', '),
  } as SandboxFormValues;
  for (const k of WEBHOOK_FIELDS) values[`webhooks.${k}`] = String(s.webhooks[k]);
  return values;
}

export function formOfBody(body: Form): SandboxFormValues {
  return Object.fromEntries(FORM_FIELDS.map((k) => [k, field(body, k)])) as SandboxFormValues;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A number when the text is one; blank is absent; anything else stays text for the schema to refuse. */
function numberOrText(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return NUMBER.test(t) ? Number(t) : t;
}

/**
 * The document the posted fields describe, and the problems only the form can have (fault rules
 * that are not JSON). Blank seed, production delay and schedule are null (the server's setting);
 * a blank webhook field takes its default; blank fault rules are none.
 */
export function documentOfForm(values: SandboxFormValues): { document: Record<string, unknown>; problems: ValidationEntry[] } {
  const problems: ValidationEntry[] = [];
  const document: Record<string, unknown> = {
    seed: numberOrText(values.seed) ?? null,
  };
  const faultsText = values.faults.trim();
  if (faultsText === '') document.faults = [];
  else {
    try {
      document.faults = JSON.parse(faultsText);
    } catch (err) {
      problems.push({ loc: ['faults'], msg: `not valid JSON (${(err as Error).message})`, type: 'value_error.json' });
    }
  }
  const webhooks: Record<string, unknown> = {};
  for (const k of WEBHOOK_FIELDS) {
    const v = numberOrText(values[`webhooks.${k}`]);
    if (v !== undefined) webhooks[k] = v;
  }
  document.webhooks = webhooks;
  document.production_delay_s = numberOrText(values.production_delay_s) ?? null;
  const steps = values.webhook_schedule_s.split(/[\s,]+/).filter((t) => t !== '');
  document.webhook_schedule_s = steps.length ? steps.map(numberOrText) : null;
  return { document, problems };
}

/** The form field a problem belongs to (null: the document as a whole). */
export function fieldOfProblem(loc: (string | number)[]): SandboxField | null {
  const [first, second] = loc;
  if (first === 'webhooks' && (WEBHOOK_FIELDS as unknown[]).includes(second)) return `webhooks.${second as keyof WebhookChaos}`;
  return (FORM_FIELDS as unknown[]).includes(first) ? (first as SandboxField) : null;
}
