// The email outbox: list, one email, and its HTML on its own (shown in a sandboxed frame).
import type { FastifyPluginAsync } from 'fastify';
import { isUuid } from '../../../domain/clock.js';
import { NotFoundError } from '../../../errors.js';
import { escapeHtml } from '../../../web/html.js';
import { emailPage, emailsPage } from '../../../web/console/pages/emails-page.js';
import { csrf, sendConsoleHtml } from './console-session.js';
import type { Services } from '../../../services/index.js';
import { offsetOf } from './context.js';

const PAGE = 50;
type EmailParams = { Params: { email_id: string } };

export const consoleEmailsRoutes: FastifyPluginAsync<{ services: Pick<Services, 'emails'>; publicUrl: string }> = async (
  app,
  { services, publicUrl },
) => {
  const emailById = (id: string) => {
    if (!isUuid(id)) throw new NotFoundError('Email not found.');
    return services.emails.get(id);
  };

  app.get('/emails', async (request, reply) => {
    const raw = request.query as Record<string, unknown>;
    const query: { to?: string; kind?: string } = {};
    if (typeof raw.to === 'string' && raw.to.trim()) query.to = raw.to.trim().slice(0, 254);
    if (typeof raw.kind === 'string' && raw.kind.trim()) query.kind = raw.kind.trim().slice(0, 64);
    const offset = offsetOf(raw.offset);
    const list = await services.emails.list({ limit: PAGE, offset }, query);
    return sendConsoleHtml(
      reply,
      emailsPage({ csrfToken: csrf(request, reply), query, offset, items: list.items, pagination: list.pagination }),
    );
  });

  app.get<EmailParams>('/emails/:email_id', async (request, reply) => {
    const email = await emailById(request.params.email_id);
    return sendConsoleHtml(reply, emailPage({ csrfToken: csrf(request, reply), email, publicUrl }));
  });

  // The email's own markup, framed by the console only: no script, no requests, links open outside the frame.
  app.get<EmailParams>('/emails/:email_id/html', async (request, reply) => {
    const email = await emailById(request.params.email_id);
    return reply
      .header(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox",
      )
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><base target="_blank"><title>${escapeHtml(email.subject)}</title></head><body>${email.html}</body></html>`,
      );
  });
};
