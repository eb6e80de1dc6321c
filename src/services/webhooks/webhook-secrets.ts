// One signing secret per company, made on first need (the first delivery the dispatcher signs, or
// the first time the secret is read). Rotation keeps the old secret signing beside the new one for
// 24 hours, so receivers can switch without losing a message.
import type { Db } from '../../db/dialect.js';
import type { WebhookSecretRow } from '../../db/tables/webhooks.js';
import type { ServiceDeps } from '../deps.js';
import { generateWebhookSecret } from './webhook-signature.js';
import { webhookSecretsRepo } from './webhook-secrets-repo.js';

export const ROTATION_OVERLAP_US = 24 * 3600 * 1e6;

/** The secrets a message is signed with at `nowUs`: the current one, and the previous during overlap. */
export function activeSecrets(row: WebhookSecretRow, nowUs: number): string[] {
  return row.previous_secret && row.previous_expires_at !== null && row.previous_expires_at > nowUs
    ? [row.secret, row.previous_secret]
    : [row.secret];
}

export function webhookSecretsFactory({ clock }: Pick<ServiceDeps, 'clock'>) {
  return {
    async ensure(tx: Db, companyId: string): Promise<WebhookSecretRow> {
      const secrets = webhookSecretsRepo.forCompany(companyId);
      const found = await secrets.find(tx);
      if (found) return found;
      await secrets.insertIfMissing(tx, {
        secret: generateWebhookSecret(),
        previous_secret: null,
        previous_expires_at: null,
        created_at: clock.nowUs(),
        rotated_at: null,
      });
      return (await secrets.find(tx))!;
    },

    /** Replaces the secret; the old one keeps signing for 24 hours. Call inside a transaction. */
    async rotate(tx: Db, companyId: string): Promise<WebhookSecretRow> {
      const current = await this.ensure(tx, companyId);
      const now = clock.nowUs();
      const secrets = webhookSecretsRepo.forCompany(companyId);
      await secrets.rotate(tx, {
        secret: generateWebhookSecret(),
        previous_secret: current.secret,
        previous_expires_at: now + ROTATION_OVERLAP_US,
        rotated_at: now,
      });
      return (await secrets.find(tx))!;
    },
  };
}

export type WebhookSecrets = ReturnType<typeof webhookSecretsFactory>;
