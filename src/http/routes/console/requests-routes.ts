// A company's request log: the search (checked by GET …/requests's own query schema) with its
// pages, and one request with its bodies.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services/index.js';
import { requestPage, requestsPage, type RequestsSearch } from '../../../web/console/pages/requests-page.js';
import { RequestValidationError } from '../../../errors.js';
import { validatorCompiler } from '../../validation.js';
import { RequestLogQuery } from '../admin/requests.js';
import { csrf, sendConsoleHtml } from './console-session.js';
import { offsetOf } from './context.js';

const PAGE = 50;
const SEARCH_KEYS = ['status', 'method', 'path', 'since', 'request_id'] as const;
const validateQuery = validatorCompiler({
  schema: RequestLogQuery,
  httpPart: 'querystring',
  method: 'GET',
  url: '/admin/v1/companies/:company_id/requests',
}) as (data: unknown) => { error?: Error };

type CompanyParams = { Params: { company_id: string } };

/**
 * `since` as the form's datetime-local sends it (read as UTC), or epoch seconds, as the API's
 * `since` takes it; undefined when it is neither.
 */
function epochSecondsOf(since: string): number | undefined {
  if (/^\d{1,12}(\.\d+)?$/.test(since)) return Number(since);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(since)) return undefined;
  const ms = Date.parse(`${since}Z`);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

export const consoleRequestsRoutes: FastifyPluginAsync<{ services: Pick<Services, 'company' | 'requestLog'> }> = async (
  app,
  { services },
) => {
  app.get<CompanyParams>('/companies/:company_id/requests', async (request, reply) => {
    const id = request.params.company_id;
    const raw = request.query as Record<string, unknown>;
    const search: RequestsSearch = {};
    for (const k of SEARCH_KEYS) if (typeof raw[k] === 'string' && raw[k].trim() !== '') search[k] = raw[k].trim().slice(0, 300);
    const offset = offsetOf(raw.offset);

    const problems = new Map<string, string>();
    const query: Record<string, unknown> = { ...search };
    if (search.since !== undefined) {
      query.since = epochSecondsOf(search.since);
      if (query.since === undefined) problems.set('since', 'not a date and time');
    }
    const { error } = validateQuery(query);
    if (error instanceof RequestValidationError) for (const e of error.entries) problems.set(String(e.loc[0] ?? 'search'), e.msg);

    const company = await services.company.info(id);
    const list = problems.size
      ? null
      : await services.requestLog.list(
          id,
          { limit: PAGE, offset },
          {
            status: search.status,
            method: search.method,
            path: search.path,
            sinceUs: query.since === undefined ? undefined : Math.round((query.since as number) * 1e6),
            requestId: search.request_id,
          },
        );
    return sendConsoleHtml(
      reply,
      requestsPage({
        csrfToken: csrf(request, reply),
        company: { id: company.id, name: company.name },
        search,
        problems,
        offset,
        items: list?.items ?? [],
        pagination: list?.pagination ?? null,
        enabled: services.requestLog.enabled,
      }),
      problems.size ? 400 : 200,
    );
  });

  app.get<{ Params: { company_id: string; request_log_id: string } }>(
    '/companies/:company_id/requests/:request_log_id',
    async (request, reply) => {
      const { company_id: id, request_log_id: entryId } = request.params;
      const [company, entry] = await Promise.all([services.company.info(id), services.requestLog.get(id, entryId)]);
      return sendConsoleHtml(
        reply,
        requestPage({ csrfToken: csrf(request, reply), company: { id: company.id, name: company.name }, entry }),
      );
    },
  );
};
