// Pre-signed file URLs: `/files/<key>?expires=<epoch s>&signature=<HMAC-SHA256(key \n expires)>`,
// keyed with a server secret kept in the database, so every process signs and checks alike.
import crypto from 'node:crypto';

export interface SignedQuery {
  expires: number;
  signature: string;
}

export function signature(secret: string, key: string, expires: number): string {
  return crypto.createHmac('sha256', secret).update(`${key}\n${expires}`).digest('base64url');
}

export function signedPath(secret: string, key: string, expires: number): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  return `/files/${path}?expires=${expires}&signature=${signature(secret, key, expires)}`;
}

/** Whether `query` is a valid, unexpired signature of `key` at `nowS`. */
export function verifySignature(secret: string, key: string, expires: string | undefined, sig: string | undefined, nowS: number): boolean {
  if (!expires || !sig || !/^\d{1,12}$/.test(expires)) return false;
  const expected = Buffer.from(signature(secret, key, Number(expires)));
  const given = Buffer.from(sig);
  const valid = given.length === expected.length && crypto.timingSafeEqual(given, expected);
  return valid && Number(expires) >= nowS;
}
