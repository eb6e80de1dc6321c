// Helpers for the Users tests: create users through the API, read the outbox, pull tokens out of links.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { verifyPassword } from '../../src/services/users/passwords.js';
import type { TestApp, TestCompany } from './app.js';
import type { EmailView } from '../../src/services/emails/emails-service.js';

export const USERS = '/api/integrate/v3/users';

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${crypto.randomBytes(5).toString('hex')}@example.com`;
}

export interface CreatedUser {
  id: string;
  email: string;
}

/** POST /users and insist on success. */
export async function createUser(ctx: TestApp, company: TestCompany, body: Record<string, unknown>): Promise<CreatedUser> {
  const res = await ctx.inject({ method: 'POST', url: USERS, headers: company.headers, payload: body });
  assert.equal(res.statusCode, 200, res.body);
  const created = res.json();
  return { id: created.id, email: created.email };
}

/** An email as the operator API shows it. */
export type OutboxEmail = EmailView;

/** Every email in the outbox matching the admin query string, newest first. */
export async function outbox(ctx: TestApp, query = ''): Promise<OutboxEmail[]> {
  const res = await ctx.inject({ method: 'GET', url: `/admin/v1/emails?limit=100${query ? `&${query}` : ''}`, headers: ctx.adminHeaders });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items;
}

/** The token of the single `<publicUrl>/<page>/<token>` link in a text. */
export function tokenFromLink(ctx: TestApp, text: string, page: 'invite' | 'reset-password'): string {
  const escaped = `${ctx.config.publicUrl}/${page}/`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const matches = [...text.matchAll(new RegExp(`${escaped}([A-Za-z0-9_-]+)`, 'g'))].map((m) => m[1]!);
  assert.ok(matches.length > 0, `no ${page} link in: ${text}`);
  assert.equal(new Set(matches).size, 1, 'one link, however often it appears');
  return matches[0]!;
}

/** Whether the password opens the account now, checked against the stored argon2id hash. */
export async function passwordWorks(ctx: TestApp, email: string, password: string): Promise<boolean> {
  const row = await ctx.storage.db.selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow();
  return verifyPassword(row.password_hash, password);
}

/** The stored user row, or undefined once deleted. */
export async function userRow(ctx: TestApp, id: string) {
  return ctx.storage.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An order row owned by a user, written straight to the table (the orders API is another area). */
export async function insertOrderOwnedBy(ctx: TestApp, companyId: string, owner: CreatedUser): Promise<string> {
  const id = crypto.randomUUID();
  const now = ctx.clock.nowUs();
  await ctx.storage.db
    .insertInto('orders')
    .values({
      id,
      company_id: companyId,
      status: 'Draft',
      held: 0,
      created_by: owner.email,
      owner_user_id: owner.id,
      owner_email: owner.email,
      order_type: 'vbim',
      is_scan_order: 1,
      external_id: null,
      add_info: '',
      style_template: null,
      package_type: 'base',
      add_ons: '[]',
      total_scanned_area: 0,
      first_delivered_at: null,
      created_at: now,
      updated_at: now,
      status_changed_at: now,
      due_at: null,
      model_id: crypto.randomUUID(),
      street: 'Main Street',
      number: '1',
      suite: null,
      city: 'Oulu',
      state: null,
      postal_code: null,
      country: 'Finland',
      latitude: null,
      longitude: null,
      full_address: '1 Main Street, Oulu, Finland',
      source: null,
      order_preferences: null,
      go2scan_token_hash: null,
      go2scan_expires_at: null,
      go2scan_customer: null,
      go2scan_invitation_sent_at: null,
      go2scan_uploaded_at: null,
      delivered_products: '[]',
      pending_delivery_type: null,
    })
    .execute();
  return id;
}
