import type { Migration } from './helpers.js';

// Console sessions bound to the credential that made them: an HMAC, keyed by the session's own
// token, of the admin key's hash or the operator password in force at sign-in. Sessions made before
// have none and end at their next request.
export const consoleCredential: Migration = {
  async up(db) {
    await db.schema
      .alterTable('console_sessions')
      .addColumn('credential_mac', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
  },
};
