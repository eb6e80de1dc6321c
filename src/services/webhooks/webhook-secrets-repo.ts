import type { Db } from '../../db/dialect.js';
import type { WebhookSecretRow } from '../../db/tables/webhooks.js';

export type NewWebhookSecret = Omit<WebhookSecretRow, 'company_id'>;

export const webhookSecretsRepo = {
  /** One company's signing secret. */
  forCompany(companyId: string) {
    return {
      /** Creates the row unless it exists (concurrent callers: the first one wins). */
      async insertIfMissing(db: Db, row: NewWebhookSecret): Promise<void> {
        await db
          .insertInto('webhook_secrets')
          .values({ ...row, company_id: companyId })
          .onConflict((oc) => oc.column('company_id').doNothing())
          .execute();
      },

      async find(db: Db): Promise<WebhookSecretRow | undefined> {
        return db.selectFrom('webhook_secrets').selectAll().where('company_id', '=', companyId).executeTakeFirst();
      },

      async rotate(
        db: Db,
        values: { secret: string; previous_secret: string; previous_expires_at: number; rotated_at: number },
      ): Promise<void> {
        await db.updateTable('webhook_secrets').set(values).where('company_id', '=', companyId).execute();
      },
    };
  },

  /** The dispatcher: the secrets of every company in a batch of deliveries. */
  system: {
    async findMany(db: Db, companyIds: string[]): Promise<WebhookSecretRow[]> {
      if (companyIds.length === 0) return [];
      return db.selectFrom('webhook_secrets').selectAll().where('company_id', 'in', companyIds).execute();
    },
  },
};
