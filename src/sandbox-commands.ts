// `casa-integrate sandbox show|set|clear --company ID` and `casa-integrate requests --company ID
// [--follow]`: a company's sandbox document and request log from the command line, through the
// same services (and, for `set`, the same validation) as the operator API.
import fs from 'node:fs';
import { sandboxDocumentProblems } from './http/routes/admin/sandbox.js';
import { RequestValidationError } from './errors.js';
import type { SandboxSettings } from './domain/sandbox-settings.js';
import type { Services } from './services/index.js';
import type { RequestLogView } from './services/request-log/request-log-service.js';

export class DocumentError extends Error {}

/** A refused document as one line per problem, each named by its field's path. */
const problemsOf = (err: RequestValidationError) => new DocumentError(err.entries.map((e) => `${e.loc.join('.')}: ${e.msg}`).join('\n'));

/** The settings document read from FILE, or from standard input when FILE is absent or `-`. */
export function readSandboxDocument(file: string | undefined): Partial<SandboxSettings> {
  const text = file === undefined || file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new DocumentError(`the sandbox document is not JSON: ${(err as Error).message}`);
  }
  const problems = sandboxDocumentProblems(parsed);
  if (problems) throw problemsOf(problems);
  return parsed as Partial<SandboxSettings>;
}

/** `sandbox set` turns the service's refusal (rules the schema cannot say) into the same lines. */
export async function putSandbox(services: Pick<Services, 'sandbox'>, companyId: string, doc: Partial<SandboxSettings>) {
  try {
    return await services.sandbox.put(companyId, doc);
  } catch (err) {
    if (err instanceof RequestValidationError) throw problemsOf(err);
    throw err;
  }
}

/** One request as one line: time, method, path and query, status, duration, request id, and what else it had. */
export function requestLine(e: RequestLogView): string {
  const parts = [
    new Date(e.at * 1000).toISOString(),
    e.method.padEnd(6),
    `${e.path}${e.query ? `?${e.query}` : ''}`,
    e.status === null ? 'closed' : String(e.status),
    `${e.duration_ms.toFixed(1)}ms`,
    `request_id=${e.request_id}`,
  ];
  if (e.idempotency_key) parts.push(`idempotency_key=${e.idempotency_key}`);
  if (e.injected_rule) parts.push(`injected=${e.injected_rule}`);
  return parts.join('  ');
}

/**
 * Prints the company's last `limit` requests, oldest first; with `follow`, then every new one as it
 * is written, until `stop` resolves (Ctrl-C).
 */
export async function printRequests(
  services: Pick<Services, 'requestLog'>,
  companyId: string,
  opts: { limit: number; follow: boolean; out: (line: string) => void; stop: Promise<void>; pollMs?: number },
): Promise<void> {
  let { items, lastSeq } = await services.requestLog.follow(companyId, null, opts.limit);
  for (const e of items) opts.out(requestLine(e));
  if (!opts.follow) return;
  let stopped = false;
  void opts.stop.then(() => (stopped = true));
  while (!stopped) {
    await Promise.race([new Promise((r) => setTimeout(r, opts.pollMs ?? 500)), opts.stop]);
    if (stopped) break;
    ({ items, lastSeq } = await services.requestLog.follow(companyId, lastSeq ?? 0));
    for (const e of items) opts.out(requestLine(e));
  }
}
