// The 3D viewer behind `floorplans_3d.viewer_url`: the order's glTF in <model-viewer> (three.js
// inside), served from this origin; orbit with mouse, touch or the arrow keys, zoom with + and −.
// A level picker shows the whole house or one level: plain links (`?floor=floor-2`, which also
// work without script) that /assets/viewer.js turns into a swap of the model's source, that level's
// own glTF. The viewer frames whatever it loads (camera-orbit's radius and camera-target are auto)
// and keeps the angle the visitor turned to.
import { html } from '../html.js';
import { page, VENDOR_PREFIX } from '../layout.js';
import type { ViewerView } from '../../services/web-pages/web-pages-service.js';

export function viewerPage(v: ViewerView, opts: { unbranded: boolean; floor?: string }): string {
  const active = v.floors.find((f) => f.slug === opts.floor);
  const query = opts.unbranded ? '?unbranded=1' : '';
  const model = `/tour/${v.orderId}/model.glb`;
  const levels = [
    { slug: '', name: 'All floors', href: `/tour/${v.orderId}/3d${query}`, src: model, alt: `3D model of the floor plan of ${v.address}` },
    ...v.floors.map((f) => ({
      slug: f.slug,
      name: f.name,
      href: `?${opts.unbranded ? 'unbranded=1&' : ''}floor=${f.slug}`,
      src: `${model}?floor=${f.slug}`,
      alt: `3D model of ${f.name} of ${v.address}`,
    })),
  ];
  const shown = levels.find((l) => l.slug === (active?.slug ?? ''))!;
  return page({
    title: `3D model: ${v.address}`,
    wide: true,
    scripts: ['viewer.js'],
    modules: [`${VENDOR_PREFIX}model-viewer/model-viewer.min.js`],
    main: html`<h1>3D model of ${v.address}</h1>
${
  v.floors.length > 1
    ? html`<nav class="floor-switcher" aria-label="Levels"><ul>
  ${levels.map(
    (l) =>
      html`<li><a href="${l.href}" data-floor="${l.slug}" data-src="${l.src}" data-alt="${l.alt}"${l === shown ? html` aria-current="page"` : ''}>${l.name}</a></li>`,
  )}
</ul></nav>`
    : ''
}
<p id="viewer-help" class="hint">Drag or use the arrow keys to turn the model; scroll, pinch or + and − to zoom.</p>
<model-viewer id="model" src="${shown.src}" alt="${shown.alt}"
  camera-controls interaction-prompt="none" disable-tap tone-mapping="neutral" shadow-intensity="0"
  camera-orbit="30deg 40deg auto" camera-target="auto auto auto" aria-describedby="viewer-help"></model-viewer>
<p id="viewer-level" class="hint" role="status">Showing ${shown.slug ? shown.name : 'all floors'}.</p>
<p><a href="/tour/${v.orderId}${query}">Back to the floor plans</a></p>`,
  });
}
