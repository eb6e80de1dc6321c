import type { Db } from '../../db/dialect.js';
import type { WebhookSecretRow } from '../../db/tables/webhooks.js';

export const webhookSecretsRepo = {
  /** Creates the row unless it exists (concurrent callers: the first one wins). */
  async insertIfMissing(db: Db, row: WebhookSecretRow): Promise<void> {
    await db.insertInto('webhook_secrets').values(row).onConflict((oc) => oc.column('company_id').doNothing()).execute();
  },

  async find(db: Db, companyId: string): Promise<WebhookSecretRow | undefined> {
    return db.selectFrom('webhook_secrets').selectAll().where('company_id', '=', companyId).executeTakeFirst();
  },

  async findMany(db: Db, companyIds: string[]): Promise<WebhookSecretRow[]> {
    if (companyIds.length === 0) return [];
    return db.selectFrom('webhook_secrets').selectAll().where('company_id', 'in', companyIds).execute();
  },

  async rotate(db: Db, companyId: string, values: { secret: string; previous_secret: string; previous_expires_at: number; rotated_at: number }): Promise<void> {
    await db.updateTable('webhook_secrets').set(values).where('company_id', '=', companyId).execute();
  },
};
