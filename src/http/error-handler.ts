// The one mapping from errors to status and body. The JSON API sends the body as it is; the HTML
// pages and the console take the status and message from here and draw their own page.
import type { FastifyError, FastifyInstance } from 'fastify';
import {
  AppError,
  InjectedFaultError,
  RequestValidationError,
  type ErrorKind,
  type ValidationEntry,
  type ValidationPart,
} from '../errors.js';

const STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal: 500,
  bad_gateway: 502,
  unavailable: 503,
  gateway_timeout: 504,
};

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: { message: string } | ReturnType<typeof validationBody>;
  /** What the caller can be told; for a 5xx, a generic sentence rather than the error's own. */
  message: string;
  /** How loud the log line should be: nothing for the caller's mistakes. */
  log: 'none' | 'warn' | 'error';
}

export function validationBody(part: ValidationPart, entries: ValidationEntry[]) {
  return { validation_error: { [part]: entries } };
}

const DATABASE_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  'SQLITE_BUSY',
]);

function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e?.code && DATABASE_DOWN_CODES.has(e.code)) return true;
  // pg's own wording: a connection lost under a query, or a client used again after losing it.
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|is not queryable/i.test(e?.message ?? '');
}

const INVALID_JSON = validationBody('body_params', [{ loc: ['__root__'], msg: 'Invalid JSON body.', type: 'value_error.jsondecode' }]);

function plain(status: number, message: string, log: ErrorResponse['log'] = 'none', headers: Record<string, string> = {}): ErrorResponse {
  return { status, headers, body: { message }, message, log };
}

/** Fastify's own errors about the request itself (content type, size, JSON syntax). */
function requestProblem(err: FastifyError): ErrorResponse | null {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return plain(415, 'Unsupported content type; send application/json.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return plain(413, 'Request body is too large.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': {
      const body = validationBody('body_params', [{ loc: ['__root__'], msg: 'field required', type: 'value_error.missing' }]);
      return { status: 400, headers: {}, body, message: 'field required', log: 'none' };
    }
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, headers: {}, body: INVALID_JSON, message: 'Invalid JSON body.', log: 'none' };
    default:
      break;
  }
  if (err instanceof SyntaxError && err.statusCode === 400) {
    return { status: 400, headers: {}, body: INVALID_JSON, message: 'Invalid JSON body.', log: 'none' };
  }
  return null;
}

export function errorResponse(err: FastifyError | Error): ErrorResponse {
  if (err instanceof RequestValidationError) {
    return { status: 400, headers: {}, body: validationBody(err.part, err.entries), message: err.message, log: 'none' };
  }
  if (err instanceof AppError) {
    const headers: Record<string, string> = err.retryAfterS === null ? {} : { 'retry-after': String(err.retryAfterS) };
    if (err instanceof InjectedFaultError) headers['x-casa-injected'] = err.ruleId;
    return plain(STATUS[err.kind], err.message, 'none', headers);
  }
  const fastifyError = err as FastifyError;
  const known = requestProblem(fastifyError);
  if (known) return known;
  if (fastifyError.statusCode === 429) return plain(429, 'Too many requests; slow down and retry later.');
  if (isDatabaseUnavailable(err)) return plain(503, 'The database is unavailable; retry shortly.', 'warn', { 'retry-after': '5' });
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return plain(fastifyError.statusCode, err.message);
  }
  return plain(500, 'Internal server error.', 'error');
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const answer = errorResponse(err);
    if (answer.log === 'warn') request.log.warn({ err: { code: err.code, message: err.message } }, 'database unavailable');
    if (answer.log === 'error') request.log.error({ err }, 'unhandled error');
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });

  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send({ message: 'Not found.' });
  });
}
