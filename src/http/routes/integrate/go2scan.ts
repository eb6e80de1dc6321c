import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { standardErrors } from '../../schemas/common.js';
import { Go2scanBody, Order } from './order-schemas.js';

export const go2scanRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'go2scan' | 'orders'> }> = async (app, { services }) => {
  app.post(
    '/orders/go2scan',
    {
      config: { answerHoldsSecret: true },
      schema: {
        operationId: 'createGo2scanOrder',
        tags: ['GoToScan Orders'],
        summary: 'Create a GoToScan order',
        description:
          'A New order with a single-use link (valid 30 days) for the homeowner to upload a scan; `customer.email` gets an invitation unless `send_invitation` is false. The link (`info.go2scan.link`) appears only in this answer, and in its replay for an `Idempotency-Key` sent with the same API key.',
        body: Go2scanBody,
        response: { 200: Order, ...standardErrors },
      },
    },
    async (request) => {
      const { order, link } = await services.go2scan.create(
        { companyId: request.auth.companyId, userEmail: request.auth.userEmail },
        request.body,
      );
      return services.orders.view(order, link);
    },
  );
};
