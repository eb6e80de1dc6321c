// Console session rows, addressed by the SHA-256 of the cookie's token.
import type { Db } from '../../db/dialect.js';
import type { ConsoleSessionRow } from '../../db/tables/console.js';

export const consoleSessionsRepo = {
  async insert(db: Db, row: ConsoleSessionRow): Promise<void> {
    await db.insertInto('console_sessions').values(row).execute();
  },

  async findLive(db: Db, tokenHash: string, nowUs: number): Promise<ConsoleSessionRow | undefined> {
    return db
      .selectFrom('console_sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', nowUs)
      .executeTakeFirst();
  },

  async touch(db: Db, tokenHash: string, nowUs: number): Promise<void> {
    await db.updateTable('console_sessions').set({ last_seen_at: nowUs }).where('token_hash', '=', tokenHash).execute();
  },

  async delete(db: Db, tokenHash: string): Promise<void> {
    await db.deleteFrom('console_sessions').where('token_hash', '=', tokenHash).execute();
  },

  /** Ends every session; answers how many there were. */
  async deleteAll(db: Db): Promise<number> {
    const result = await db.deleteFrom('console_sessions').executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  async countLive(db: Db, nowUs: number): Promise<number> {
    const row = await db
      .selectFrom('console_sessions')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('expires_at', '>', nowUs)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async deleteExpired(db: Db, nowUs: number): Promise<void> {
    await db.deleteFrom('console_sessions').where('expires_at', '<=', nowUs).execute();
  },
};
