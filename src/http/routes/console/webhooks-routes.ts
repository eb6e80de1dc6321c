// Webhook deliveries: the log with filters, one delivery, replay.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isUuid } from '../../../domain/clock.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../services/webhooks/delivery-status.js';
import { ConflictError } from '../../../errors.js';
import type { Services } from '../../../services/index.js';
import { errorResponse } from '../../error-handler.js';
import { deliveryPage, webhooksPage, type WebhooksQuery } from '../../../web/console/pages/webhooks-page.js';
import { csrf, sendConsoleHtml } from './console-session.js';
import { doneMessage, offsetOf, type ConsoleContext } from './context.js';

const PAGE = 50;
type DeliveryParams = { Params: { delivery_id: string } };

export const consoleWebhooksRoutes: FastifyPluginAsync<{
  services: Pick<Services, 'webhooks'>;
  console: ConsoleContext['console'];
}> = async (app, { services, console }) => {
  app.get('/webhooks', async (request, reply) => {
    const raw = request.query as Record<string, unknown>;
    const query: WebhooksQuery = {};
    if (typeof raw.company_id === 'string' && isUuid(raw.company_id)) query.company_id = raw.company_id;
    if (typeof raw.order_id === 'string' && raw.order_id.trim() !== '') query.order_id = raw.order_id.trim().slice(0, 100);
    if (typeof raw.status === 'string' && (DELIVERY_STATUSES as readonly string[]).includes(raw.status)) query.status = raw.status;
    const offset = offsetOf(raw.offset);
    const [list, companies] = await Promise.all([
      services.webhooks.listDeliveries(
        { limit: PAGE, offset },
        { companyId: query.company_id, orderId: query.order_id, status: query.status as DeliveryStatus | undefined },
      ),
      console.companyChoices(),
    ]);
    const names = await console.companyNames(list.items.map((d) => d.company_id));
    return sendConsoleHtml(
      reply,
      webhooksPage({ csrfToken: csrf(request, reply), query, offset, items: list.items, pagination: list.pagination, companies, names }),
    );
  });

  async function show(request: FastifyRequest<DeliveryParams>, reply: FastifyReply, error?: string, status = 200) {
    const delivery = await services.webhooks.getDelivery(request.params.delivery_id);
    const names = await console.companyNames([delivery.company_id]);
    const notice = error ? null : doneMessage((request.query as { done?: string }).done);
    return sendConsoleHtml(
      reply,
      deliveryPage({
        csrfToken: csrf(request, reply),
        delivery,
        companyName: names.get(delivery.company_id) ?? null,
        notice,
        error: error ?? null,
      }),
      status,
    );
  }

  app.get<DeliveryParams>('/webhooks/:delivery_id', async (request, reply) => show(request, reply));

  app.post<DeliveryParams>('/webhooks/:delivery_id/replay', async (request, reply) => {
    try {
      await services.webhooks.replay(request.params.delivery_id);
    } catch (err) {
      if (err instanceof ConflictError) return show(request, reply, err.message, errorResponse(err).status);
      throw err;
    }
    return reply.redirect(`/console/webhooks/${request.params.delivery_id}?done=replayed`, 303);
  });
};
