// A company's sandbox settings: the form, saving it (PUT …/sandbox's schema, then the same
// service), clearing it (DELETE) and "deliver everything due now".
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { defaultSandboxSettings, type SandboxSettings } from '../../../domain/sandbox-settings.js';
import { RequestValidationError, type ValidationEntry } from '../../../errors.js';
import type { Services } from '../../../services/index.js';
import { sandboxPage } from '../../../web/console/pages/sandbox-page.js';
import { sandboxDocumentProblems } from '../admin/sandbox.js';
import { csrf, sendConsoleHtml } from './console-session.js';
import { doneMessage, problemLine, type Form } from './context.js';
import { documentOfForm, fieldOfProblem, formOfBody, formOfSettings, type SandboxField, type SandboxFormValues } from './sandbox-form.js';

type CompanyParams = { Params: { company_id: string } };

const isDefault = (s: SandboxSettings) => JSON.stringify(s) === JSON.stringify(defaultSandboxSettings());

export const consoleSandboxRoutes: FastifyPluginAsync<{ services: Pick<Services, 'company' | 'sandbox'> }> = async (app, { services }) => {
  async function show(
    request: FastifyRequest<CompanyParams>,
    reply: FastifyReply,
    extra: { values?: SandboxFormValues; problems?: ValidationEntry[]; notice?: string } = {},
    status = 200,
  ) {
    const id = request.params.company_id;
    const [company, settings] = await Promise.all([services.company.info(id), services.sandbox.get(id)]);
    const problems = new Map<SandboxField | null, string[]>();
    for (const e of extra.problems ?? []) {
      const f = fieldOfProblem(e.loc);
      problems.set(f, [...(problems.get(f) ?? []), problemLine(e)]);
    }
    return sendConsoleHtml(
      reply,
      sandboxPage({
        csrfToken: csrf(request, reply),
        company: { id: company.id, name: company.name },
        values: extra.values ?? formOfSettings(settings),
        problems,
        off: isDefault(settings),
        notice: extra.notice ?? (extra.problems ? null : doneMessage((request.query as { done?: string }).done)),
      }),
      status,
    );
  }

  app.get<CompanyParams>('/companies/:company_id/sandbox', async (request, reply) => show(request, reply));

  app.post<CompanyParams & { Body: Form }>('/companies/:company_id/sandbox', async (request, reply) => {
    const id = request.params.company_id;
    const values = formOfBody(request.body);
    const { document, problems } = documentOfForm(values);
    const refused = [...problems, ...(sandboxDocumentProblems(document)?.entries ?? [])];
    // An unknown company is the 404 page whatever the form held: show() reads it first.
    if (refused.length) return show(request, reply, { values, problems: refused }, 400);
    try {
      await services.sandbox.put(id, document as Partial<SandboxSettings>);
    } catch (err) {
      if (err instanceof RequestValidationError) return show(request, reply, { values, problems: err.entries }, 400);
      throw err;
    }
    return reply.redirect(`/console/companies/${id}/sandbox?done=sandbox_saved`, 303);
  });

  app.post<CompanyParams>('/companies/:company_id/sandbox/clear', async (request, reply) => {
    await services.sandbox.clear(request.params.company_id);
    return reply.redirect(`/console/companies/${request.params.company_id}/sandbox?done=sandbox_cleared`, 303);
  });

  // Shown at once (not redirected) with what was moved, as a new api key is: repeating it is harmless.
  app.post<CompanyParams>('/companies/:company_id/sandbox/deliver-now', async (request, reply) => {
    const moved = await services.sandbox.deliverDueNow(request.params.company_id);
    const notice =
      `Due now: ${moved.orders} ${moved.orders === 1 ? 'order' : 'orders'} waiting for production and ` +
      `${moved.webhook_deliveries} webhook ${moved.webhook_deliveries === 1 ? 'delivery' : 'deliveries'}; ` +
      'the workers deliver them at their next round.';
    return show(request, reply, { notice });
  });
};
