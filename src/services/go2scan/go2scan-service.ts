// GoToScan orders: a New order with a single-use, expiring link (the token is stored only as a
// SHA-256 hash) that a homeowner opens to upload a scan; the upload moves the order to Pending.
import type { Readable } from 'node:stream';
import { sha256Hex } from '../../domain/clock.js';
import { cleanText } from '../../domain/address.js';
import { AppError, fieldError, GoneError, NotFoundError, PayloadTooLargeError } from '../../errors.js';
import type { Go2scanCustomer, Order } from '../../db/tables/orders.js';
import { FileTooLargeError } from '../../storage/file-storage.js';
import type { ServiceDeps } from '../deps.js';
import type { EmailsService } from '../emails/emails-service.js';
import type { NewOrder, OrderFields, Caller } from '../orders/new-order.js';
import type { OrderTransitions } from '../orders/order-transitions.js';
import { ordersRepo } from '../orders/orders-repo.js';
import { enterPending } from '../production/production-schedule.js';
import { productionDelayFor } from '../sandbox/company-timing.js';
import { escapeHtml } from '../../domain/html-escape.js';

export const GO2SCAN_LINK_DAYS = 30;
export const MAX_SCAN_FILES = 20;

export interface Go2scanFields extends OrderFields {
  customer?: { name?: string | null; email?: string | null; phone?: string | null } | null;
  send_invitation?: boolean;
}

export interface UploadPart {
  filename: string;
  mimetype: string;
  file: Readable;
}

const LINK_INVALID = 'This GoToScan link is not valid.';

