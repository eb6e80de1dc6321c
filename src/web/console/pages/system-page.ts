// Live figures: request rate, p99 latency, queue depth, production backlog and webhook success
// rate. The first figures come with the page; /console/assets/system.js refreshes them and draws
// the small charts.
import { html } from '../../html.js';
import type { SystemFigures } from '../../../services/console/console-service.js';
import { SESSION_IDLE_S, SESSION_TTL_S } from '../../../services/console/console-sessions.js';
import { actionButton, consolePage } from '../console-layout.js';

export function formatFigures(f: SystemFigures) {
  return {
    rate: `${f.requests.ratePerS.toFixed(2)} req/s`,
    p99: f.requests.p99Ms === null ? '—' : `${f.requests.p99Ms.toFixed(1)} ms`,
    queue: `${f.queueDepth.production + f.queueDepth.webhookDeliveries}`,
    backlog: `${f.productionBacklog}`,
    success: f.webhookSuccess.rate === null ? '—' : `${(f.webhookSuccess.rate * 100).toFixed(1)} %`,
  };
}

const CARDS = [
  { id: 'rate', label: 'Request rate', hint: 'last minute, this process' },
  { id: 'p99', label: 'p99 latency', hint: 'last minute, this process' },
  { id: 'queue', label: 'Queue depth', hint: 'orders and webhook deliveries due' },
  { id: 'backlog', label: 'Production backlog', hint: 'orders due and not held' },
  { id: 'success', label: 'Webhook success rate', hint: '2xx answers, last hour' },
] as const;

export function systemPage(d: { csrfToken: string; figures: SystemFigures; liveSessions: number }): string {
  const text = formatFigures(d.figures);
  return consolePage({
    title: 'System',
    section: 'system',
    csrfToken: d.csrfToken,
    scripts: ['system.js'],
    main: html`<h1>System</h1>
<p class="hint">Refreshes by itself every 5 seconds. <span id="figures-updated">Figures from ${new Date(d.figures.at).toISOString().slice(11, 19)} UTC.</span></p>
<div class="figures" id="figures" data-source="/console/system/figures">
${CARDS.map(
  (c) => html`<section class="card figure" aria-labelledby="fig-${c.id}-label">
  <h2 id="fig-${c.id}-label">${c.label}</h2>
  <p class="figure-value" id="fig-${c.id}">${text[c.id]}</p>
  <p class="hint">${c.hint}</p>
  <svg class="spark" id="spark-${c.id}" viewBox="0 0 200 40" preserveAspectRatio="none" role="img" aria-label="${c.label} over time"><polyline points="" class="spark-line"></polyline></svg>
</section>`,
)}
</div>
<p class="hint">Request figures are collected in this process (behind a small interface a Prometheus <code>/metrics</code> can feed); the others are read from the database.</p>
<section class="card" aria-labelledby="sessions-label">
  <h2 id="sessions-label">Console sessions</h2>
  <p><span id="live-sessions">${d.liveSessions}</span> signed in (yours included). Sessions end after ${SESSION_IDLE_S / 3600} hours idle or ${SESSION_TTL_S / 3600} hours, and when the admin key or operator password they were made with changes.</p>
  ${actionButton('/console/sign-out-everywhere', 'Sign out everywhere', d.csrfToken, {
    confirm: 'End every console session, yours included?',
    secondary: true,
  })}
</section>`,
  });
}
