// The email outbox, as the operator reads it: every email the server wrote, sent or not.
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { isUuid } from '../../../domain/clock.js';
import { NotFoundError } from '../../../errors.js';
import { EpochSeconds, Nullable, PaginatedOf, PaginationQuery, Uuid, standardErrors } from '../../schemas/common.js';

export const Email = Type.Object({
  id: Uuid,
  company_id: Nullable(Uuid),
  to: Type.String(),
  subject: Type.String(),
  kind: Type.String({ description: 'invitation, password_reset, merge_request, go2scan_invitation, …' }),
  text: Type.String(),
  html: Type.String(),
  created_at: EpochSeconds,
  sent_at: Nullable(EpochSeconds, { description: 'null while the email is only in the outbox' }),
  attempts: Type.Integer({ description: 'failed SMTP attempts so far' }),
  last_error: Nullable(Type.String()),
});

export const adminEmailsRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'emails'> }> = async (app, { services }) => {
  app.get(
    '/emails',
    {
      schema: {
        tags: ['Operator'],
        summary: 'List the email outbox, newest first',
        description: 'Emails are kept CASA_EMAIL_RETENTION_DAYS (30) days, sent or not; the worker deletes older ones every hour.',
        querystring: Type.Object({
          ...PaginationQuery,
          to: Type.Optional(Type.String({ maxLength: 254, description: 'recipient address, any case' })),
          company_id: Type.Optional(Uuid),
          kind: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 200: PaginatedOf(Email), ...standardErrors },
      },
    },
    async (request) => {
      const { limit = 20, offset = 0, to, company_id, kind } = request.query;
      return services.emails.list({ limit, offset }, { to, companyId: company_id, kind });
    },
  );

  app.get(
    '/emails/:email_id',
    {
      schema: {
        tags: ['Operator'],
        summary: 'Get one email of the outbox',
        params: Type.Object({ email_id: Type.String() }),
        response: { 200: Email, ...standardErrors },
      },
    },
    async (request) => {
      if (!isUuid(request.params.email_id)) throw new NotFoundError('Email not found.');
      return services.emails.get(request.params.email_id);
    },
  );
};
