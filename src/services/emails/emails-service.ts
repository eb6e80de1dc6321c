// Emails: written to the outbox inside the caller's transaction (so none is lost or invented),
// then sent through SMTP after commit when SMTP_URL is set. Without SMTP the outbox is the mailbox.
import type { Transporter } from 'nodemailer';
import { toEpochSeconds } from '../../domain/clock.js';
import { paginate, type Page } from '../../domain/pagination.js';
import { NotFoundError } from '../../errors.js';
import type { Db } from '../../db/dialect.js';
import type { EmailRow } from '../../db/schema.js';
import type { ServiceDeps } from '../deps.js';
import { emailsRepo } from './emails-repo.js';

export interface OutgoingEmail {
  companyId: string | null;
  to: string;
  subject: string;
  text: string;
  html: string;
  kind: string; // invitation | password_reset | go2scan_invitation | merge_request | …
}

const MAX_ATTEMPTS = 5;

export function emailView(row: EmailRow) {
  return {
    id: row.id,
    company_id: row.company_id,
    to: row.to_address,
    subject: row.subject,
    kind: row.kind,
    text: row.text_body,
    html: row.html_body,
    created_at: toEpochSeconds(row.created_at),
    sent_at: toEpochSeconds(row.sent_at),
    attempts: row.attempts,
    last_error: row.last_error,
  };
}

export function emailsServiceFactory({ db, clock, ids, config, log }: Pick<ServiceDeps, 'db' | 'clock' | 'ids' | 'config' | 'log'>) {
  // nodemailer is loaded only where mail is sent (SMTP_URL set), not by every process.
  const opened: Promise<Transporter> | null = config.smtpUrl
    ? import('nodemailer').then((m) => m.default.createTransport(config.smtpUrl!))
    : null;
  let flushing: Promise<void> | null = null;
  let again = false;

  async function flushOnce(): Promise<void> {
    if (!opened) return;
    const transport = await opened;
    for (;;) {
      const batch = await emailsRepo.system.unsent(db, 20, MAX_ATTEMPTS);
      if (batch.length === 0) return;
      for (const email of batch) {
        try {
          await transport.sendMail({
            from: config.mailFrom,
            to: email.to_address,
            subject: email.subject,
            text: email.text_body,
            html: email.html_body,
          });
          await emailsRepo.system.markSent(db, email.id, clock.nowUs());
        } catch (err) {
          log.warn({ emailId: email.id, err: (err as Error).message }, 'SMTP delivery failed');
          await emailsRepo.system.markFailed(db, email.id, (err as Error).message);
        }
      }
    }
  }

  return {
    /** Queues an email inside the caller's transaction; call `kick()` after the commit. */
    async queue(tx: Db, email: OutgoingEmail): Promise<string> {
      const id = ids.uuid();
      await emailsRepo.system.insert(tx, {
        id,
        company_id: email.companyId,
        to_address: email.to.toLowerCase(),
        subject: email.subject,
        text_body: email.text,
        html_body: email.html,
        kind: email.kind,
        created_at: clock.nowUs(),
        sent_at: null,
        attempts: 0,
        last_error: null,
      });
      return id;
    },

    /** Sends what is queued, in the background; concurrent kicks coalesce. Resolves when sent. */
    kick(): Promise<void> {
      if (!opened) return Promise.resolve();
      if (flushing) {
        again = true;
        return flushing;
      }
      flushing = (async () => {
        do {
          again = false;
          await flushOnce().catch((err: Error) => log.error({ err: err.message }, 'email flush failed'));
        } while (again);
      })().finally(() => {
        flushing = null;
      });
      return flushing;
    },

    async list(page: Page, filter: { to?: string; companyId?: string; kind?: string } = {}) {
      const rows = await emailsRepo.system.list(db, page, filter);
      const result = paginate(rows, page);
      return { pagination: result.pagination, items: result.items.map(emailView) };
    },

    async get(id: string) {
      const row = await emailsRepo.system.findById(db, id);
      if (!row) throw new NotFoundError('Email not found.');
      return emailView(row);
    },

    /** The worker's purge: emails older than CASA_EMAIL_RETENTION_DAYS go, with the links they carry. */
    async purgeExpired(): Promise<number> {
      return emailsRepo.system.deleteCreatedBefore(db, clock.nowUs() - config.emailRetentionDays * 86_400 * 1e6);
    },

    close(): void {
      void opened?.then((transport) => transport.close());
    },
  };
}

export type EmailView = ReturnType<typeof emailView>;
export type EmailsService = ReturnType<typeof emailsServiceFactory>;
