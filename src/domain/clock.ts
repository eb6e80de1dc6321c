// Time and randomness are injected so tests control both.
import crypto from 'node:crypto';

export interface Clock {
  /** Microseconds since the epoch, as an integer. */
  nowUs(): number;
}

export const systemClock: Clock = {
  nowUs: () => Math.floor(performance.timeOrigin * 1000 + performance.now() * 1000),
};

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private us = Date.UTC(2026, 0, 15, 12, 0, 0) * 1000 + 123456) {}
  nowUs(): number {
    // Each reading moves one microsecond so rows created back to back still sort by time.
    return this.us++;
  }
  advanceSeconds(s: number): void {
    this.us += Math.round(s * 1e6);
  }
}

/** Epoch microseconds → the API's epoch seconds with a microsecond fraction. */
export function toEpochSeconds(us: number): number;
export function toEpochSeconds(us: number | null): number | null;
export function toEpochSeconds(us: number | null): number | null {
  return us === null ? null : us / 1e6;
}

export function secondsToUs(s: number): number {
  return Math.round(s * 1e6);
}

/** Beyond any stored time, and inside PostgreSQL's bigint. */
const FILTER_BOUND_US = 9e18;

/**
 * A time filter given in seconds (a query string may say `1e300` or `1e309`, which is Infinity),
 * as microseconds held inside the range every database can compare: past the bound it filters
 * exactly as the bound does.
 */
export function filterSecondsToUs(s: number): number {
  return Math.max(-FILTER_BOUND_US, Math.min(FILTER_BOUND_US, secondsToUs(s)));
}

export interface Ids {
  uuid(): string;
  /** URL-safe random token of `bytes` bytes of entropy. */
  token(bytes?: number): string;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export const randomIds: Ids = {
  uuid: () => crypto.randomUUID(),
  token: (bytes = 32) => crypto.randomBytes(bytes).toString('base64url'),
};

/** `length` base62 characters from a uniform source (rejection sampling, no modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of crypto.randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out += BASE62[b % 62];
    }
  }
  return out;
}

export function sha256Hex(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}