export function go2scanServiceFactory({
  db,
  clock,
  ids,
  config,
  files,
  log,
  newOrder,
  transitions,
  emails,
}: Pick<ServiceDeps, 'db' | 'clock' | 'ids' | 'config' | 'files' | 'log'> & {
  newOrder: NewOrder;
  transitions: OrderTransitions;
  emails: Pick<EmailsService, 'queue' | 'kick'>;
}) {
  const linkFor = (token: string) => `${config.publicUrl}/go2scan/${token}`;

  /** Why a token cannot be used now, or null when it can. */
  function tokenProblem(order: Order | undefined): AppError | null {
    if (!order) return new NotFoundError(LINK_INVALID);
    if (order.go2scan_uploaded_at !== null || order.status !== 'New') return new GoneError('This GoToScan link was already used.');
    if (order.go2scan_expires_at !== null && order.go2scan_expires_at <= clock.nowUs())
      return new GoneError('This GoToScan link has expired.');
    return null;
  }

  /** The order behind a link that can still be used (for the upload page), or the reason it cannot. */
  async function orderForToken(token: string): Promise<Order> {
    const order = await ordersRepo.system.findByGo2scanHash(db, sha256Hex(token));
    const problem = tokenProblem(order);
    if (problem) throw problem;
    return order!;
  }

  return {
    linkFor,

    /** `POST /orders/go2scan`: the order (status New) and its link, shown in this answer only. */
    async create(caller: Caller, fields: Go2scanFields): Promise<{ order: Order; link: string }> {
      const customer: Go2scanCustomer | null = fields.customer
        ? {
            name: cleanText(fields.customer.name),
            email: cleanText(fields.customer.email)?.toLowerCase() ?? null,
            phone: cleanText(fields.customer.phone),
          }
        : null;
      const sendInvitation = fields.send_invitation ?? Boolean(customer?.email);
      if (sendInvitation && !customer?.email) throw fieldError(['customer', 'email'], 'field required', 'value_error.missing');
      const row = await newOrder.build(caller, fields, { orderType: 'vbim', isScanOrder: true, ownerFallback: caller.userEmail });
      const token = ids.token(32);
      const now = clock.nowUs();
      row.go2scan_token_hash = sha256Hex(token);
      row.go2scan_expires_at = now + GO2SCAN_LINK_DAYS * 86_400 * 1e6;
      row.go2scan_customer = customer;
      row.go2scan_invitation_sent_at = sendInvitation ? now : null;
      const link = linkFor(token);
      await db.transaction().execute(async (tx) => {
        await ordersRepo.forCompany(caller.companyId).insert(tx, row);
        if (sendInvitation) {
          const hello = customer!.name ? `Hello ${customer!.name},` : 'Hello,';
          await emails.queue(tx, {
            companyId: caller.companyId,
            to: customer!.email!,
            subject: `Scan your home: ${row.full_address}`,
            text: `${hello}\n\nYou are invited to scan ${row.full_address} with GoToScan.\nOpen this link on your phone: ${link}\n\nThe link works once and expires in ${GO2SCAN_LINK_DAYS} days.\n`,
            html: `<p>${escapeHtml(hello)}</p><p>You are invited to scan <strong>${escapeHtml(row.full_address)}</strong> with GoToScan.</p><p><a href="${escapeHtml(link)}">Open the scan page</a> on your phone.</p><p>The link works once and expires in ${GO2SCAN_LINK_DAYS} days.</p>`,
            kind: 'go2scan_invitation',
          });
        }
      });
      if (sendInvitation) void emails.kick();
      return { order: row, link };
    },

    orderForToken,

    /**
     * Stores the uploaded scan files, then moves the order New → Pending; the link is used up.
     * The token is checked before the body is read and again under the order's lock.
     */
    async upload(token: string, parts: AsyncIterable<UploadPart>) {
      const order = await orderForToken(token);
      const stored: { id: string; key: string; name: string; contentType: string; size: number }[] = [];
      let totalBytes = 0;
      // Which limit a file that grew too large ran into: its own, or what was left of the upload's.
      let limitHit: 'file' | 'total' = 'file';
      const cleanup = () => Promise.all(stored.map((f) => files.delete(f.key).catch(() => undefined)));
      try {
        for await (const part of parts) {
          if (stored.length >= MAX_SCAN_FILES) throw new PayloadTooLargeError(`A scan upload holds at most ${MAX_SCAN_FILES} files.`);
          const id = ids.uuid();
          const key = `scans/${order.id}/${id}`;
          const left = config.scanMaxTotalBytes - totalBytes;
          limitHit = left < config.scanMaxBytes ? 'total' : 'file';
          const info = await files.put(key, part.file, { maxBytes: Math.min(config.scanMaxBytes, left) });
          totalBytes += info.size;
          stored.push({
            id,
            key,
            name: (part.filename || 'scan').slice(0, 255),
            contentType: part.mimetype || 'application/octet-stream',
            size: info.size,
          });
        }
        if (stored.length === 0) throw fieldError(['files'], 'field required', 'value_error.missing');
        const pending = await transitions.withOrder(null, order.id, async (tx, current) => {
          const problem = tokenProblem(current.go2scan_token_hash === order.go2scan_token_hash ? current : undefined);
          if (problem) throw problem;
          const now = clock.nowUs();
          for (const f of stored) {
            await ordersRepo.system.insertScanFile(tx, {
              id: f.id,
              order_id: current.id,
              storage_key: f.key,
              original_name: f.name,
              content_type: f.contentType,
              size: f.size,
              created_at: now,
            });
          }
          return transitions.move(tx, current, 'uploadScan', {
            set: {
              ...enterPending(current, now, await productionDelayFor(tx, current.company_id, config.productionDelayS)),
              go2scan_uploaded_at: now,
            },
          });
        });
        return {
          message: 'Scan received.',
          order_id: pending.id,
          status: pending.status,
          files: stored.map((f) => ({ id: f.id, name: f.name, size: f.size })),
        };
      } catch (err) {
        await cleanup();
        if (err instanceof FileTooLargeError && limitHit === 'total') {
          throw new PayloadTooLargeError(`A scan upload may hold at most ${config.scanMaxTotalBytes} bytes in all.`);
        }
        if (err instanceof FileTooLargeError || (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new PayloadTooLargeError(`A scan file may be at most ${config.scanMaxBytes} bytes.`);
        }
        if ((err as { code?: string }).code === 'FST_FILES_LIMIT')
          throw new PayloadTooLargeError(`A scan upload holds at most ${MAX_SCAN_FILES} files.`);
        if (!(err instanceof AppError)) log.warn({ orderId: order.id, err: (err as Error).message }, 'scan upload failed');
        throw err;
      }
    },
  };
}

export type Go2scanService = ReturnType<typeof go2scanServiceFactory>;
