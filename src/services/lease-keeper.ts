// Keeps the leases of work in hand alive. Leases are short, so work claimed by a process that dies
// is taken up again soon; a live process renews what it still holds every `everyMs`, which must
// be well inside the lease, so a slow render or a slow receiver never loses its claim. The timer
// runs only while something is held and never keeps the process alive.

/** How long a claim lasts without renewal: work of a process that died is taken up again after this. */
export const LEASE_MS = 20_000;
/** How often a live process renews what it holds: a quarter of the lease, so three renewals may fail or be late. */
export const LEASE_RENEW_MS = 5_000;
export interface LeaseKeeper<K> {
  /** Starts renewing `keys` for `owner`. */
  hold(keys: K[], owner: string): void;
  /** Stops renewing `keys` (finished, handed back, or given up to expire). */
  drop(keys: K[]): void;
  /** Renews everything held now (the timer calls it). */
  renewNow(): Promise<void>;
}

export function leaseKeeper<K>(opts: {
  everyMs: number;
  renew: (keys: K[], owner: string) => Promise<unknown>;
  onError: (err: unknown) => void;
}): LeaseKeeper<K> {
  const held = new Map<K, string>();
  let timer: NodeJS.Timeout | null = null;
  let renewing: Promise<void> | null = null;

  async function renewAll(): Promise<void> {
    const byOwner = new Map<string, K[]>();
    for (const [key, owner] of held) byOwner.set(owner, [...(byOwner.get(owner) ?? []), key]);
    for (const [owner, keys] of byOwner) {
      try {
        await opts.renew(keys, owner);
      } catch (err) {
        opts.onError(err);
      }
    }
  }

  const keeper: LeaseKeeper<K> = {
    hold(keys, owner) {
      for (const key of keys) held.set(key, owner);
      if (held.size > 0 && !timer) {
        timer = setInterval(() => void keeper.renewNow(), opts.everyMs);
        timer.unref();
      }
    },
    drop(keys) {
      for (const key of keys) held.delete(key);
      if (held.size === 0 && timer) {
        clearInterval(timer);
        timer = null;
      }
    },
    renewNow() {
      // One renewal at a time: a slow database never stacks them up.
      renewing ??= renewAll().finally(() => (renewing = null));
      return renewing;
    },
  };
  return keeper;
}
