// The orphan sweep: stored files no row names, older than a grace period, are deleted. Files are
// written before the rows that name them commit, so a crash in between (or a failed transaction,
// or a killed render) leaves at most such an orphan, never a row naming a missing file. The grace
// period covers a write whose rows are about to commit. Either driver; run by `casa-integrate
// storage sweep` and by every worker once a day.
import { deliverablesRepo } from '../deliverables/deliverables-repo.js';
import { ordersRepo } from '../orders/orders-repo.js';
import type { ServiceDeps } from '../deps.js';
import type { ListedFile } from '../../storage/file-storage.js';

export interface SweepSummary {
  /** Stored files looked at. */
  scanned: number;
  /** Unnamed files old enough, deleted. */
  removed: number;
  removed_bytes: number;
  /** Unnamed files younger than the grace period, left for a later sweep. */
  young: number;
}

// Keys are checked against the database this many at a time (well under any bound-parameter limit).
const BATCH = 500;

export function storageSweepServiceFactory({ db, files, config, log }: Pick<ServiceDeps, 'db' | 'files' | 'config' | 'log'>) {
  async function namedKeys(keys: string[]): Promise<Set<string>> {
    const [delivered, scans] = await Promise.all([deliverablesRepo.system.keysNamed(db, keys), ordersRepo.system.scanKeysNamed(db, keys)]);
    return new Set([...delivered, ...scans]);
  }

  return {
    /**
     * Deletes the orphans older than `graceS` (default CASA_STORAGE_ORPHAN_GRACE_S). Ages are
     * measured on the wall clock: the store stamps its files with real time, not the app's clock.
     */
    async sweep(opts: { graceS?: number } = {}): Promise<SweepSummary> {
      const cutoffMs = Date.now() - (opts.graceS ?? config.orphanGraceS) * 1000;
      const summary: SweepSummary = { scanned: 0, removed: 0, removed_bytes: 0, young: 0 };
      let batch: ListedFile[] = [];
      const settle = async () => {
        const named = await namedKeys(batch.map((f) => f.key));
        for (const f of batch) {
          if (named.has(f.key)) continue;
          if (f.mtimeMs > cutoffMs) {
            summary.young++;
            continue;
          }
          // Production rewrites a file it reuses once it is half the grace period old, so a file
          // about to be named again is young by now; asked again just before the delete.
          const current = await files.stat(f.key);
          if (!current) continue;
          if (current.mtimeMs > cutoffMs || (await namedKeys([f.key])).size > 0) {
            summary.young++;
            continue;
          }
          await files.delete(f.key);
          summary.removed++;
          summary.removed_bytes += f.size;
        }
        batch = [];
      };
      for await (const f of files.list()) {
        summary.scanned++;
        batch.push(f);
        if (batch.length >= BATCH) await settle();
      }
      await settle();
      if (summary.removed) log.info({ ...summary }, 'storage sweep removed orphaned files');
      return summary;
    },
  };
}

export type StorageSweepService = ReturnType<typeof storageSweepServiceFactory>;
