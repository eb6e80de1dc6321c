// Operator console sessions: sign in with the admin key or the operator password
// (CASA_CONSOLE_PASSWORD), get a random token for a cookie; the server keeps only its SHA-256 and
// an absolute expiry, plus an idle timeout. Each session is bound to the credential that made it:
// when the admin key or the password changes (a restart with a new CASA_ADMIN_KEY), the sessions
// it made end at their next request. Failed sign-ins are throttled per client address.
import crypto from 'node:crypto';
import { sha256Hex } from '../../domain/clock.js';
import { adminKeyMatches } from '../../domain/admin-key.js';
import { createFailureCounter } from '../../domain/failure-counter.js';
import type { ServiceDeps } from '../deps.js';
import { consoleSessionsRepo } from './console-sessions-repo.js';

export const SESSION_TTL_S = 12 * 3600;
export const SESSION_IDLE_S = 2 * 3600;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = 10;
/** The most client addresses whose failed sign-ins are remembered at once. */
export const MAX_TRACKED_CLIENTS = 10_000;

export type SignInResult = { ok: true; token: string; expiresAtUs: number } | { ok: false; reason: 'wrong' | 'throttled' };

function passwordMatches(expected: string | null, presented: string): boolean {
  if (expected === null || presented === '') return false;
  const a = crypto.createHash('sha256').update(expected).digest();
  const b = crypto.createHash('sha256').update(presented).digest();
  return crypto.timingSafeEqual(a, b);
}

type SignedInWith = 'admin_key' | 'password';

/**
 * The session's proof of the credential in force when it was made: an HMAC keyed by the session
 * token (which the server holds only as a hash), so the stored value reveals nothing of the
 * password even to a reader of the database. Null when that way of signing in is gone.
 */
function credentialMac(token: string, signedInWith: string, adminKeyHash: string, consolePassword: string | null): string | null {
  const credential =
    signedInWith === 'admin_key'
      ? `admin_key ${adminKeyHash}`
      : signedInWith === 'password' && consolePassword !== null
        ? `password ${consolePassword}`
        : null;
  return credential === null ? null : crypto.createHmac('sha256', token).update(credential).digest('hex');
}

function macMatches(stored: string, current: string | null): boolean {
  if (current === null || stored.length !== current.length) return false;
  return crypto.timingSafeEqual(Buffer.from(stored), Buffer.from(current));
}

export function consoleSessionsFactory({
  db,
  clock,
  config,
  adminKeyHash,
}: Pick<ServiceDeps, 'db' | 'clock' | 'config'> & { adminKeyHash: string }) {
  const failures = createFailureCounter({ windowMs: FAILURE_WINDOW_MS, maxFailures: MAX_FAILURES, maxTracked: MAX_TRACKED_CLIENTS });

  return {
    /** How many client addresses with failed sign-ins are remembered (bounded by MAX_TRACKED_CLIENTS). */
    get trackedClients() {
      return failures.size;
    },

    /** Whether an operator password is configured (the sign-in page says what it accepts). */
    passwordEnabled: config.consolePassword !== null,

    /** `secret` is the admin key or the operator password; `client` throttles guessing. */
    async signIn(secret: string, client: string): Promise<SignInResult> {
      const nowMs = Date.now();
      if (failures.throttled(client, nowMs)) return { ok: false, reason: 'throttled' };
      const viaKey = adminKeyMatches(adminKeyHash, secret);
      const viaPassword = !viaKey && passwordMatches(config.consolePassword, secret);
      if (!viaKey && !viaPassword) {
        failures.record(client, nowMs);
        return { ok: false, reason: 'wrong' };
      }
      failures.clear(client);
      const token = crypto.randomBytes(32).toString('base64url');
      const now = clock.nowUs();
      const expiresAtUs = now + SESSION_TTL_S * 1e6;
      const signedInWith: SignedInWith = viaKey ? 'admin_key' : 'password';
      await consoleSessionsRepo.deleteExpired(db, now);
      await consoleSessionsRepo.insert(db, {
        token_hash: sha256Hex(token),
        signed_in_with: signedInWith,
        credential_mac: credentialMac(token, signedInWith, adminKeyHash, config.consolePassword)!,
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAtUs,
      });
      return { ok: true, token, expiresAtUs };
    },

    /** The live session of a cookie token, or null; an idle session ends here. */
    async check(token: string | null): Promise<{ signedInWith: string } | null> {
      if (!token || !TOKEN_SHAPE.test(token)) return null;
      const hash = sha256Hex(token);
      const now = clock.nowUs();
      const row = await consoleSessionsRepo.findLive(db, hash, now);
      if (!row) return null;
      const credentialChanged = !macMatches(
        row.credential_mac,
        credentialMac(token, row.signed_in_with, adminKeyHash, config.consolePassword),
      );
      if (credentialChanged || now - row.last_seen_at > SESSION_IDLE_S * 1e6) {
        await consoleSessionsRepo.delete(db, hash);
        return null;
      }
      // Writing on every request is wasted work: a minute of precision is enough for the idle timeout.
      if (now - row.last_seen_at > 60e6) await consoleSessionsRepo.touch(db, hash, now);
      return { signedInWith: row.signed_in_with };
    },

    async signOut(token: string | null): Promise<void> {
      if (token && TOKEN_SHAPE.test(token)) await consoleSessionsRepo.delete(db, sha256Hex(token));
    },

    /** Ends every console session, the caller's included (after a leaked cookie, a lost laptop). */
    async signOutEverywhere(): Promise<number> {
      return consoleSessionsRepo.deleteAll(db);
    },

    /** Sessions not yet past their absolute expiry (idle ones end at their next request). */
    async liveCount(): Promise<number> {
      return consoleSessionsRepo.countLive(db, clock.nowUs());
    },
  };
}

export type ConsoleSessions = ReturnType<typeof consoleSessionsFactory>;
