// Merge requests: a company asks to be merged into another; the operator approves, and in one
// transaction everything the requesting company owns moves to the target company.
import { ConflictError, NotFoundError } from '../../errors.js';
import { isUuid, toEpochSeconds } from '../../domain/clock.js';
import { paginate, type Page } from '../../domain/pagination.js';
import type { ServiceDeps } from '../deps.js';
import type { EmailsService } from '../emails/emails-service.js';
import type { WebhookOutbox } from '../webhooks/webhook-outbox.js';
import { DEFAULT_MERGE_WEBHOOK_CHOICE, mergedWebhooks, type MergeWebhookChoice } from '../../domain/merge-webhooks.js';
import { mergeApprovedEmail, mergeRequestEmail } from './merge-emails.js';
import { apiKeysRepo } from '../api-keys/api-keys-repo.js';
import { officesRepo } from '../offices/offices-repo.js';
import { usersRepo } from '../users/users-repo.js';
import { companyRepo } from './company-repo.js';
import { mergeRequestsRepo, type MergeRequestRow } from './merge-requests-repo.js';
import { ordersRepo } from '../orders/orders-repo.js';
import { orderEventsRepo } from '../orders/order-events-repo.js';
import { changeRequestsRepo } from '../change-requests/change-requests-repo.js';
import { webhookDeliveriesRepo } from '../webhooks/webhook-deliveries-repo.js';

const MAX_OFFICE_NAME = 200;

export function mergeRequestView(row: MergeRequestRow) {
  return {
    id: row.id,
    company_id: row.company_id,
    target_company_id: row.target_company_id,
    target_email: row.target_email,
    status: row.status as 'pending' | 'approved',
    created_at: toEpochSeconds(row.created_at),
    approved_at: toEpochSeconds(row.approved_at),
  };
}

/**
 * The name a moved office takes in the target company: its own when free, else suffixed with the
 * requesting company's name, then a counter (`Main office (Acme)`, `Main office (Acme) 2`, …).
 */
