// Sandbox controls per company: the settings document (read, replaced, cleared) and the fault
// decision for each customer request. Settings come with the api key's lookup (KeyOwner.sandbox),
// so a company without them costs a request nothing more than a null check.
import {
  completeSandboxSettings,
  decideFaults,
  defaultSandboxSettings,
  sandboxProblems,
  type FaultDecision,
  type FaultTarget,
  type SandboxSettings,
} from '../../domain/sandbox-settings.js';
import { RequestValidationError } from '../../errors.js';
import type { ServiceDeps } from '../deps.js';
import { assertCompanyExists } from '../company/company-must-exist.js';
import { ordersRepo } from '../orders/orders-repo.js';
import { webhookDeliveriesRepo } from '../webhooks/webhook-deliveries-repo.js';
import { decodeSandboxDocument, sandboxRepo } from './sandbox-repo.js';
import type { SandboxStreams } from './sandbox-streams.js';

const MAX_PARSED = 1000;

export function sandboxServiceFactory({ db, clock, streams }: Pick<ServiceDeps, 'db' | 'clock'> & { streams: SandboxStreams }) {
  // Parsed documents by company, kept while the stored version is the same.
  const parsed = new Map<string, { version: number; settings: SandboxSettings }>();

  function settingsOf(companyId: string, document: string, version: number): SandboxSettings {
    const kept = parsed.get(companyId);
    if (kept && kept.version === version) return kept.settings;
    const settings = decodeSandboxDocument(document);
    if (!kept && parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value!);
    parsed.set(companyId, { version, settings });
    return settings;
  }

  return {
    /** The company's settings; the defaults (nothing injected) when none are set. */
    async get(companyId: string): Promise<SandboxSettings> {
      await assertCompanyExists(db, companyId);
      return (await sandboxRepo.forCompany(companyId).find(db))?.settings ?? defaultSandboxSettings();
    },

    /** Replaces the whole document; fields left out take their defaults. Random streams start again from the seed. */
    async put(companyId: string, input: Partial<SandboxSettings>): Promise<SandboxSettings> {
      await assertCompanyExists(db, companyId);
      const settings = completeSandboxSettings(input);
      const problems = sandboxProblems(settings);
      if (problems.length) {
        throw new RequestValidationError(
          'body_params',
          problems.map((p) => ({ loc: p.loc, msg: p.msg, type: 'value_error' })),
        );
      }
      await sandboxRepo.forCompany(companyId).put(db, settings, clock.nowUs());
      return settings;
    },

    /** Back to the defaults: nothing injected, the server's timing. */
    async clear(companyId: string): Promise<void> {
      await assertCompanyExists(db, companyId);
      await sandboxRepo.forCompany(companyId).remove(db);
    },

    /**
     * "Deliver everything due now": the company's orders waiting for production and its webhook
     * deliveries waiting for their next attempt become due at once; the workers take them at
     * their next round. Orders the operator holds stay held.
     */
    async deliverDueNow(companyId: string): Promise<{ orders: number; webhook_deliveries: number }> {
      await assertCompanyExists(db, companyId);
      const now = clock.nowUs();
      return db.transaction().execute(async (tx) => ({
        orders: await ordersRepo.forCompany(companyId).makeProductionDueNow(tx, now),
        webhook_deliveries: await webhookDeliveriesRepo.forCompany(companyId).makeDueNow(tx, now),
      }));
    },

    /** What the fault rules do to this request, given the settings read with its key. */
    faultsFor(companyId: string, document: string, version: number, target: FaultTarget): FaultDecision | null {
      const settings = settingsOf(companyId, document, version);
      if (settings.faults.length === 0) return null;
      return decideFaults(settings.faults, target, streams.stream(companyId, 'faults', settings, version));
    },
  };
}

export type SandboxService = ReturnType<typeof sandboxServiceFactory>;
