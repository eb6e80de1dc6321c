import { sql } from 'kysely';
import type { Migration } from './helpers.js';

// Every api key is attributed to a person, so every order and change request names who created it.
// Keys whose user was deleted before deletion passed them on go to the company's oldest Manager (who
// new keys are attributed to as well), and the orders and change requests they created with an
// empty `created_by` name that Manager. A company always has a Manager: the last one cannot be
// deleted or demoted.
const OLDEST_MANAGER = (column: string, companyColumn: string) =>
  sql.raw(
    `(select u.${column} from users u where u.company_id = ${companyColumn} and u.role = 'Manager' order by u.created_at, u.id limit 1)`,
  );

export const keyAttribution: Migration = {
  async up(db) {
    await sql`update api_keys set user_id = ${OLDEST_MANAGER('id', 'api_keys.company_id')} where user_id is null`.execute(db);
    for (const table of ['orders', 'change_requests'])
      await sql`update ${sql.table(table)} set created_by = coalesce(${OLDEST_MANAGER('email', `${table}.company_id`)}, '') where created_by = ''`.execute(
        db,
      );
  },
};
