// Authenticates every customer route by its `api-key` header and scopes the request to its company.
import fp from 'fastify-plugin';
import type { ApiKeysService } from '../../services/api-keys/api-keys-service.js';

export interface AuthContext {
  keyId: string;
  companyId: string;
  userId: string | null;
  userEmail: string | null;
  /** The company's sandbox settings document (JSON text), null when it has none. */
  sandbox: string | null;
  sandboxAt: number | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext;
  }
}

export const apiKeyAuth = fp<{ apiKeys: Pick<ApiKeysService, 'authenticate'> }>(
  async (app, { apiKeys }) => {
    app.decorateRequest('auth', null as unknown as AuthContext);
    app.addHook('onRequest', async (request) => {
      const header = request.headers['api-key'];
      request.auth = await apiKeys.authenticate(Array.isArray(header) ? header[0] : header);
    });
  },
  { name: 'api-key-auth' },
);
