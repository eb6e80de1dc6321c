// What the webhook dispatcher asks of the database: claim due deliveries with the secrets to sign
// them, keep their leases alive while they are in flight, and record the results. A delivery is
// held from its claim until its result is written (or the dispatcher gives it up), so a slow
// receiver never loses the lease, and a dispatcher that dies lets go within one lease.
import type { ServiceDeps } from '../deps.js';
import { LEASE_MS, LEASE_RENEW_MS, leaseKeeper } from '../lease-keeper.js';
import { webhookDeliveriesRepo, type AttemptResult, type WebhookDelivery } from './webhook-deliveries-repo.js';
import { webhookSecretsRepo } from './webhook-secrets-repo.js';
import { activeSecrets, webhookSecretsFactory } from './webhook-secrets.js';

export type { AttemptResult };

export interface ClaimedDelivery {
  delivery: WebhookDelivery;
  /** The secrets to sign it with now: the company's current one, and the previous during rotation. */
  secrets: string[];
}

export function webhookDeliveryServiceFactory(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock' | 'log'>,
  lease: { ms: number; renewEveryMs: number } = { ms: LEASE_MS, renewEveryMs: LEASE_RENEW_MS },
) {
  const { db, dialect, clock, log } = deps;
  const repo = webhookDeliveriesRepo.system;
  const secretsService = webhookSecretsFactory(deps);
  const keeper = leaseKeeper<number>({
    everyMs: lease.renewEveryMs,
    renew: (seqs, owner) => repo.renewLeases(db, dialect, seqs, owner, clock.nowUs() + lease.ms * 1000),
    onError: (err) => log.error({ err }, 'renewing webhook delivery leases failed'),
  });

  return {
    /** Leases up to `limit` due deliveries for `owner`, each with the secrets to sign it. */
    async claim(limit: number, owner: string): Promise<ClaimedDelivery[]> {
      const now = clock.nowUs();
      const claimed = await repo.claim(db, dialect, { nowUs: now, limit, leaseMs: lease.ms, owner });
      if (claimed.length === 0) return [];
      keeper.hold(
        claimed.map((d) => d.seq),
        owner,
      );
      try {
        const companyIds = [...new Set(claimed.map((d) => d.company_id))];
        const secretRows = await webhookSecretsRepo.system.findMany(db, companyIds);
        // A company whose secret nobody has read yet gets it here, before its first webhook leaves.
        for (const companyId of companyIds) {
          if (!secretRows.some((r) => r.company_id === companyId)) secretRows.push(await secretsService.ensure(db, companyId));
        }
        const secretsByCompany = new Map(secretRows.map((r) => [r.company_id, activeSecrets(r, now)]));
        return claimed.map((delivery) => ({ delivery, secrets: secretsByCompany.get(delivery.company_id)! }));
      } catch (err) {
        keeper.drop(claimed.map((d) => d.seq));
        throw err;
      }
    },

    /** Writes the attempts and what each delivery becomes; the leases are no longer renewed. */
    async record(results: AttemptResult[]): Promise<void> {
      try {
        await repo.recordResults(db, results);
      } finally {
        keeper.drop(results.map((r) => r.seq));
      }
    },

    /** Stops renewing deliveries whose attempt could not be made: they are claimed again when the lease ends. */
    abandon(seqs: number[]): void {
      keeper.drop(seqs);
    },

    /** Renews every lease held now, rather than at the next tick of the keeper. */
    renewNow(): Promise<void> {
      return keeper.renewNow();
    },
  };
}

export type WebhookDeliveryService = ReturnType<typeof webhookDeliveryServiceFactory>;
