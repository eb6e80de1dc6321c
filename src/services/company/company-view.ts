// The company object as the API shows it.
import { toEpochSeconds } from '../../domain/clock.js';
import type { Company } from './company-repo.js';

export function companyView(row: Company) {
  return {
    id: row.id,
    name: row.name,
    country: row.country,
    customer_type: row.customer_type,
    created_at: toEpochSeconds(row.created_at),
    main_office_id: row.main_office_id,
    webhook_urls: row.webhook_urls,
    webhook_triggers: row.webhook_triggers as string[],
    settings: {
      allow_submission_without_draft: row.allow_submission_without_draft === 1,
      allow_post_scan_upgrades: row.allow_post_scan_upgrades === 1,
    },
  };
}

export type CompanyView = ReturnType<typeof companyView>;
