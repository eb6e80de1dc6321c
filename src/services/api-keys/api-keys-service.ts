// API keys: `casa_` + 40 base62 characters, shown once, kept only as SHA-256.
import { isUuid, randomBase62, sha256Hex, toEpochSeconds } from '../../domain/clock.js';
import { NotFoundError, UnauthorizedError } from '../../errors.js';
import type { Db } from '../../db/dialect.js';
import type { ServiceDeps } from '../deps.js';
import { apiKeysRepo, type KeyOwner } from './api-keys-repo.js';

export interface IssuedKey {
  id: string;
  api_key: string;
  prefix: string;
  created_at: number;
}

export interface ApiKeyView {
  id: string;
  prefix: string;
  user_id: string | null;
  created_at: number;
  revoked_at: number | null;
}

export function apiKeysServiceFactory({ db, clock, ids, reads }: Pick<ServiceDeps, 'db' | 'clock' | 'ids' | 'reads'>) {
  return {
    /** Issues a key inside the caller's transaction. */
    async issue(tx: Db, companyId: string, userId: string | null): Promise<IssuedKey> {
      const raw = `casa_${randomBase62(40)}`;
      const row = {
        id: ids.uuid(),
        user_id: userId,
        key_hash: sha256Hex(raw),
        prefix: raw.slice(0, 9),
        created_at: clock.nowUs(),
        revoked_at: null,
      };
      await apiKeysRepo.forCompany(companyId).insert(tx, row);
      return { id: row.id, api_key: raw, prefix: row.prefix, created_at: toEpochSeconds(row.created_at) };
    },

    async authenticate(rawKey: string | undefined): Promise<KeyOwner> {
      if (!rawKey || !rawKey.startsWith('casa_') || rawKey.length > 200) throw new UnauthorizedError();
      // Keyed by the raw key, so a cached answer needs no hashing; keys stay in memory only.
      const owner = await reads.read(`api-key ${rawKey}`, () => apiKeysRepo.system.findActiveByHash(db, sha256Hex(rawKey)), 'identity');
      if (!owner) throw new UnauthorizedError();
      return owner;
    },

    async list(companyId: string): Promise<ApiKeyView[]> {
      const rows = await apiKeysRepo.forCompany(companyId).list(db);
      return rows.map((r) => ({
        id: r.id,
        prefix: r.prefix,
        user_id: r.user_id,
        created_at: toEpochSeconds(r.created_at),
        revoked_at: toEpochSeconds(r.revoked_at),
      }));
    },

    async revoke(keyId: string): Promise<void> {
      const ok = isUuid(keyId) && (await apiKeysRepo.system.revoke(db, keyId, clock.nowUs()));
      if (!ok) throw new NotFoundError('API key not found.');
    },
  };
}

export type ApiKeysService = ReturnType<typeof apiKeysServiceFactory>;
