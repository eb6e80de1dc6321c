// Every failure the client reports is a CasaError. An answer from the server is a CasaApiError
// (or the subclass for its status); a call that got no answer is a CasaTimeoutError or a
// CasaNetworkError.

/** Where a failing field sits: the request body, the query string or the path. */
export type ValidationPart = 'body_params' | 'query_params' | 'path_params';

/** One failing field, in pydantic-v1 wording (`field required`, `value is not a valid uuid`, …). */
export interface ValidationEntry {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** The 400 body of a validation failure: one entry per failing field. */
export interface ValidationErrorBody {
  validation_error: Partial<Record<ValidationPart, ValidationEntry[]>>;
}

/** A validation entry together with the part of the request it is about. */
export interface ValidationIssue extends ValidationEntry {
  part: ValidationPart;
}

export class CasaError extends Error {
  override name = 'CasaError';
}

export interface ApiErrorInit {
  status: number;
  body: unknown;
  method: string;
  url: string;
  requestId: string | null;
  retryAfterS: number | null;
}

/** The server answered with a status outside 2xx. */
export class CasaApiError extends CasaError {
  override name = 'CasaApiError';
  /** HTTP status. */
  readonly status: number;
  /** The parsed JSON body (or the text, when it was not JSON). */
  readonly body: unknown;
  readonly method: string;
  readonly url: string;
  /** The server's `x-request-id`, to quote when asking for support. */
  readonly requestId: string | null;
  /** Seconds the server asked to wait (`Retry-After`), when it said. */
  readonly retryAfterS: number | null;

  constructor(init: ApiErrorInit, message?: string) {
    super(message ?? `${init.method} ${init.url} answered ${init.status}: ${messageOf(init.body) ?? 'no message'}`);
    this.status = init.status;
    this.body = init.body;
    this.method = init.method;
    this.url = init.url;
    this.requestId = init.requestId;
    this.retryAfterS = init.retryAfterS;
  }

  /** The server's `message`, when its body has one. */
  get serverMessage(): string | null {
    return messageOf(this.body);
  }
}

/** 400 in the validation shape: `issues` lists every failing field. */
export class CasaValidationError extends CasaApiError {
  override name = 'CasaValidationError';
  /** The body's `validation_error` object, as sent. */
  readonly validationError: ValidationErrorBody['validation_error'];
  /** Every entry of every part, flattened, in the server's order. */
  readonly issues: ValidationIssue[];

  constructor(init: ApiErrorInit & { body: ValidationErrorBody }) {
    const issues: ValidationIssue[] = [];
    for (const part of ['path_params', 'query_params', 'body_params'] as const) {
      for (const entry of init.body.validation_error[part] ?? []) issues.push({ part, ...entry });
    }
    super(init, `${init.method} ${init.url} was rejected: ${issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; ')}`);
    this.validationError = init.body.validation_error;
    this.issues = issues;
  }

  /** The entries about one field, e.g. `fieldIssues('owner_email')` or `fieldIssues('add_ons', 0)`. */
  fieldIssues(...loc: (string | number)[]): ValidationIssue[] {
    return this.issues.filter((i) => i.loc.length === loc.length && i.loc.every((p, n) => p === loc[n]));
  }
}

/** 400 with a `message` (a rule, not a field shape, failed: e.g. a wrong old password). */
export class CasaBadRequestError extends CasaApiError {
  override name = 'CasaBadRequestError';
}
/** 401: the api-key is missing, unknown or revoked. */
export class CasaAuthenticationError extends CasaApiError {
  override name = 'CasaAuthenticationError';
}
/** 403. */
export class CasaForbiddenError extends CasaApiError {
  override name = 'CasaForbiddenError';
}
/** 404: no such resource in your company (another company's resource answers the same). */
export class CasaNotFoundError extends CasaApiError {
  override name = 'CasaNotFoundError';
}
/** 409: the resource is in a state that forbids the call, or it is a duplicate. */
export class CasaConflictError extends CasaApiError {
  override name = 'CasaConflictError';
}
/** 413: the request body is too large. */
export class CasaPayloadTooLargeError extends CasaApiError {
  override name = 'CasaPayloadTooLargeError';
}
/** 415: the request body is not JSON. */
export class CasaUnsupportedMediaTypeError extends CasaApiError {
  override name = 'CasaUnsupportedMediaTypeError';
}
/** 429: too many requests; `retryAfterS` says how long to wait. */
export class CasaRateLimitError extends CasaApiError {
  override name = 'CasaRateLimitError';
}
/** 5xx. */
export class CasaServerError extends CasaApiError {
  override name = 'CasaServerError';
}

/** No answer within the timeout (after every retry the call allowed). */
export class CasaTimeoutError extends CasaError {
  override name = 'CasaTimeoutError';
  constructor(
    readonly method: string,
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`${method} ${url} got no answer within ${timeoutMs} ms`);
  }
}

/** The request could not reach the server (DNS, refused connection, reset, …). */
export class CasaNetworkError extends CasaError {
  override name = 'CasaNetworkError';
  constructor(
    readonly method: string,
    readonly url: string,
    options: { cause: unknown },
  ) {
    super(`${method} ${url} failed: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`, options);
  }
}

function messageOf(body: unknown): string | null {
  return isRecord(body) && typeof body.message === 'string' ? body.message : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isValidationErrorBody(body: unknown): body is ValidationErrorBody {
  return isRecord(body) && isRecord(body.validation_error);
}

/** `Retry-After` as seconds: a number of seconds or an HTTP date (`nowMs` for the latter). */
export function parseRetryAfter(header: string | null, nowMs: number = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, (at - nowMs) / 1000);
}

/** The error for a non-2xx answer, of the class its status and body call for. */
export function errorFromResponse(response: Response, body: unknown, method: string): CasaApiError {
  const init: ApiErrorInit = {
    status: response.status,
    body,
    method,
    url: response.url,
    requestId: response.headers.get('x-request-id'),
    retryAfterS: parseRetryAfter(response.headers.get('retry-after')),
  };
  const status = response.status;
  if (status === 400) return isValidationErrorBody(body) ? new CasaValidationError({ ...init, body }) : new CasaBadRequestError(init);
  if (status === 401) return new CasaAuthenticationError(init);
  if (status === 403) return new CasaForbiddenError(init);
  if (status === 404) return new CasaNotFoundError(init);
  if (status === 409) return new CasaConflictError(init);
  if (status === 413) return new CasaPayloadTooLargeError(init);
  if (status === 415) return new CasaUnsupportedMediaTypeError(init);
  if (status === 429) return new CasaRateLimitError(init);
  if (status >= 500) return new CasaServerError(init);
  return new CasaApiError(init);
}
