// Guards the operator API with the `admin-key` header, compared in constant time.
import fp from 'fastify-plugin';
import { adminKeyMatches } from '../../domain/admin-key.js';
import { UnauthorizedError } from '../../errors.js';

export { adminKeyMatches };

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
