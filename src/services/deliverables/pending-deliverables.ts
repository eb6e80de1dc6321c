// The Deliverables used until rendering is wired in: produces nothing, shows every bought
// product with empty lists, and has no combined PDF (so that endpoint answers 409).
import { undeliveredAssets, type Deliverables } from './deliverables-port.js';

export function pendingDeliverables(): Deliverables {
  return {
    async produce() {},
    async deliveryAssets(order) {
      return undeliveredAssets(order);
    },
    async combinedPdf() {
      return null;
    },
  };
}
