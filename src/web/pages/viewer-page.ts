// The 3D viewer behind `floorplans_3d.viewer_url`: the order's glTF in <model-viewer> (three.js
// inside), served from this origin; orbit with mouse, touch or the arrow keys, zoom with + and −.
import { html } from '../html.js';
import { page, VENDOR_PREFIX } from '../layout.js';

export function viewerPage(v: { orderId: string; address: string }, opts: { unbranded: boolean }): string {
  const query = opts.unbranded ? '?unbranded=1' : '';
  return page({
    title: `3D model: ${v.address}`,
    wide: true,
    modules: [`${VENDOR_PREFIX}model-viewer/model-viewer.min.js`],
    main: html`<h1>3D model of ${v.address}</h1>
<p id="viewer-help" class="hint">Drag or use the arrow keys to turn the model; scroll, pinch or + and − to zoom.</p>
<model-viewer id="model" src="/tour/${v.orderId}/model.glb" alt="3D model of the floor plan of ${v.address}"
  camera-controls interaction-prompt="none" disable-tap tone-mapping="neutral" shadow-intensity="0"
  camera-orbit="30deg 55deg auto" aria-describedby="viewer-help"></model-viewer>
<p><a href="/tour/${v.orderId}${query}">Back to the floor plans</a></p>`,
  });
}
