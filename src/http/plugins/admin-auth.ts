// Guards the operator API with the `admin-key` header, compared in constant time.
import crypto from 'node:crypto';
import fp from 'fastify-plugin';
import { UnauthorizedError } from '../../errors.js';

export function adminKeyMatches(expectedHashHex: string, presented: string | undefined): boolean {
  const expected = Buffer.from(expectedHashHex, 'hex');
  const actual = crypto.createHash('sha256').update(presented ?? '').digest();
  return expected.length === actual.length && crypto.timingSafeEqual(expected, actual) && presented !== undefined;
}

export const adminAuth = fp<{ adminKeyHash: string }>(
  async (app, { adminKeyHash }) => {
    app.addHook('onRequest', async (request) => {
      const header = request.headers['admin-key'];
      if (!adminKeyMatches(adminKeyHash, Array.isArray(header) ? header[0] : header)) {
        throw new UnauthorizedError('Invalid or missing admin-key header.');
      }
    });
  },
  { name: 'admin-auth' },
);
