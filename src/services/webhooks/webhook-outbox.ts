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
import { webhookDeliveriesRepo } from './webhook-deliveries-repo.js';
import type { StoredSandbox } from '../sandbox/sandbox-repo.js';
import { sandboxStreams, type SandboxStreams } from '../sandbox/sandbox-streams.js';
import { hasWebhookChaos, planWebhookChaos } from '../../domain/sandbox-settings.js';
import type { NewDelivery } from './webhook-deliveries-repo.js';
import type { DeliveryChaos } from './webhook-chaos.js';

export function webhookOutboxFactory(deps: Pick<ServiceDeps, 'clock' | 'ids' | 'config'> & { streams?: SandboxStreams }) {
  const { clock, ids, config } = deps;
  // Shared with the API faults in one process (createServices), so a written document restarts both.
  const streams = deps.streams ?? sandboxStreams();

  /**
   * The company's webhook chaos on the deliveries of one event, drawn from its seeded stream: a
   * delay or a failing first attempt changes a delivery; a reorder holds it back for a later event
   * (unless a delivery of its order to that URL is held already: this one is then the later event
   * that overtakes it); a duplicate sends the delivery once more after it got through.
   */
  async function withChaos(tx: Db, companyId: string, sandbox: StoredSandbox, planned: NewDelivery[], now: number): Promise<NewDelivery[]> {
    const { webhooks } = sandbox.settings;
    const random = streams.stream(companyId, 'webhooks', sandbox.settings, sandbox.updatedAt);
    for (const delivery of planned) {
      const plan = planWebhookChaos(webhooks, random);
      const chaos: DeliveryChaos = {};
      if (plan.delay) {
        chaos.delay_s = webhooks.delay_s;
        delivery.next_attempt_at += secondsToUs(webhooks.delay_s);
      }
      if (plan.failFirst) chaos.fail_first = true;
      if (plan.reorder && !(await webhookDeliveriesRepo.forCompany(companyId).reorderWaiting(tx, delivery.order_id, delivery.url, now))) {
        chaos.reorder = true;
        delivery.holds_order = 0;
        delivery.next_attempt_at += secondsToUs(webhooks.reorder_hold_s);
      }
      if (plan.duplicate) chaos.duplicate_after_s = webhooks.duplicate_after_s;
      delivery.chaos = chaos;
    }
    return planned;
  }

  return {
    async enqueueForEvent(tx: Db, event: OrderEventRow): Promise<void> {
      const settings = await companyRepo.forCompany(event.company_id).webhookSettings(tx);
      if (!settings || !settings.triggers.includes(event.trigger)) return;
      const urls = [...new Set(settings.urls)];
      if (urls.length === 0) return;
      const now = clock.nowUs();
      const body = webhookBody(event);
      // A company's sandbox may give its own retry schedule; the delivery keeps the one it was queued with.
      const { sandbox } = settings;
      const schedule = sandbox?.settings.webhook_schedule_s ?? null;
      const deliveries = urls.map((url): NewDelivery => ({
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
        // Named on every row: in a batch where a reordered or duplicate delivery names it, the others must too.
        holds_order: 1,
        lease_until: null,
        lease_owner: null,
        last_status_code: null,
        last_error: null,
        created_at: now,
        updated_at: now,
        completed_at: null,
      }));
      await webhookDeliveriesRepo
        .forCompany(event.company_id)
        .insertMany(
          tx,
          sandbox && hasWebhookChaos(sandbox.settings.webhooks)
            ? await withChaos(tx, event.company_id, sandbox, deliveries, now)
            : deliveries,
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
