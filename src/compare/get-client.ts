// The only network client of `casa-integrate compare`. It can send nothing but GET: the method is a
// literal below and no caller can pass another, so pointing the command at a real account can
// never change it. It is polite to the service it reads: a steady request rate, 429 and
// Retry-After honoured, a 5xx retried at most twice, and a stop after three failed calls in a row
// or at the first unexpected 401.
import { request } from 'undici';
import { VERSION } from '../version.js';

export interface Pacing {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realPacing: Pacing = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface GetClientOptions {
  /** The API base, e.g. `https://app.cubi.casa/api/integrate/v3`. */
  baseUrl: string;
  apiKey: string;
  /** Which side this is, for the lines that explain a stop ("the real service"). */
  sideName: string;
  /** Requests started per second at most; Infinity for no spacing. */
  rate: number;
  pacing?: Pacing;
  timeoutMs?: number;
}

export interface GetOptions {
  query?: [string, string][];
  /** `wrong` sends a key that cannot be valid, `none` no key at all: those calls expect a 401. */
  auth?: 'key' | 'wrong' | 'none';
  /** Read the status and content type only, never the body (the combined PDF). */
  skipBody?: boolean;
}

export interface GetAnswer {
  /** null when no answer came (connection refused, reset, timed out). */
  status: number | null;
  /** The media type without parameters, lower case. */
  contentType: string | null;
  /** The parsed JSON body; undefined when the body is not JSON or was not read. */
  json: unknown;
  headerNames: string[];
}

export interface GetClient {
  get(path: string, options?: GetOptions): Promise<GetAnswer>;
  /** Every request sent, for the count in the report. */
  readonly requestsSent: number;
}

/** The command stops: the reason is one line for the person running it. */
export class CompareStopped extends Error {}

const MAX_5XX_RETRIES = 2;
const MAX_429_RETRIES = 5;
const MAX_CONSECUTIVE_FAILURES = 3;
const DEFAULT_RETRY_AFTER_S = 5;
const LONGEST_WAIT_S = 600;
/** Looks like a key, is no key: a 401 here is the answer being compared. */
const WRONG_KEY = 'casa_compare_wrong_key_0000000000000000000000';

export function createGetClient(options: GetClientOptions): GetClient {
  const pacing = options.pacing ?? realPacing;
  const spacingMs = Number.isFinite(options.rate) && options.rate > 0 ? 1000 / options.rate : 0;
  const base = options.baseUrl.replace(/\/+$/, '');
  let nextStart = -Infinity;
  let consecutiveFailures = 0;
  let requestsSent = 0;

  async function waitForSlot(): Promise<void> {
    const wait = nextStart - pacing.now();
    if (wait > 0) await pacing.sleep(wait);
    nextStart = Math.max(pacing.now(), nextStart) + spacingMs;
  }

  async function once(
    url: string,
    headers: Record<string, string>,
    skipBody: boolean,
  ): Promise<GetAnswer & { retryAfterS: number | null }> {
    await waitForSlot();
    requestsSent++;
    try {
      const res = await request(url, {
        method: 'GET',
        headers,
        headersTimeout: options.timeoutMs ?? 30_000,
        bodyTimeout: options.timeoutMs ?? 30_000,
      });
      const contentType = mediaType(res.headers['content-type']);
      let json: unknown;
      if (skipBody || contentType === null || !/[/+]json$/.test(contentType)) {
        // Read past and dropped, never kept; past 64 KiB the connection is closed instead.
        await res.body.dump({ limit: 64 * 1024 });
      } else {
        const text = await res.body.text();
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
      }
      return {
        status: res.statusCode,
        contentType,
        json,
        headerNames: Object.keys(res.headers).map((h) => h.toLowerCase()),
        retryAfterS: retryAfterSeconds(res.headers['retry-after'], pacing.now()),
      };
    } catch {
      return { status: null, contentType: null, json: undefined, headerNames: [], retryAfterS: null };
    }
  }

  async function get(path: string, opts: GetOptions = {}): Promise<GetAnswer> {
    const url = new URL(`${base}/${path.replace(/^\/+/, '')}`);
    for (const [name, value] of opts.query ?? []) url.searchParams.append(name, value);
    const auth = opts.auth ?? 'key';
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': `casa-integrate-compare/${VERSION}` };
    if (auth === 'key') headers['api-key'] = options.apiKey;
    if (auth === 'wrong') headers['api-key'] = WRONG_KEY;

    let serverErrors = 0;
    let throttled = 0;
    for (;;) {
      const { retryAfterS, ...answer } = await once(url.toString(), headers, opts.skipBody ?? false);
      if (answer.status === 429 && throttled < MAX_429_RETRIES) {
        throttled++;
        const waitS = retryAfterS ?? DEFAULT_RETRY_AFTER_S;
        if (waitS > LONGEST_WAIT_S)
          throw new CompareStopped(`${options.sideName} asked to wait ${Math.round(waitS)} s (429 Retry-After); try again later.`);
        await pacing.sleep(waitS * 1000);
        continue;
      }
      const failed = answer.status === null || answer.status >= 500 || answer.status === 429;
      if (failed && answer.status !== 429 && serverErrors < MAX_5XX_RETRIES) {
        serverErrors++;
        await pacing.sleep(1000 * serverErrors);
        continue;
      }
      if (answer.status === 401 && auth === 'key') {
        throw new CompareStopped(
          `${options.sideName} answered 401 to GET /${path.replace(/^\/+/, '')}: its api-key is not accepted; nothing more was sent.`,
        );
      }
      consecutiveFailures = failed ? consecutiveFailures + 1 : 0;
      if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
        throw new CompareStopped(
          `${options.sideName} failed ${MAX_CONSECUTIVE_FAILURES} calls in a row (${answer.status === null ? 'no answer' : `HTTP ${answer.status}`}); stopped.`,
        );
      }
      return answer;
    }
  }

  return {
    get,
    get requestsSent() {
      return requestsSent;
    },
  };
}

function mediaType(header: string | string[] | undefined): string | null {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw) return null;
  const type = raw.split(';')[0]!.trim().toLowerCase();
  // Reported as it is, so it must look like a media type and nothing else.
  return /^[a-z0-9.+-]{1,40}\/[a-z0-9.+-]{1,60}$/.test(type) ? type : 'other';
}

/** Retry-After is either delay-seconds or an HTTP date. */
function retryAfterSeconds(header: string | string[] | undefined, nowMs: number): number | null {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw) return null;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim());
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, (at - nowMs) / 1000);
}
