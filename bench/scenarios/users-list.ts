// GET /users?limit=20 for a company with 1,000 users.
import crypto from 'node:crypto';
import type { Scenario } from './scenario.js';

const USERS = 1000;
const ROLES = ['User', 'Collaborator', 'Manager'] as const;

export const usersList: Scenario = {
  name: 'users-list',
  description: `GET /users?limit=20, company with ${USERS.toLocaleString('en')} users`,
  target: { minRatio: 0.5, maxP99Ms: 20 },
  async prepare({ storage, services, clock }) {
    const company = await services.company.create({
      name: 'Bench Realty',
      manager_email: 'manager@bench.example',
      manager_password: 'bench-password-1',
    });
    const officeId = company.company.main_office_id;
    const start = clock.nowUs() - USERS * 1_000_000;
    const rows = Array.from({ length: USERS - 1 }, (_, i) => ({
      id: crypto.randomUUID(),
      company_id: company.company.id,
      office_id: officeId,
      email: `user${i}@bench.example`,
      name: i % 3 === 0 ? null : `Name${i}`,
      surname: i % 3 === 0 ? null : `Surname${i}`,
      role: ROLES[i % ROLES.length]!,
      email_confirmed: i % 5 === 0 ? 0 : 1,
      password_hash: null,
      created_at: start + i * 1_000_000,
    }));
    await storage.db.transaction().execute(async (tx) => {
      for (let i = 0; i < rows.length; i += 100)
        await tx
          .insertInto('users')
          .values(rows.slice(i, i + 100))
          .execute();
    });
    return { method: 'GET', path: '/api/integrate/v3/users?limit=20', headers: { 'api-key': company.api_key } };
  },
};

/** The same request with the request log off: `users-list` (log on) must keep 85 % of its throughput. */
export const usersListLogOff: Scenario = {
  ...usersList,
  name: 'users-list-log-off',
  description: `${usersList.description}, CASA_REQUEST_LOG=false (the baseline of users-list, which logs every request)`,
  env: { CASA_REQUEST_LOG: 'false' },
  baselineOf: { scenario: usersList.name, minShare: 0.85, what: 'the request log on' },
};
