// The error classes services throw, and the one mapping from errors to status and body.
import type { FastifyError, FastifyInstance } from 'fastify';

export interface ValidationEntry {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export type ValidationPart = 'body_params' | 'query_params' | 'path_params';

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class BadRequestError extends AppError {
  constructor(message: string) {
    super(400, message);
  }
}
export class UnauthorizedError extends AppError {
  constructor(message = 'Invalid or missing api-key header.') {
    super(401, message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super(403, message);
  }
}
export class NotFoundError extends AppError {
  constructor(message = 'Not found.') {
    super(404, message);
  }
}
export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, message);
  }
}
export class TooManyRequestsError extends AppError {
  constructor(retryAfterS: number) {
    super(429, 'Too many requests; slow down and retry later.', { 'retry-after': String(Math.max(1, Math.ceil(retryAfterS))) });
  }
}
export class ServiceUnavailableError extends AppError {
  constructor(message = 'The service is temporarily unavailable; retry shortly.') {
    super(503, message, { 'retry-after': '5' });
  }
}

/** A 400 in the pydantic-v1 validation shape, thrown by schema validation or by a service. */
export class RequestValidationError extends AppError {
  constructor(
    readonly part: ValidationPart,
    readonly entries: ValidationEntry[],
  ) {
    super(400, entries.map((e) => `${e.loc.join('.')}: ${e.msg}`).join('; '));
  }
}

/** Shorthand for one failing body field, as services report it. */
export function fieldError(loc: (string | number)[], msg: string, type: string): RequestValidationError {
  return new RequestValidationError('body_params', [{ loc, msg, type }]);
}

export function validationBody(part: ValidationPart, entries: ValidationEntry[]) {
  return { validation_error: { [part]: entries } };
}

const DATABASE_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08003', '08006', 'SQLITE_BUSY']);

function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e?.code && DATABASE_DOWN_CODES.has(e.code)) return true;
  // pg's own wording: a connection lost under a query, or a client used again after losing it.
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|is not queryable/i.test(e?.message ?? '');
}

function messageFor(err: FastifyError): { status: number; body: unknown } | null {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { message: 'Unsupported content type; send application/json.' } };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { message: 'Request body is too large.' } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: validationBody('body_params', [{ loc: ['__root__'], msg: 'field required', type: 'value_error.missing' }]) };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: validationBody('body_params', [{ loc: ['__root__'], msg: 'Invalid JSON body.', type: 'value_error.jsondecode' }]) };
    default:
      break;
  }
  if (err instanceof SyntaxError && err.statusCode === 400) {
    return { status: 400, body: validationBody('body_params', [{ loc: ['__root__'], msg: 'Invalid JSON body.', type: 'value_error.jsondecode' }]) };
  }
  return null;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof RequestValidationError) {
      return reply.code(400).send(validationBody(err.part, err.entries));
    }
    if (err instanceof AppError) {
      return reply.code(err.statusCode).headers(err.headers).send({ message: err.message });
    }
    const known = messageFor(err);
    if (known) return reply.code(known.status).send(known.body);
    if (err.statusCode === 429) {
      return reply.code(429).send({ message: 'Too many requests; slow down and retry later.' });
    }
    if (isDatabaseUnavailable(err)) {
      request.log.warn({ err: { code: (err as { code?: string }).code, message: err.message } }, 'database unavailable');
      return reply.code(503).header('retry-after', '5').send({ message: 'The database is unavailable; retry shortly.' });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ message: err.message });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ message: 'Internal server error.' });
  });

  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send({ message: 'Not found.' });
  });
}
