// What a company merge does to the target's webhook settings. The target keeps its own unless the
// operator approving the merge explicitly takes the requester's: a merge must never point the
// target's events at URLs the requester chose without someone deciding so (issue 16, item 7).
import { MAX_WEBHOOK_URLS, type WebhookLists, type WebhookTrigger } from './catalog.js';

export const MERGE_WEBHOOK_CHOICES = ['keep_target', 'add_source'] as const;
export type MergeWebhookChoice = (typeof MERGE_WEBHOOK_CHOICES)[number];
export const DEFAULT_MERGE_WEBHOOK_CHOICE: MergeWebhookChoice = 'keep_target';

export interface MergedWebhooks {
  choice: MergeWebhookChoice;
  /** The target's settings after the merge. */
  settings: WebhookLists;
  /** The requester's URLs and triggers the target did not have and now has. */
  added_urls: string[];
  added_triggers: WebhookTrigger[];
  /** The requester's URLs the target does not take (all of them unless `add_source`; past 10 URLs otherwise). */
  dropped_urls: string[];
}

/**
 * `keep_target`: the target's lists unchanged. `add_source`: the target's lists first, then the
 * requester's, de-duplicated, at most 10 URLs (triggers are one list per company, so the
 * requester's URLs keep receiving what it subscribed to, and the target's URLs receive those
 * triggers too).
 */
export function mergedWebhooks(target: WebhookLists, source: WebhookLists, choice: MergeWebhookChoice): MergedWebhooks {
  const settings: WebhookLists =
    choice === 'add_source'
      ? {
          webhook_urls: [...new Set([...target.webhook_urls, ...source.webhook_urls])].slice(0, MAX_WEBHOOK_URLS),
          webhook_triggers: [...new Set([...target.webhook_triggers, ...source.webhook_triggers])],
        }
      : { webhook_urls: [...target.webhook_urls], webhook_triggers: [...target.webhook_triggers] };
  const had = new Set(target.webhook_urls);
  const has = new Set(settings.webhook_urls);
  return {
    choice,
    settings,
    added_urls: settings.webhook_urls.filter((u) => !had.has(u)),
    added_triggers: settings.webhook_triggers.filter((t) => !target.webhook_triggers.includes(t)),
    dropped_urls: [...new Set(source.webhook_urls)].filter((u) => !has.has(u)),
  };
}
