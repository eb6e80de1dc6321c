// Failed tries per key (a client address, or a route and an address) within a sliding window, for
// the guards that throttle guessing. Memory is bounded: past `maxTracked` keys the one whose last
// failure is the oldest is forgotten, so a flood of addresses costs a fixed amount of memory (and
// can at worst lift the throttle of an address that has been quiet the longest).

export interface FailureCounterOptions {
  windowMs: number;
  /** Failures within the window after which `throttled` is true. */
  maxFailures: number;
  /** The most keys held at once. */
  maxTracked: number;
}

export interface FailureCounter {
  /** The key's failures within the window, oldest first (times in ms). */
  recent(key: string, nowMs: number): readonly number[];
  throttled(key: string, nowMs: number): boolean;
  record(key: string, nowMs: number): void;
  clear(key: string): void;
  /** How many keys are held. */
  readonly size: number;
}

export function createFailureCounter({ windowMs, maxFailures, maxTracked }: FailureCounterOptions): FailureCounter {
  // Kept in order of each key's latest failure (a failure moves its key to the end), so the first key is the oldest.
  const failures = new Map<string, number[]>();
  const recent = (key: string, nowMs: number): number[] => {
    const held = failures.get(key);
    if (!held) return [];
    const list = held.filter((at) => at > nowMs - windowMs);
    if (list.length === 0) failures.delete(key);
    else if (list.length !== held.length) failures.set(key, list);
    return list;
  };
  return {
    recent,
    throttled: (key, nowMs) => recent(key, nowMs).length >= maxFailures,
    record(key, nowMs) {
      // Only the last maxFailures matter: the throttle lifts when the oldest of them leaves the window.
      const list = [...recent(key, nowMs), nowMs].slice(-maxFailures);
      failures.delete(key);
      while (failures.size >= maxTracked) failures.delete(failures.keys().next().value!);
      failures.set(key, list);
    },
    clear: (key) => void failures.delete(key),
    get size() {
      return failures.size;
    },
  };
}
