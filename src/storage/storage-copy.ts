// `casa-integrate storage copy --to s3|local`: every stored file of one store into the other, so an
// installation moves from its data directory into a bucket (or back). Idempotent and resumable: a
// key already at the target with the same size is skipped, so a run cut off is simply run again.
import type { FileStorage } from './file-storage.js';

export interface CopySummary {
  files: number;
  copied: number;
  skipped: number;
  copied_bytes: number;
}

export async function copyFiles(
  from: FileStorage,
  to: FileStorage,
  progress: (done: CopySummary) => void = () => undefined,
): Promise<CopySummary> {
  // Temporary files of killed local writes are leftovers, not stored files.
  const listed: { key: string; size: number }[] = [];
  for await (const f of from.list()) if (!f.key.endsWith('.tmp')) listed.push(f);
  listed.sort((a, b) => a.key.localeCompare(b.key));
  const summary: CopySummary = { files: listed.length, copied: 0, skipped: 0, copied_bytes: 0 };
  for (const f of listed) {
    const there = await to.stat(f.key);
    if (there && there.size === f.size) summary.skipped++;
    else {
      await to.put(f.key, from.createReadStream(f.key));
      summary.copied++;
      summary.copied_bytes += f.size;
    }
    progress(summary);
  }
  return summary;
}
