// `GET /tour/{order_id}` (`?unbranded=1` for MLS compliance), the 3D viewer `GET /tour/{order_id}/3d`
// (`?floor=floor-2`: one level) and the model it loads, `GET /tour/{order_id}/model.glb` (`?floor=`:
// that level alone). Only delivered orders; otherwise 404.
import type { FastifyPluginAsync } from 'fastify';
import { tourPage } from '../../../web/pages/tour-page.js';
import { viewerPage } from '../../../web/pages/viewer-page.js';
import type { WebPagesService } from '../../../services/web-pages/web-pages-service.js';
import { sendPage } from './pages.js';
import { cspHeader, VIEWER_CONTENT_SECURITY_POLICY } from './csp.js';

type TourRequest = { Params: { order_id: string }; Querystring: { unbranded?: string; floor?: string } };

const isUnbranded = (value: string | undefined) => value !== undefined && value !== '0' && value !== 'false';

export const tourPageRoutes: FastifyPluginAsync<{ pages: WebPagesService }> = async (app, { pages }) => {
  app.get<TourRequest>('/tour/:order_id', { schema: { hide: true } }, async (request, reply) => {
    const unbranded = isUnbranded(request.query.unbranded);
    const tour = await pages.tour(request.params.order_id, unbranded);
    return sendPage(
      reply,
      tourPage(tour, { unbranded, ...(typeof request.query.floor === 'string' ? { floor: request.query.floor } : {}) }),
    );
  });

  app.get<TourRequest>('/tour/:order_id/3d', { schema: { hide: true } }, async (request, reply) => {
    const viewer = await pages.viewer(request.params.order_id);
    reply.header('content-security-policy', cspHeader(VIEWER_CONTENT_SECURITY_POLICY));
    return sendPage(
      reply,
      viewerPage(viewer, {
        unbranded: isUnbranded(request.query.unbranded),
        ...(typeof request.query.floor === 'string' ? { floor: request.query.floor } : {}),
      }),
    );
  });

  app.get<TourRequest>('/tour/:order_id/model.glb', { schema: { hide: true } }, async (request, reply) => {
    const floor = typeof request.query.floor === 'string' ? request.query.floor : undefined;
    const glb = await pages.modelGlb(request.params.order_id, floor);
    return reply.type('model/gltf-binary').header('cache-control', 'private, max-age=300').send(glb);
  });
};
