// `GET /go2scan/{token}`: the homeowner's upload page. The upload itself goes to the orders area's
// `POST /go2scan/{token}/upload`; used, expired and unknown links answer their own page.
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../../errors.js';
import { errorResponse } from '../../error-handler.js';
import { go2scanPage } from '../../../web/pages/go2scan-page.js';
import type { WebPagesService } from '../../../services/web-pages/web-pages-service.js';
import { noStore, sendNotice, sendPage } from './pages.js';

export const go2scanPageRoutes: FastifyPluginAsync<{ pages: WebPagesService }> = async (app, { pages }) => {
  app.get<{ Params: { token: string } }>('/go2scan/:token', { schema: { hide: true } }, async (request, reply) => {
    noStore(reply);
    const { token } = request.params;
    try {
      const data = await pages.go2scanPage(token);
      return sendPage(reply, go2scanPage({ token, ...data }));
    } catch (err) {
      if (!(err instanceof AppError) || (err.kind !== 'not_found' && err.kind !== 'gone')) throw err;
      const title = err.kind === 'not_found' ? 'This link is not valid' : 'This link can no longer be used';
      return sendNotice(reply, errorResponse(err).status, title, `${err.message} Ask the company that sent it for a new link.`);
    }
  });
};
