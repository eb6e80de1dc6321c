// Operator console sessions: only the SHA-256 of the session token is stored. Times are integer microseconds.
import type { Selectable } from 'kysely';

export interface ConsoleSessionsTable {
  token_hash: string; // SHA-256 (hex) of the cookie's token
  signed_in_with: string; // admin_key | password
  created_at: number;
  last_seen_at: number;
  expires_at: number; // absolute end of the session
  credential_mac: string; // HMAC-SHA256 (hex), keyed by the token, of the credential signed in with
}

export interface ConsoleTables {
  console_sessions: ConsoleSessionsTable;
}

export type ConsoleSessionRow = Selectable<ConsoleSessionsTable>;
