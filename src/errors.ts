// The errors services throw. Each names what went wrong in the caller's terms; `http/error-handler.ts`
// is the one place that turns them into a status and a body, so services never speak HTTP.

export type ErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'internal'
  | 'bad_gateway'
  | 'unavailable'
  | 'gateway_timeout';

export interface ValidationEntry {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export type ValidationPart = 'body_params' | 'query_params' | 'path_params';

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** Seconds the caller should wait before trying again, where that is known. */
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
  }
}

export class BadRequestError extends AppError {
  constructor(message: string) {
    super('bad_request', message);
  }
}
export class UnauthorizedError extends AppError {
  constructor(message = 'Invalid or missing api-key header.') {
    super('unauthorized', message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('forbidden', message);
  }
}
export class NotFoundError extends AppError {
  constructor(message = 'Not found.') {
    super('not_found', message);
  }
}
export class ConflictError extends AppError {
  constructor(message: string) {
    super('conflict', message);
  }
}
export class GoneError extends AppError {
  constructor(message: string) {
    super('gone', message);
  }
}
export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super('payload_too_large', message);
  }
}
/** A body of a type the route does not read; the message names the one it wants. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(wanted: string) {
    super('unsupported_media_type', `Unsupported content type; send ${wanted}.`);
  }
}
export class TooManyRequestsError extends AppError {
  constructor(retryAfterS: number) {
    super('too_many_requests', 'Too many requests; slow down and retry later.', Math.max(1, Math.ceil(retryAfterS)));
  }
}
export class ServiceUnavailableError extends AppError {
  constructor(message = 'The service is temporarily unavailable; retry shortly.') {
    super('unavailable', message, 5);
  }
}

const INJECTED: Record<number, { kind: ErrorKind; message: string }> = {
  429: { kind: 'too_many_requests', message: 'Too many requests; slow down and retry later.' },
  500: { kind: 'internal', message: 'Internal server error.' },
  502: { kind: 'bad_gateway', message: 'Bad gateway; retry shortly.' },
  503: { kind: 'unavailable', message: 'The service is temporarily unavailable; retry shortly.' },
  504: { kind: 'gateway_timeout', message: 'Gateway timeout; retry shortly.' },
};

/** A sandbox fault rule answering in place of the request, in the shape a real failure of that status has. */
export class InjectedFaultError extends AppError {
  constructor(
    readonly ruleId: string,
    status: 429 | 500 | 502 | 503 | 504,
    retryAfterS: number | null,
  ) {
    super(INJECTED[status]!.kind, INJECTED[status]!.message, retryAfterS);
  }
}

/** A 400 in the pydantic-v1 validation shape, thrown by schema validation or by a service. */
export class RequestValidationError extends AppError {
  constructor(
    readonly part: ValidationPart,
    readonly entries: ValidationEntry[],
  ) {
    super('bad_request', entries.map((e) => `${e.loc.join('.')}: ${e.msg}`).join('; '));
  }
}

/** Shorthand for one failing body field, as services report it. */
export function fieldError(loc: (string | number)[], msg: string, type: string): RequestValidationError {
  return new RequestValidationError('body_params', [{ loc, msg, type }]);
}
