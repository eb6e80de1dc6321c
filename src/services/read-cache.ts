// Answers to hot reads (the api-key lookup, first pages of lists), kept while the database has not
// changed. Each entry remembers the data version read before its query ran, and is used only while
// the version is still the same, so a write anywhere (any process) ends every entry at once: an
// answer is never older than the last commit. Identity reads (keys, users, company settings) are
// kept in their own scope, which only writes to those tables end in this process, so order writes
// do not send every request back to the api-key lookup. Where the database has no version for a
// scope (PostgreSQL keeps only identity answers), nothing is kept. Values are shared between
// requests: callers must not mutate them.
// Only reads outside a transaction may go through here (a read inside one could see writes that
// are later rolled back).
import type { VersionScope } from '../db/database.js';

const MAX_ENTRIES = 2000;

export interface ReadCache {
  read<T>(key: string, load: () => Promise<T>, scope?: VersionScope): Promise<T>;
}

interface Scope {
  entries: Map<string, { version: string; value: unknown }>;
  version: string | null;
}

export function readCache(dataVersion: (scope: VersionScope) => string | null, enabled = true, maxEntries = MAX_ENTRIES): ReadCache {
  const scopes: Record<VersionScope, Scope> = {
    all: { entries: new Map(), version: null },
    identity: { entries: new Map(), version: null },
  };
  return {
    async read<T>(key: string, load: () => Promise<T>, scopeName: VersionScope = 'all'): Promise<T> {
      const version = enabled ? dataVersion(scopeName) : null;
      if (version === null) return load();
      const scope = scopes[scopeName];
      if (version !== scope.version) {
        // Everything kept belongs to an older version: drop it in one go rather than entry by entry.
        scope.entries.clear();
        scope.version = version;
      }
      const hit = scope.entries.get(key);
      if (hit && hit.version === version) return hit.value as T;
      const value = await load();
      // Another request may have moved the version on meanwhile; the entry is still tagged with the
      // version read before the query, so it is never served for a newer one.
      if (scope.entries.size >= maxEntries) scope.entries.delete(scope.entries.keys().next().value!);
      scope.entries.set(key, { version, value });
      return value;
    },
  };
}
