// Companies: list and search, create, one company, api keys, merge approvals.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { CreateCompanyBody } from '../admin/companies.js';
import { ApproveMergeBody } from '../admin/merge-requests.js';
import type { MergeWebhookChoice } from '../../../domain/merge-webhooks.js';
import { validatorCompiler } from '../../validation.js';
import { AppError, RequestValidationError } from '../../../errors.js';
import { errorResponse } from '../../error-handler.js';
import { companiesPage, companyPage } from '../../../web/console/pages/companies-page.js';
import { csrf, sendConsoleHtml } from './console-session.js';
import type { Services } from '../../../services/index.js';
import { doneMessage, field, offsetOf, problemLine, type ConsoleContext, type Form } from './context.js';

const validateCompany = validatorCompiler({ schema: CreateCompanyBody, httpPart: 'body', method: 'POST', url: '/console/companies' });
const validateApproval = validatorCompiler({
  schema: ApproveMergeBody,
  httpPart: 'body',
  method: 'POST',
  url: '/console/merge-requests/:merge_request_id/approve',
});
const PAGE = 50;

export function problemText(err: RequestValidationError): string {
  return err.entries.map(problemLine).join('; ');
}

export const consoleCompaniesRoutes: FastifyPluginAsync<{
  services: Pick<Services, 'company' | 'apiKeys' | 'mergeRequests'>;
  console: ConsoleContext['console'];
}> = async (app, { services, console }) => {
  async function listPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Partial<Parameters<typeof companiesPage>[0]> = {},
    status = 200,
  ) {
    const q = request.query as { search?: string; offset?: string; done?: string };
    const search = typeof q.search === 'string' ? q.search.slice(0, 200) : '';
    const offset = offsetOf(q.offset);
    const [list, merges] = await Promise.all([
      services.company.list({ limit: PAGE, offset }, search || undefined),
      console.pendingMerges(),
    ]);
    return sendConsoleHtml(
      reply,
      companiesPage({
        csrfToken: csrf(request, reply),
        search,
        offset,
        items: list.items,
        pagination: list.pagination,
        merges,
        notice: doneMessage(q.done),
        ...extra,
      }),
      status,
    );
  }

  app.get('/companies', async (request, reply) => listPage(request, reply));

  app.post<{ Body: Form }>('/companies', async (request, reply) => {
    const input: Record<string, string> = {
      name: field(request.body, 'name').trim(),
      manager_email: field(request.body, 'manager_email').trim(),
    };
    const password = field(request.body, 'manager_password');
    if (password) input.manager_password = password;
    const form = { name: input.name, manager_email: input.manager_email };
    const checked = validateCompany(input) as { error?: RequestValidationError };
    if (checked.error) return listPage(request, reply, { error: `The company was not created. ${problemText(checked.error)}`, form }, 400);
    try {
      const created = await services.company.create(input as { name: string; manager_email: string; manager_password?: string });
      return listPage(request, reply, { created });
    } catch (err) {
      const status = errorResponse(err as Error).status;
      if (err instanceof AppError && status < 500)
        return listPage(request, reply, { error: `The company was not created. ${err.message}`, form }, status);
      throw err;
    }
  });

  async function detail(
    request: FastifyRequest<{ Params: { company_id: string } }>,
    reply: FastifyReply,
    extra: { issuedKey?: string } = {},
  ) {
    const q = request.query as { reveal?: string; done?: string };
    const data = await console.company(request.params.company_id);
    return sendConsoleHtml(
      reply,
      companyPage({ ...data, csrfToken: csrf(request, reply), revealSecret: q.reveal === 'secret', notice: doneMessage(q.done), ...extra }),
    );
  }

  app.get<{ Params: { company_id: string } }>('/companies/:company_id', async (request, reply) => detail(request, reply));

  app.post<{ Params: { company_id: string } }>('/companies/:company_id/api-keys', async (request, reply) => {
    const key = await services.company.issueKey(request.params.company_id);
    return detail(request, reply, { issuedKey: key.api_key });
  });

  app.post<{ Params: { key_id: string }; Body: Form }>('/api-keys/:key_id/revoke', async (request, reply) => {
    await services.apiKeys.revoke(request.params.key_id);
    const companyId = field(request.body, 'company_id');
    return reply.redirect(
      /^[0-9a-f-]{36}$/i.test(companyId) ? `/console/companies/${companyId}?done=revoked#keys` : '/console/companies?done=revoked',
      303,
    );
  });

  app.post<{ Params: { merge_request_id: string }; Body: Form }>('/merge-requests/:merge_request_id/approve', async (request, reply) => {
    // No choice sent (an older page, a script) keeps the target's webhooks, as the API does.
    const choice = field(request.body, 'webhooks');
    const input = choice ? { webhooks: choice } : {};
    const checked = validateApproval(input) as { error?: RequestValidationError };
    if (checked.error) return listPage(request, reply, { error: `The merge was not approved. ${problemText(checked.error)}` }, 400);
    await services.mergeRequests.approve(request.params.merge_request_id, input as { webhooks?: MergeWebhookChoice });
    return reply.redirect('/console/companies?done=merged#merges', 303);
  });
};
