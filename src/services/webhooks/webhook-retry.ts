// What a delivery becomes after an attempt: the retry rule of the contract, without I/O.
import { secondsToUs } from '../../domain/clock.js';
import type { DeliveryStatus } from './delivery-status.js';

/** The longest wait a receiver's `Retry-After` can impose. */
export const MAX_RETRY_AFTER_S = 3600;

export interface NextStep {
  status: DeliveryStatus;
  nextAttemptAt: number;
  completed: boolean;
}

/**
 * `schedule[0]` is the delay before the first attempt; `schedule[n]` the delay after attempt n
 * failed. 2xx delivers; 410 stops at once; anything else retries until the schedule runs out,
 * waiting at least what a 429/503 `Retry-After` asks.
 */
export function nextStep(
  outcome: { statusCode: number | null; retryAfterS: number | null },
  attemptsMade: number,
  schedule: number[],
  nowUs: number,
): NextStep {
  const code = outcome.statusCode;
  if (code !== null && code >= 200 && code < 300) return { status: 'delivered', nextAttemptAt: nowUs, completed: true };
  if (code === 410) return { status: 'gone', nextAttemptAt: nowUs, completed: true };
  if (attemptsMade >= schedule.length) return { status: 'failed', nextAttemptAt: nowUs, completed: true };
  const delayS = Math.max(schedule[attemptsMade] ?? 0, Math.min(outcome.retryAfterS ?? 0, MAX_RETRY_AFTER_S));
  return { status: 'retrying', nextAttemptAt: nowUs + secondsToUs(delayS), completed: false };
}
