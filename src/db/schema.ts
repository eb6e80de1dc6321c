// Table types for Kysely: one interface of tables per area, joined into Database at the end.
// Times are integer microseconds since the epoch; JSON columns hold text, decoded and encoded only
// by the repo that owns the table.
import type { Insertable, Selectable, Updateable } from 'kysely';

export interface CompaniesTable {
  id: string;
  name: string;
  country: string | null;
  customer_type: string;
  main_office_id: string;
  allow_submission_without_draft: number;
  allow_post_scan_upgrades: number;
  webhook_urls: string; // JSON array
  webhook_triggers: string; // JSON array
  default_package_type: string;
  default_add_ons: string; // JSON array
  merged_into: string | null;
  created_at: number;
}

export interface OfficesTable {
  id: string;
  company_id: string;
  name: string;
  name_key: string; // lower-cased name, unique per company
  created_at: number;
}

export interface UsersTable {
  id: string;
  company_id: string;
  office_id: string;
  email: string; // stored lower-case, unique across the system
  name: string | null;
  surname: string | null;
  role: string;
  email_confirmed: number;
  password_hash: string | null;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  company_id: string;
  user_id: string | null;
  key_hash: string;
  prefix: string;
  created_at: number;
  revoked_at: number | null;
}

export interface UserTokensTable {
  id: string;
  user_id: string;
  kind: string; // invite | reset
  token_hash: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface EmailsTable {
  id: string;
  company_id: string | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  kind: string;
  created_at: number;
  sent_at: number | null;
  attempts: number;
  last_error: string | null;
}

export interface MergeRequestsTable {
  id: string;
  company_id: string;
  target_company_id: string;
  target_email: string;
  status: string; // pending | approved
  created_at: number;
  approved_at: number | null;
}

export interface IdempotencyKeysTable {
  company_id: string;
  idem_key: string;
  request_hash: string;
  status_code: number | null; // null while the first request is in flight
  response_body: string | null;
  content_type: string | null;
  created_at: number;
  /** 1: `response_body` is sealed (it holds a secret), readable only with the caller's API key. */
  sealed: number;
}

export interface ServerSettingsTable {
  name: string;
  value: string;
}

export interface FoundationTables {
  companies: CompaniesTable;
  offices: OfficesTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  user_tokens: UserTokensTable;
  emails: EmailsTable;
  merge_requests: MergeRequestsTable;
  idempotency_keys: IdempotencyKeysTable;
  server_settings: ServerSettingsTable;
}

import type { OrderTables } from './tables/orders.js';
import type { WebhookTables } from './tables/webhooks.js';
import type { AssetTables } from './tables/assets.js';
import type { ConsoleTables } from './tables/console.js';
import type { SandboxTables } from './tables/sandbox.js';
import type { RequestLogTables } from './tables/request-log.js';

export interface Database
  extends FoundationTables, OrderTables, WebhookTables, AssetTables, ConsoleTables, SandboxTables, RequestLogTables {}

export type CompanyRow = Selectable<CompaniesTable>;
export type OfficeRow = Selectable<OfficesTable>;
export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type EmailRow = Selectable<EmailsTable>;
