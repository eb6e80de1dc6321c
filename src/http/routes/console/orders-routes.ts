// Orders: the table, one order, and the lifecycle buttons (through the operator services).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { FloorPlanModelBody } from '../admin/models.js';
import { validatorCompiler } from '../../validation.js';
import { AppError, RequestValidationError } from '../../../errors.js';
import { errorResponse } from '../../error-handler.js';
import type { FloorPlanModel } from '../../../render/model.js';
import type { OrdersQuery } from '../../../services/console/console-service.js';
import { ORDERS_PAGE_SIZE, orderPage, ordersPage } from '../../../web/console/pages/orders-page.js';
import { csrf, sendConsoleHtml } from './console-session.js';
import { problemText } from './companies-routes.js';
import type { Services } from '../../../services/index.js';
import { doneMessage, field, offsetOf, type ConsoleContext, type Form } from './context.js';

const validateModel = validatorCompiler({ schema: FloorPlanModelBody, httpPart: 'body', method: 'POST', url: '/console/orders/model' });
const QUERY_KEYS = ['company_id', 'status', 'external_id', 'owner_email', 'created_from', 'created_to'] as const;

type OrderParams = { Params: { order_id: string } };
const ACTIONS = ['scan', 'deliver', 'fail', 'hold', 'unhold'] as const;

export const consoleOrdersRoutes: FastifyPluginAsync<{
  services: Pick<Services, 'orderOperator' | 'deliverables'>;
  console: ConsoleContext['console'];
  publicUrl: string;
}> = async (app, { services, console, publicUrl }) => {
  app.get('/orders', async (request, reply) => {
    const raw = request.query as Record<string, unknown>;
    const query: OrdersQuery = {};
    for (const k of QUERY_KEYS) if (typeof raw[k] === 'string' && raw[k] !== '') query[k] = (raw[k] as string).slice(0, 254);
    const offset = offsetOf(raw.offset);
    const [result, companies] = await Promise.all([console.orders(query, { limit: ORDERS_PAGE_SIZE, offset }), console.companyChoices()]);
    return sendConsoleHtml(reply, ordersPage({ csrfToken: csrf(request, reply), query, offset, companies, ...result }));
  });

  async function show(
    request: FastifyRequest<OrderParams>,
    reply: FastifyReply,
    extra: { error?: string; modelText?: string } = {},
    status = 200,
  ) {
    const data = await console.order(request.params.order_id);
    const notice = extra.error ? null : doneMessage((request.query as { done?: string }).done);
    return sendConsoleHtml(reply, orderPage({ ...data, csrfToken: csrf(request, reply), publicUrl, notice, ...extra }), status);
  }

  app.get<OrderParams>('/orders/:order_id', async (request, reply) => show(request, reply));

  const ops = services.orderOperator;
  const run: Record<(typeof ACTIONS)[number], (id: string) => Promise<unknown>> = {
    scan: (id) => ops.scan(id, {}),
    deliver: (id) => ops.deliver(id),
    fail: (id) => ops.fail(id),
    hold: (id) => ops.hold(id, true),
    unhold: (id) => ops.hold(id, false),
  };
  for (const action of ACTIONS) {
    app.post<OrderParams>(`/orders/:order_id/${action}`, async (request, reply) => {
      try {
        await run[action](request.params.order_id);
      } catch (err) {
        // A refused transition (409) is shown on the order page; an unknown order is a 404 page.
        const status = errorResponse(err as Error).status;
        if (err instanceof AppError && status < 500 && status !== 404) return show(request, reply, { error: err.message }, status);
        throw err;
      }
      return reply.redirect(`/console/orders/${request.params.order_id}?done=${action}`, 303);
    });
  }

  app.post<OrderParams & { Body: Form }>('/orders/:order_id/model', async (request, reply) => {
    const text = field(request.body, 'model');
    let model: unknown;
    try {
      model = JSON.parse(text);
    } catch {
      return show(request, reply, { error: 'The model is not valid JSON.', modelText: text }, 400);
    }
    const checked = validateModel(model) as { error?: RequestValidationError };
    if (checked.error)
      return show(request, reply, { error: `The model was not accepted. ${problemText(checked.error)}`, modelText: text }, 400);
    try {
      await services.deliverables.uploadModel(request.params.order_id, model as FloorPlanModel);
    } catch (err) {
      if (err instanceof RequestValidationError)
        return show(request, reply, { error: `The model was not accepted. ${problemText(err)}`, modelText: text }, 400);
      throw err;
    }
    return reply.redirect(`/console/orders/${request.params.order_id}?done=model`, 303);
  });
};
