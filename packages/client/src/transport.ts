// The fetch the typed layer calls: a timeout per attempt, and retries with exponential backoff
// (full jitter) on 429 and 5xx, honouring Retry-After. Only calls that are safe to repeat are
// retried: GET, HEAD, OPTIONS, PUT, DELETE, and POST or PATCH that carry an Idempotency-Key.
import { CasaNetworkError, CasaTimeoutError, parseRetryAfter } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt (0 disables retrying). Default 2. */
  retries?: number;
  /** First backoff, doubled each retry, with full jitter. Default 300 ms. */
  minDelayMs?: number;
  /** Longest wait between attempts. Default 20 s. */
  maxDelayMs?: number;
  /**
   * A Retry-After longer than this is not waited for: the 429/503 is reported to the caller
   * at once. Default 60 s.
   */
  maxRetryAfterMs?: number;
}

export interface TransportOptions extends RetryOptions {
  /** Per attempt, in milliseconds. Default 30 s. */
  timeoutMs?: number;
  fetch?: (input: Request) => Promise<Response>;
  /** Waits between attempts; replaceable for tests of the schedule. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** 0 ≤ x < 1; replaceable for tests of the schedule. */
  random?: () => number;
}

/** The method of the request each answer came from, for error messages. */
export const methodOfResponse = new WeakMap<Response, string>();

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Whether a request may be sent again without risk of doing its work twice. */
export function isRepeatable(request: Request): boolean {
  return IDEMPOTENT_METHODS.has(request.method) || request.headers.has('idempotency-key');
}

/** The wait before retry number `retry` (0-based): Retry-After when given, else jittered backoff. */
export function retryDelayMs(
  retry: number,
  retryAfterS: number | null,
  options: Required<RetryOptions>,
  random: () => number,
): number | null {
  if (retryAfterS !== null) {
    const ms = retryAfterS * 1000;
    return ms > options.maxRetryAfterMs ? null : ms;
  }
  const ceiling = Math.min(options.maxDelayMs, options.minDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Builds the fetch function handed to openapi-fetch. */
export function createTransport(options: TransportOptions) {
  const doFetch = options.fetch ?? ((input: Request) => globalThis.fetch(input));
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const retry: Required<RetryOptions> = {
    retries: options.retries ?? 2,
    minDelayMs: options.minDelayMs ?? 300,
    maxDelayMs: options.maxDelayMs ?? 20_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
  };

  return async function transport(request: Request): Promise<Response> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const retries = isRepeatable(request) ? retry.retries : 0;
    const callerSignal = request.signal;
    const url = request.url;

    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = AbortSignal.any([callerSignal, timeout]);
      const last = attempt >= retries;
      let response: Response;
      try {
        response = await doFetch(new Request(request.clone(), { signal }));
      } catch (err) {
        if (callerSignal.aborted) throw abortError(callerSignal);
        const failure = timeout.aborted
          ? new CasaTimeoutError(request.method, url, timeoutMs)
          : new CasaNetworkError(request.method, url, { cause: err });
        if (last) throw failure;
        await sleep(retryDelayMs(attempt, null, retry, random)!, callerSignal);
        continue;
      }
      methodOfResponse.set(response, request.method);
      if (last || !RETRY_STATUSES.has(response.status)) return response;
      const delay = retryDelayMs(attempt, parseRetryAfter(response.headers.get('retry-after')), retry, random);
      if (delay === null) return response;
      await response.body?.cancel().catch(() => {});
      await sleep(delay, callerSignal);
    }
  };
}
