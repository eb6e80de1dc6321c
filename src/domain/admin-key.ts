// The operator's admin key, kept only as its SHA-256 and compared in constant time.
import crypto from 'node:crypto';

export function adminKeyMatches(expectedHashHex: string, presented: string | undefined): boolean {
  const expected = Buffer.from(expectedHashHex, 'hex');
  const actual = crypto
    .createHash('sha256')
    .update(presented ?? '')
    .digest();
  return expected.length === actual.length && crypto.timingSafeEqual(expected, actual) && presented !== undefined;
}
