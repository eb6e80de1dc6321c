import { toEpochSeconds } from '../../domain/clock.js';
import type { Role } from '../../domain/catalog.js';
import type { UserRow } from '../../db/schema.js';

/** The user item exactly as `GET /users` lists it. */
export function userView(
  row: Pick<UserRow, 'id' | 'email' | 'name' | 'surname' | 'role' | 'email_confirmed' | 'created_at' | 'office_id'>,
) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    surname: row.surname,
    role: row.role as Role,
    email_confirmed: row.email_confirmed === 1,
    created_at: toEpochSeconds(row.created_at),
    office_id: row.office_id,
  };
}

export type UserView = ReturnType<typeof userView>;
