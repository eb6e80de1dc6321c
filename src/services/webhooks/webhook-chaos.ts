// Sandbox webhook chaos (issue 19), as kept on a delivery's `chaos` column: what was planned for
// it when it was queued, and what of that has been carried out. The delivery log shows it, and
// each attempt names the chaos it carried out.
//
// - delay_s: the first attempt was pushed back this long.
// - fail_first: the first attempt fails on purpose, unsent (recorded as failed; retries follow
//   the schedule); fail_first_done once it has.
// - duplicate_after_s: once through, the delivery is sent once more (same webhook-id and body,
//   signed anew) this long after; duplicate_pending while that copy waits (it holds back no later
//   event), duplicate_sent once it has gone.
// - reorder: held back (for at most reorder_hold_s) so that a later event of its order, to the
//   same URL, arrives first; it goes as soon as one has been delivered.

export interface DeliveryChaos {
  delay_s?: number;
  fail_first?: boolean;
  fail_first_done?: boolean;
  duplicate_after_s?: number;
  duplicate_pending?: boolean;
  duplicate_sent?: boolean;
  reorder?: boolean;
}

/** The marker the claim and the release of reordered deliveries look for in the stored JSON. */
export const REORDER_MARK = '"reorder":true';

export function encodeChaos(chaos: DeliveryChaos | null): string | null {
  return chaos && Object.keys(chaos).length ? JSON.stringify(chaos) : null;
}

/** What an attempt of this delivery carries out, comma-separated; null when nothing. */
export function attemptChaos(chaos: DeliveryChaos | null, attemptCount: number, failsNow: boolean): string | null {
  if (!chaos) return null;
  const done: string[] = [];
  const firstAttempt = attemptCount === 0 && !chaos.duplicate_pending && !chaos.duplicate_sent;
  if (failsNow) done.push('fail_first');
  if (chaos.duplicate_pending) done.push('duplicate');
  if (firstAttempt && chaos.delay_s !== undefined) done.push('delayed');
  if (firstAttempt && chaos.reorder) done.push('reordered');
  return done.length ? done.join(',') : null;
}

/** What an attempt changes of its delivery's chaos; `duplicateInS`: the delivery waits again, to be sent once more. */
export interface ChaosAfterAttempt {
  chaos?: string;
  holds_order?: number;
  duplicateInS?: number;
}

/**
 * The chaos after an attempt: the failed-on-purpose attempt is done once; a delivery that got
 * through with a duplicate planned waits again (holding back no later event) to be sent once more;
 * the duplicate copy, once through, is done.
 */
export function chaosAfterAttempt(chaos: DeliveryChaos | null, failedOnPurpose: boolean, through: boolean): ChaosAfterAttempt {
  if (!chaos) return {};
  if (failedOnPurpose) return { chaos: encodeChaos({ ...chaos, fail_first_done: true })! };
  if (!through) return {};
  if (chaos.duplicate_pending) return { chaos: encodeChaos({ ...chaos, duplicate_pending: false, duplicate_sent: true })! };
  if (chaos.duplicate_after_s !== undefined && !chaos.duplicate_sent) {
    return { chaos: encodeChaos({ ...chaos, duplicate_pending: true })!, holds_order: 0, duplicateInS: chaos.duplicate_after_s };
  }
  return {};
}

/** Whether this attempt is the one that fails on purpose. */
export function failsFirstNow(chaos: DeliveryChaos | null, attemptCount: number): boolean {
  return chaos?.fail_first === true && chaos.fail_first_done !== true && attemptCount === 0;
}
