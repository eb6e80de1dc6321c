// The sandbox_settings table: one settings document per company, decoded here once.
import type { Db } from '../../db/dialect.js';
import { completeSandboxSettings, type SandboxSettings } from '../../domain/sandbox-settings.js';
import { compiledOnce, firstRow } from '../../db/compiled-once.js';

export interface StoredSandbox {
  settings: SandboxSettings;
  updatedAt: number;
}

export function decodeSandboxDocument(document: string): SandboxSettings {
  return completeSandboxSettings(JSON.parse(document) as Partial<SandboxSettings>);
}

/** A sandbox_settings row (or its columns joined onto another table's) as the services use it. */
export function storedSandbox(row: { document: string; updated_at: number }): StoredSandbox {
  return { settings: decodeSandboxDocument(row.document), updatedAt: row.updated_at };
}

export const sandboxRepo = {
  forCompany(companyId: string) {
    return {
      async find(db: Db): Promise<StoredSandbox | undefined> {
        const query = compiledOnce(db, 'sandbox settings', [companyId], ([company]) =>
          db.selectFrom('sandbox_settings').select(['document', 'updated_at']).where('company_id', '=', company!),
        );
        const row = await firstRow(db, query);
        return row && storedSandbox(row);
      },

      async put(db: Db, settings: SandboxSettings, at: number): Promise<void> {
        const document = JSON.stringify(settings);
        await db
          .insertInto('sandbox_settings')
          .values({ company_id: companyId, document, updated_at: at })
          .onConflict((oc) => oc.column('company_id').doUpdateSet({ document, updated_at: at }))
          .execute();
      },

      async remove(db: Db): Promise<boolean> {
        const res = await db.deleteFrom('sandbox_settings').where('company_id', '=', companyId).executeTakeFirst();
        return Number(res.numDeletedRows) > 0;
      },
    };
  },
};
