// The floor-plan tour of a delivered order: one section per floor (the plan drawn inline, its rooms
// and areas), a floor switcher that also works as plain links, zoom and pan by /assets/tour.js.
import { html, trusted } from '../html.js';
import { page } from '../layout.js';
import type { TourFloor, TourView } from '../../services/web-pages/web-pages-service.js';

/** The renderer's SVG document as an inline, accessible image (its <title> names it). */
function inlineSvg(floor: TourFloor): string {
  return floor.svg
    .replace(/^<\?xml[^>]*\?>\s*/, '')
    .replace('<svg ', `<svg class="plan-svg" role="img" aria-labelledby="plan-title-${floor.slug}" `)
    .replace('<title>', `<title id="plan-title-${floor.slug}">`);
}

export function tourPage(t: TourView, opts: { unbranded: boolean; floor?: string }): string {
  const active = t.floors.find((f) => f.slug === opts.floor) ?? t.floors[0]!;
  const query = opts.unbranded ? '?unbranded=1' : '';
  const floorHref = (f: TourFloor) => `?${opts.unbranded ? 'unbranded=1&' : ''}floor=${f.slug}`;
  return page({
    title: `Floor plan: ${t.address}`,
    wide: true,
    scripts: ['tour.js'],
    main: html`<header class="tour-header">
  <h1>${t.address}</h1>
  <p class="total">Total area ${t.totalArea}</p>
  ${t.companyName ? html`<p class="brand" id="tour-brand">Presented by <strong>${t.companyName}</strong></p>` : ''}
  ${t.contact ? html`<p class="contact" id="tour-contact">Contact: ${t.contact.name ? `${t.contact.name}, ` : ''}<a href="mailto:${t.contact.email}">${t.contact.email}</a></p>` : ''}
</header>
${
  t.floors.length > 1
    ? html`<nav class="floor-switcher" aria-label="Floors"><ul>
  ${t.floors.map((f) => html`<li><a href="${floorHref(f)}" data-floor="${f.slug}"${f === active ? html` aria-current="page"` : ''}>${f.name}</a></li>`)}
</ul></nav>`
    : ''
}
${t.floors.map(
  (
    f,
  ) => html`<section class="floor" id="${f.slug}" data-floor="${f.slug}" aria-labelledby="${f.slug}-heading"${f === active ? '' : html` hidden`}>
  <h2 id="${f.slug}-heading">${f.name} <span class="area">${f.area}</span></h2>
  <div class="plan-tools" role="group" aria-label="Zoom ${f.name}">
    <button type="button" data-zoom="in">Zoom in</button>
    <button type="button" data-zoom="out">Zoom out</button>
    <button type="button" data-zoom="reset">Reset view</button>
  </div>
  <div class="plan-viewport" tabindex="0" aria-describedby="plan-help">
    <div class="plan-canvas">${trusted(inlineSvg(f))}</div>
  </div>
  <table class="rooms">
    <caption>Rooms on ${f.name}</caption>
    <thead><tr><th scope="col">Room</th><th scope="col">Area</th></tr></thead>
    <tbody>
    ${f.rooms.map((r) => html`<tr><td>${r.name}</td><td>${r.area}</td></tr>`)}
    </tbody>
  </table>
</section>`,
)}
<p id="plan-help" class="hint">On a plan: + and − zoom, arrow keys move, 0 resets; drag to move, scroll or pinch to zoom.</p>
${t.has3d ? html`<p><a class="button-link" href="/tour/${t.orderId}/3d${query}">View the 3D model</a></p>` : ''}`,
  });
}
