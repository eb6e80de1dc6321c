// Turns an order event into webhook deliveries inside the transition's transaction: one per URL
// the company has configured, when it subscribes to the event's trigger. The delivery keeps its
// URL and exact body, so changing the triggers later never resends or drops it; dropping its URL
// from the list cancels it.
import type { Db } from '../../db/dialect.js';
import type { OrderEventRow } from '../../db/tables/orders.js';
import { secondsToUs } from '../../domain/clock.js';
import type { ServiceDeps } from '../deps.js';
import { companyRepo } from '../company/company-repo.js';
import { webhookBody } from './webhook-payload.js';
import { webhookSecretsFactory } from './webhook-secrets.js';
import { webhookDeliveriesRepo } from './webhook-deliveries-repo.js';
import { sandboxRepo } from '../sandbox/sandbox-repo.js';

export function webhookOutboxFactory(deps: Pick<ServiceDeps, 'clock' | 'ids' | 'config'>) {
  const { clock, ids, config } = deps;
  const secrets = webhookSecretsFactory(deps);
  return {
    async enqueueForEvent(tx: Db, event: OrderEventRow): Promise<void> {
      const settings = await companyRepo.forCompany(event.company_id).webhookSettings(tx);
      if (!settings || !settings.triggers.includes(event.trigger)) return;
      const urls = [...new Set(settings.urls)];
      if (urls.length === 0) return;
      await secrets.ensure(tx, event.company_id);
      const now = clock.nowUs();
      const body = webhookBody(event);
      // A company's sandbox may give its own retry schedule; the delivery keeps the one it was queued with.
      const sandbox = await sandboxRepo.forCompany(event.company_id).find(tx);
      const schedule = sandbox?.settings.webhook_schedule_s ?? null;
      await webhookDeliveriesRepo.forCompany(event.company_id).insertMany(
        tx,
        urls.map((url) => ({
          id: ids.uuid(),
          event_id: event.id,
          event_seq: event.seq,
          order_id: event.order_id,
          trigger: event.trigger,
          url,
          body,
          status: 'pending',
          attempt_count: 0,
          next_attempt_at: now + secondsToUs((schedule ?? config.webhookSchedule)[0] ?? 0),
          schedule,
          lease_until: null,
          lease_owner: null,
          last_status_code: null,
          last_error: null,
          created_at: now,
          updated_at: now,
          completed_at: null,
        })),
      );
    },

    /**
     * Cancels the company's deliveries still waiting for a URL it no longer lists (all of them when
     * it lists none: the webhook configuration was deleted).
     */
    async cancelQueuedForCompany(tx: Db, companyId: string, keepUrls: readonly string[] = []): Promise<number> {
      return webhookDeliveriesRepo.forCompany(companyId).cancelActive(tx, clock.nowUs(), keepUrls);
    },
  };
}

export type WebhookOutbox = ReturnType<typeof webhookOutboxFactory>;
