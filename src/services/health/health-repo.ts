// The readiness probe's one query: the cheapest round trip that proves the database answers.
import { sql } from 'kysely';
import type { Db } from '../../db/dialect.js';

export const healthRepo = {
  async ping(db: Db): Promise<void> {
    await sql`select 1`.execute(db);
  },
};
