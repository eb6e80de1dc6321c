// Sandbox controls per company (issue 19): the settings document as sent, completed with defaults.
// Times are integer microseconds.
import type { Selectable } from 'kysely';

export interface SandboxSettingsTable {
  company_id: string;
  document: string; // JSON: the whole settings document (domain/sandbox-settings.ts)
  updated_at: number;
}

export interface SandboxTables {
  sandbox_settings: SandboxSettingsTable;
}

export type SandboxSettingsRow = Selectable<SandboxSettingsTable>;
