// server_settings: named values of the server itself (the operator key's hash, server secrets, the
// demo-seeded mark). Written once: the first writer of a name wins, later writers read its value.
import type { Db } from '../../db/dialect.js';

export const serverSettingsRepo = {
  async read(db: Db, name: string): Promise<string | undefined> {
    const row = await db.selectFrom('server_settings').select('value').where('name', '=', name).executeTakeFirst();
    return row?.value;
  },

  /** Stores `value` unless the name has one; answers the value stored. */
  async writeOnce(db: Db, name: string, value: string): Promise<string> {
    await serverSettingsRepo.claim(db, name, value);
    const row = await db.selectFrom('server_settings').select('value').where('name', '=', name).executeTakeFirstOrThrow();
    return row.value;
  },

  /** Stores `value` unless the name has one; true when this call stored it. */
  async claim(db: Db, name: string, value: string): Promise<boolean> {
    const res = await db
      .insertInto('server_settings')
      .values({ name, value })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  },
};
