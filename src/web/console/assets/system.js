// System page: fetches the figures every 5 seconds and draws each one's recent history as a line.
/* global document, window */
const root = document.getElementById('figures');
const HISTORY = 60;
const history = { queue: [], backlog: [], success: [] };

function format(f) {
  return {
    rate: `${f.requests.ratePerS.toFixed(2)} req/s`,
    p99: f.requests.p99Ms === null ? '—' : `${f.requests.p99Ms.toFixed(1)} ms`,
    queue: String(f.queueDepth.production + f.queueDepth.webhookDeliveries),
    backlog: String(f.productionBacklog),
    success: f.webhookSuccess.rate === null ? '—' : `${(f.webhookSuccess.rate * 100).toFixed(1)} %`,
  };
}

function draw(id, values) {
  const line = document.querySelector(`#spark-${id} polyline`);
  if (!line) return;
  const numbers = values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0));
  // One reading is a level line, not a dot.
  if (numbers.length === 1) numbers.push(numbers[0]);
  const max = Math.max(1e-9, ...numbers);
  const step = numbers.length > 1 ? 200 / (numbers.length - 1) : 0;
  line.setAttribute('points', numbers.map((v, i) => `${(i * step).toFixed(1)},${(38 - (v / max) * 36).toFixed(1)}`).join(' '));
}

function push(list, value) {
  list.push(value);
  while (list.length > HISTORY) list.shift();
}

function show(f) {
  const text = format(f);
  for (const [id, value] of Object.entries(text)) {
    const el = document.getElementById(`fig-${id}`);
    if (el && el.textContent !== value) el.textContent = value;
  }
  push(history.queue, f.queueDepth.production + f.queueDepth.webhookDeliveries);
  push(history.backlog, f.productionBacklog);
  push(history.success, f.webhookSuccess.rate === null ? 0 : f.webhookSuccess.rate * 100);
  draw(
    'rate',
    f.requests.series.map((p) => p.ratePerS),
  );
  draw(
    'p99',
    f.requests.series.map((p) => p.p99Ms),
  );
  draw('queue', history.queue);
  draw('backlog', history.backlog);
  draw('success', history.success);
  const updated = document.getElementById('figures-updated');
  if (updated) updated.textContent = `Figures from ${new Date(f.at).toISOString().slice(11, 19)} UTC.`;
}

// Once the page is being left (a Sign out form sent, a link followed), a refresh answered 401 must
// not start a navigation of its own: it would replace the one under way.
let leaving = false;
window.addEventListener('beforeunload', () => {
  leaving = true;
});

async function refresh() {
  try {
    const res = await fetch(root.dataset.source, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
    if (res.status === 401) {
      if (leaving) return;
      window.location.assign('/console/sign-in');
      return;
    }
    if (res.ok) show(await res.json());
  } catch {
    // The next round tries again.
  }
}

if (root) {
  refresh();
  setInterval(refresh, 5000);
}
