// What the request log keeps of a body: no api key, password, signing secret or link token, and no
// more than a bound. A JSON body is redacted field by field (a field named like a credential
// loses its value; every string loses credential-like query values, link tokens and anything
// shaped like an api key or webhook secret), then cut to the bound; any other text is redacted
// as text.
import { isCredentialName, redactSecrets } from './log-redaction.js';
import { tooDeepField } from './json-depth.js';

export const REDACTED = '[redacted]';

// Our own api keys (`casa_…`) and Standard Webhooks secrets (`whsec_…`), wherever they appear.
const SECRET_VALUE = /\b(casa|whsec)_[A-Za-z0-9+/=_-]{8,}/g;
// `"name": "value"` in text that is not (or no longer, once cut) a whole JSON document.
const JSON_FIELD = /"([^"\\]{1,200})"(\s*:\s*)("(?:[^"\\]|\\.)*"?|-?\d[\d.eE+-]*|true|false)/g;

function redactString(value: string): string {
  let out = redactSecrets(value);
  if (out.includes('_')) out = out.replace(SECRET_VALUE, REDACTED);
  return out;
}

// Every credential word of isCredentialName, the secret prefixes and the link pages' paths, as
// substrings; `%`, `\u` and `\/` because a name or path may be spelled in escapes. Text without
// any of them has nothing to redact, so most bodies are kept as they are, without a walk. Tested on
// the lowercased text: the same words with the `i` flag take twice as long on a 16 KiB list page.
const CREDENTIAL_HINT =
  /key|token|secret|pass|pwd|sig|credential|auth|session|jwt|bearer|casa_|whsec_|\/(go2scan|invite|reset-password)\/|%|\\u|\\\//;

function mayHoldCredential(text: string): boolean {
  return CREDENTIAL_HINT.test(text.toLowerCase());
}

/** Deeper than any body the server takes (32 levels), and well inside the stack for `redactValue`. */
const MAX_KEPT_DEPTH = 64;

/** A copy of a parsed JSON value with every credential removed. */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = v !== null && v !== '' && isCredentialName(key) ? REDACTED : redactValue(v);
    }
    return out;
  }
  return value;
}

/** Text that is not a whole JSON document: credential-named fields and secret-looking values blanked out. */
export function redactText(text: string): string {
  const fields = text.includes('"')
    ? text.replace(JSON_FIELD, (whole, name: string, colon: string) => (isCredentialName(name) ? `"${name}"${colon}"${REDACTED}"` : whole))
    : text;
  return redactString(fields);
}

export interface KeptBody {
  text: string;
  /** The redacted body was longer than the bound and was cut. */
  truncated: boolean;
}

/** Cuts `text` to at most `maxBytes` of UTF-8, never inside a character. */
function cut(text: string, maxBytes: number): KeptBody {
  // Most bodies are short: a character is at most 3 UTF-8 bytes per UTF-16 unit.
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  const bytes = Buffer.from(text, 'utf8');
  let end = maxBytes;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString('utf8'), truncated: true };
}

/**
 * A body as the request log keeps it. `body` is a parsed JSON value (a request body) or the text
 * sent (a response); text that parses as JSON is redacted as JSON. Null when there is no body.
 */
export function keptBody(body: unknown, maxBytes: number): KeptBody | null {
  if (body === undefined || body === null || body === '') return null;
  if (typeof body !== 'string') {
    // A body the server refused for its depth (a 400) is kept as a note: redacting it would overflow the stack.
    if (tooDeepField(body, MAX_KEPT_DEPTH) !== null)
      return { text: `[nested more than ${MAX_KEPT_DEPTH} levels deep: not kept]`, truncated: true };
    const text = JSON.stringify(body);
    return cut(mayHoldCredential(text) ? JSON.stringify(redactValue(body)) : text, maxBytes);
  }
  const first = body.charCodeAt(0);
  // `{` or `[`: most answers are JSON documents.
  if (first === 0x7b || first === 0x5b) {
    if (!mayHoldCredential(body)) return cut(body, maxBytes);
    try {
      return cut(JSON.stringify(redactValue(JSON.parse(body))), maxBytes);
    } catch {
      // not a whole document: redacted as text below
    }
  }
  return cut(redactText(body), maxBytes);
}
