// One company's sandbox settings: the whole document as a form (seed, fault rules as JSON, webhook
// chaos and timing as numbers), each refused field with its problem beside it; clear; deliver
// everything due now.
import { html, type Html } from '../../html.js';
import type { WebhookChaos } from '../../../domain/sandbox-settings.js';
import type { SandboxField, SandboxFormValues } from '../../../http/routes/console/sandbox-form.js';
import { actionButton, consolePage, csrfField, notices } from '../console-layout.js';

const WEBHOOK_LABELS: Record<keyof WebhookChaos, { label: string; hint: string }> = {
  duplicate_rate: { label: 'Duplicate rate', hint: 'Share of deliveries sent twice with the same webhook-id (0 to 1).' },
  duplicate_after_s: { label: 'Duplicate after (s)', hint: 'How long after the delivery its duplicate follows.' },
  reorder_rate: { label: 'Reorder rate', hint: 'Share of deliveries held so that a later event of the order arrives first (0 to 1).' },
  reorder_hold_s: { label: 'Reorder hold (s)', hint: 'The longest a reordered delivery waits to be overtaken.' },
  delay_rate: { label: 'Delay rate', hint: 'Share of deliveries whose first attempt waits (0 to 1).' },
  delay_s: { label: 'Delay (s)', hint: 'How long a delayed first attempt waits.' },
  fail_first_rate: { label: 'Fail-first rate', hint: 'Share of deliveries whose first attempt is recorded as failed (0 to 1).' },
};

export interface SandboxPageData {
  csrfToken: string;
  company: { id: string; name: string };
  values: SandboxFormValues;
  /** Problems by form field; `null` holds those of the document as a whole. */
  problems: Map<SandboxField | null, string[]>;
  /** Whether the stored settings are the defaults (nothing set). */
  off: boolean;
  notice?: string | null;
}

const idOf = (f: SandboxField) => f.replace('.', '-');

function problemsOf(d: SandboxPageData, f: SandboxField): Html {
  const list = d.problems.get(f);
  return list?.length ? html`<p class="field-error" id="${idOf(f)}-error">${list.join(' ')}</p>` : html``;
}

/** A text input for a number (not type=number: what the operator typed reaches the server, which names what is wrong). */
function numberField(
  d: SandboxPageData,
  f: SandboxField,
  label: string,
  hint: string,
  inputmode: 'numeric' | 'decimal' | 'text' = 'decimal',
): Html {
  const id = idOf(f);
  const invalid = d.problems.get(f)?.length;
  return html`<div class="field"><label for="${id}">${label}</label>
    <p class="hint" id="${id}-hint">${hint}</p>
    ${problemsOf(d, f)}
    <input type="text" inputmode="${inputmode}" id="${id}" name="${f}" value="${d.values[f]}" aria-describedby="${id}-hint${invalid ? ` ${id}-error` : ''}"${invalid ? html` aria-invalid="true"` : ''}></div>`;
}

export function sandboxPage(d: SandboxPageData): string {
  const c = d.company;
  const all = [...d.problems.entries()].flatMap(([f, list]) => list.map((text) => ({ f, text })));
  const faultsInvalid = d.problems.get('faults')?.length;
  return consolePage({
    title: all.length ? `Error: Sandbox of ${c.name}` : `Sandbox of ${c.name}`,
    section: 'companies',
    csrfToken: d.csrfToken,
    main: html`<p class="breadcrumb"><a href="/console/companies">Companies</a> › <a href="/console/companies/${c.id}">${c.name}</a></p>
<h1>Sandbox of ${c.name}</h1>
${notices({ notice: d.notice })}
${
  all.length
    ? html`<div class="error" role="alert" id="sandbox-problems"><p>The settings were not saved; nothing changed. ${all.length === 1 ? 'One problem' : `${all.length} problems`}:</p>
<ul>${all.map(({ f, text }) => html`<li>${f ? html`<a href="#${idOf(f)}">${text}</a>` : text}</li>`)}</ul></div>`
    : ''
}
<p id="sandbox-state">${d.off ? html`Nothing is set: ${c.name} behaves like production.` : html`Sandbox controls are set for ${c.name}.`} <a href="/console/companies/${c.id}/requests">Request log of ${c.name}</a></p>
<form class="card" method="post" action="/console/companies/${c.id}/sandbox" aria-label="Sandbox settings">
  ${csrfField(d.csrfToken)}
  ${numberField(d, 'seed', 'Seed', 'An integer from 0 to 4294967295: the same requests in the same order get the same faults and chaos. Blank: random.', 'numeric')}
  <div class="field"><label for="faults">API fault rules (JSON)</label>
    <p class="hint" id="faults-hint">A list of rules, applied in order: <code>{"id": "orders-503", "match": {"method": "GET", "path": "/orders"}, "rate": 0.2, "action": {"status": 503}}</code>. <code>match</code> takes <code>method</code>, <code>path</code> (<code>/orders/{id}</code> style) and <code>operation_id</code>; <code>action</code> is one of <code>status</code> (429 with <code>retry_after_s</code>, 500, 502, 503, 504), <code>latency_ms</code> (a number or <code>[min, max]</code>) or <code>hang_s</code>. Blank or <code>[]</code>: none.</p>
    ${problemsOf(d, 'faults')}
    <textarea id="faults" name="faults" rows="12" spellcheck="false" aria-describedby="faults-hint${faultsInvalid ? ' faults-error' : ''}"${faultsInvalid ? html` aria-invalid="true"` : ''}>${d.values.faults}</textarea></div>
  <fieldset><legend>Webhook chaos</legend>
    <div class="field-grid">${(Object.keys(WEBHOOK_LABELS) as (keyof WebhookChaos)[]).map((k) =>
      numberField(d, `webhooks.${k}`, WEBHOOK_LABELS[k].label, `${WEBHOOK_LABELS[k].hint} Blank: the default.`),
    )}</div>
  </fieldset>
  <fieldset><legend>Timing</legend>
    <div class="field-grid">
    ${numberField(d, 'production_delay_s', 'Production delay (s)', "Seconds from a scan to delivery for this company. Blank: the server's CASA_PRODUCTION_DELAY_S.")}
    ${numberField(d, 'webhook_schedule_s', 'Webhook retry schedule (s)', "Seconds before each attempt, e.g. 0, 1, 2. Blank: the server's CASA_WEBHOOK_SCHEDULE.", 'text')}
    </div>
  </fieldset>
  <button type="submit">Save sandbox settings</button>
</form>
<h2 id="deliver-now">Deliver everything due now</h2>
<p class="hint">Orders of ${c.name} waiting for production (not held) and its webhook deliveries waiting for their next attempt become due at once; the workers deliver them at their next round.</p>
${actionButton(`/console/companies/${c.id}/sandbox/deliver-now`, 'Deliver everything due now', d.csrfToken)}
<h2 id="clear">Clear</h2>
<p class="hint">Back to the defaults: nothing injected, no webhook chaos, the server's timing.</p>
${actionButton(`/console/companies/${c.id}/sandbox/clear`, 'Clear sandbox settings', d.csrfToken, { confirm: `Clear every sandbox setting of ${c.name}?`, secondary: true })}`,
  });
}
