// What the console is given; each route file names the part of it that it uses.
import type { Services } from '../../../services/index.js';
import type { ConsoleService } from '../../../services/console/console-service.js';
import type { ConsoleSessions } from '../../../services/console/console-sessions.js';
import type { ValidationEntry } from '../../../errors.js';

export interface ConsoleContext {
  services: Pick<
    Services,
    'company' | 'apiKeys' | 'mergeRequests' | 'orderOperator' | 'deliverables' | 'webhooks' | 'emails' | 'sandbox' | 'requestLog'
  >;
  console: ConsoleService;
  sessions: ConsoleSessions;
  /** CASA_PUBLIC_URL: the links the pages show (files, tours, emails' links). */
  publicUrl: string;
}

export type Form = Record<string, unknown> | undefined;

/** A refused field in words, named by its place in the document: `faults → 0 → rate: …`. */
export function problemLine(e: ValidationEntry): string {
  return `${e.loc.filter((l) => l !== '__root__').join(' → ') || 'value'}: ${e.msg}`;
}

export function field(body: Form, name: string): string {
  const v = body?.[name];
  return typeof v === 'string' ? v : '';
}

/** Offset from a query string: a non-negative integer, else 0. */
export function offsetOf(raw: unknown): number {
  const n = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
  return n;
}

/** The fixed result messages a redirect may ask a page to show (`?done=…`). */
export const DONE_MESSAGES: Record<string, string> = {
  scan: 'The scan was uploaded: the order is Pending.',
  deliver: 'Delivered: the order is Ready.',
  fail: 'The order was moved to Failed.',
  hold: 'Production of this order is on hold.',
  unhold: 'The hold was released.',
  model: 'The floor-plan model was uploaded; the next delivery renders from it.',
  revoked: 'The api key was revoked.',
  merged: 'The merge request was approved.',
  replayed: 'The delivery was queued again; the dispatcher sends it now.',
  sandbox_saved: 'The sandbox settings were saved.',
  sandbox_cleared: "The sandbox settings were cleared: nothing is injected and the server's timing applies.",
  signed_out: 'You are signed out.',
  signed_out_everywhere: 'Every console session has ended, yours included: sign in again.',
};

export function doneMessage(raw: unknown): string | null {
  return typeof raw === 'string' ? (DONE_MESSAGES[raw] ?? null) : null;
}