export function mergedOfficeName(name: string, sourceCompanyName: string, taken: Set<string>): string {
  const fit = (base: string, suffix: string) => `${base.slice(0, MAX_OFFICE_NAME - suffix.length)}${suffix}`;
  if (!taken.has(name.toLowerCase())) return name;
  const suffixed = fit(name, ` (${sourceCompanyName})`);
  if (!taken.has(suffixed.toLowerCase())) return suffixed;
  for (let n = 2; ; n++) {
    const candidate = fit(name, ` (${sourceCompanyName}) ${n}`);
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

export function mergeRequestsServiceFactory({
  db,
  clock,
  ids,
  emails,
  webhookOutbox,
}: Pick<ServiceDeps, 'db' | 'clock' | 'ids'> & {
  emails: Pick<EmailsService, 'queue' | 'kick'>;
  webhookOutbox: Pick<WebhookOutbox, 'cancelQueuedForCompany'>;
}) {
  return {
    /** A company asks to be merged into the company of `targetEmail`, a Manager there. */
    async request(companyId: string, targetEmail: string) {
      const email = targetEmail.trim().toLowerCase();
      const target = await usersRepo.system.findByEmail(db, email);
      if (!target || target.role !== 'Manager') throw new NotFoundError('No Manager with this email was found.');
      if (target.company_id === companyId) throw new ConflictError('This Manager belongs to your own company.');
      const row: MergeRequestRow = {
        id: ids.uuid(),
        company_id: companyId,
        target_company_id: target.company_id,
        target_email: email,
        status: 'pending',
        created_at: clock.nowUs(),
        approved_at: null,
      };
      await db.transaction().execute(async (tx) => {
        const requests = mergeRequestsRepo.forCompany(companyId);
        if (await requests.findPending(tx, target.company_id)) {
          throw new ConflictError('A merge request to this company is already pending.');
        }
        const requester = (await companyRepo.forCompany(companyId).get(tx))!;
        await requests.insert(tx, row);
        const message = mergeRequestEmail({ requesterName: requester.name, requestId: row.id, targetEmail: email });
        for (const manager of await usersRepo.forCompany(target.company_id).managers(tx)) {
          await emails.queue(tx, { companyId: target.company_id, to: manager.email, ...message, kind: 'merge_request' });
        }
      });
      void emails.kick();
      return {
        id: row.id,
        status: 'pending' as const,
        target_email: email,
        created_at: toEpochSeconds(row.created_at),
        message: 'Merge request sent.',
      };
    },

    async list(page: Page, status?: string) {
      const rows = await mergeRequestsRepo.system.list(db, page, status);
      const result = paginate(rows, page);
      // What approving with `webhooks: add_source` would add; a merged company lists none.
      const urls = await companyRepo.system.webhookUrls(db, [...new Set(result.items.map((r) => r.company_id))]);
      return {
        pagination: result.pagination,
        items: result.items.map((row) => ({ ...mergeRequestView(row), requester_webhook_urls: urls.get(row.company_id) ?? [] })),
      };
    },

    /**
     * The operator's approval: everything of the requesting company moves, in one transaction. The
     * target keeps its own webhook settings unless `webhooks` is `add_source`; the requester's
     * deliveries still waiting are cancelled unless their URL is in the target's list afterwards
     * (so with `keep_target` every one of them is), then move with its orders. The target's
     * Managers (before the merge) are told what happened, webhooks included.
     */
    async approve(id: string, options: { webhooks?: MergeWebhookChoice } = {}) {
      const choice = options.webhooks ?? DEFAULT_MERGE_WEBHOOK_CHOICE;
      const found = isUuid(id) ? await mergeRequestsRepo.system.findById(db, id) : undefined;
      if (!found) throw new NotFoundError('Merge request not found.');
      const approved = await db.transaction().execute(async (tx) => {
        const now = clock.nowUs();
        if (!(await mergeRequestsRepo.system.markApproved(tx, id, now))) {
          throw new ConflictError(`Merge request is ${found.status}; only a pending request can be approved.`);
        }
        const source = (await companyRepo.system.findById(tx, found.company_id))!;
        const target = (await companyRepo.system.findById(tx, found.target_company_id))!;
        if (source.merged_into || target.merged_into)
          throw new ConflictError('One of the companies was already merged into another company.');
        const targetManagers = await usersRepo.forCompany(target.id).managers(tx);

        const sourceOffices = officesRepo.forCompany(source.id);
        const taken = new Set((await officesRepo.forCompany(target.id).all(tx)).map((o) => o.name_key));
        const offices = await sourceOffices.all(tx);
        for (const office of offices) {
          const name = mergedOfficeName(office.name, source.name, taken);
          taken.add(name.toLowerCase());
          await sourceOffices.moveTo(tx, office.id, target.id, name);
        }
        const users = await usersRepo.forCompany(source.id).moveAllTo(tx, target.id);
        // Each area moves its own rows. Kept with the merged company: its api keys (revoked), its
        // webhook secret, its emails and idempotency answers.
        const orders = await ordersRepo.forCompany(source.id).moveAllTo(tx, target.id);
        await changeRequestsRepo.forCompany(source.id).moveAllTo(tx, target.id);
        await orderEventsRepo.forCompany(source.id).moveAllTo(tx, target.id);

        const webhooks = mergedWebhooks(target, source, choice);
        // An empty keep-list cancels every waiting delivery, which is what keep_target means.
        const keepUrls = choice === 'add_source' ? webhooks.settings.webhook_urls : [];
        const cancelled = await webhookOutbox.cancelQueuedForCompany(tx, source.id, keepUrls);
        await webhookDeliveriesRepo.forCompany(source.id).moveAllTo(tx, target.id);
        await companyRepo.forCompany(target.id).setWebhook(tx, webhooks.settings);
        await companyRepo.forCompany(source.id).setWebhook(tx, { webhook_urls: [], webhook_triggers: [] });
        await companyRepo.system.setMergedInto(tx, source.id, target.id);
        await apiKeysRepo.forCompany(source.id).revokeAll(tx, now);

        const moved = { offices: offices.length, users, orders };
        const message = mergeApprovedEmail({ requesterName: source.name, requestId: found.id, moved, webhooks });
        for (const manager of targetManagers) {
          await emails.queue(tx, { companyId: target.id, to: manager.email, ...message, kind: 'merge_approved' });
        }
        return {
          ...mergeRequestView({ ...found, status: 'approved', approved_at: now }),
          moved,
          webhooks: {
            choice,
            added_urls: webhooks.added_urls,
            added_triggers: webhooks.added_triggers,
            dropped_urls: webhooks.dropped_urls,
            cancelled_deliveries: cancelled,
          },
        };
      });
      void emails.kick();
      return approved;
    },
  };
}

export type MergeRequestsService = ReturnType<typeof mergeRequestsServiceFactory>;
