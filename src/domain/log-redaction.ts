// What a log line must never carry: the value of a query parameter named like a credential
// (`?api-key=…`, `?access_token=…`, `X-Amz-Signature=…`) and the token in a link page's path
// (`/invite/<token>`). Applied to each finished line, so request lines, error messages and
// whatever a service writes are covered alike.

// Name segments that mark a credential: `api-key`, `adminKey`, `client_secret`, `X-Amz-Signature`.
const CREDENTIAL_WORDS = new Set([
  'key',
  'apikey',
  'token',
  'secret',
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'signature',
  'sig',
  'credential',
  'credentials',
  'auth',
  'authorization',
  'session',
  'sessionid',
  'jwt',
  'bearer',
]);

// A parameter inside a URL as it appears in a JSON log line: its value ends at the next
// separator, white space, quote or backslash (JSON escapes).
const QUERY_PARAM = /([?&;])([^=&#?\s"\\]{1,200})=([^&#\s"\\]*)/g;
const SECRET_PATH = /\/(go2scan|invite|reset-password)\/(?!\[redacted\])[^/?#\s"\\]+/g;

function decoded(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** Whether a query parameter's name says its value is a credential. */
export function isCredentialName(name: string): boolean {
  const words = decoded(name)
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((w) => CREDENTIAL_WORDS.has(w));
}

/** The text with every credential-like query value and every link page's token blanked out. */
export function redactSecrets(text: string): string {
  let out = text;
  if (out.includes('=')) {
    out = out.replace(QUERY_PARAM, (whole, sep: string, name: string, value: string) =>
      value !== '' && value !== '[redacted]' && isCredentialName(name) ? `${sep}${name}=[redacted]` : whole,
    );
  }
  if (out.includes('/go2scan/') || out.includes('/invite/') || out.includes('/reset-password/')) {
    out = out.replace(SECRET_PATH, (_m, page: string) => `/${page}/[redacted]`);
  }
  return out;
}
