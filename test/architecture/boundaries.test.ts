// The lint rules that hold the layers of docs/architecture.md: each case is code a newcomer might
// write in the wrong room, and the rule that refuses it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('npm run lint: the one-way flow', () => {
  const refused: [string, string, string, string][] = [
    [
      'a route imports a repo',
      'src/http/routes/integrate/x.ts',
      "import { ordersRepo } from '../../../services/orders/orders-repo.js';\nvoid ordersRepo;\n",
      '@typescript-eslint/no-restricted-imports',
    ],
    [
      'a route imports the database',
      'src/http/routes/x.ts',
      "import { openStorage } from '../../db/database.js';\nvoid openStorage;\n",
      '@typescript-eslint/no-restricted-imports',
    ],
    [
      'a route imports kysely',
      'src/http/routes/x.ts',
      "import { sql } from 'kysely';\nvoid sql;\n",
      '@typescript-eslint/no-restricted-imports',
    ],
    [
      'a worker imports a repo',
      'src/workers/x.ts',
      "import { ordersRepo } from '../services/orders/orders-repo.js';\nvoid ordersRepo;\n",
      '@typescript-eslint/no-restricted-imports',
    ],
    [
      'a service imports http/',
      'src/services/orders/x.ts',
      "import { errorResponse } from '../../http/error-handler.js';\nvoid errorResponse;\n",
      '@typescript-eslint/no-restricted-imports',
    ],
    [
      'a service imports fastify, even for a type',
      'src/services/orders/x.ts',
      "import type { FastifyInstance } from 'fastify';\nexport type X = FastifyInstance;\n",
      '@typescript-eslint/no-restricted-imports',
    ],
    [
      'a repo imports a service',
      'src/services/orders/x-repo.ts',
      "import { ordersServiceFactory } from './orders-service.js';\nvoid ordersServiceFactory;\n",
      '@typescript-eslint/no-restricted-imports',
    ],
    ['domain code reads a file', 'src/domain/x.ts', "import fs from 'node:fs';\nvoid fs;\n", '@typescript-eslint/no-restricted-imports'],
    [
      'domain code imports a repo',
      'src/domain/x.ts',
      "import { ordersRepo } from '../services/orders/orders-repo.js';\nvoid ordersRepo;\n",
      '@typescript-eslint/no-restricted-imports',
    ],
    [
      'a service builds a query',
      'src/services/orders/x.ts',
      "export const q = (db: { selectFrom(t: string): unknown }) => db.selectFrom('orders');\n",
      'no-restricted-syntax',
    ],
    [
      'a route builds a query',
      'src/http/routes/x.ts',
      "export const q = (tx: { updateTable(t: string): unknown }) => tx.updateTable('orders');\n",
      'no-restricted-syntax',
    ],
    ['code from a string', 'src/render/x.ts', "export const f = new Function('a', 'return a');\n", 'no-new-func'],
    ['eval', 'src/db/x.ts', "export const v = eval('1');\n", 'no-eval'],
    ['a thread run from vm', 'src/render/x.ts', "import vm from 'node:vm';\nvoid vm;\n", 'no-restricted-syntax'],
  ];
  for (const [what, file, code, rule] of refused) {
    it(`refuses ${what}`, async () => {
      assert.ok((await problems(file, code)).includes(rule), `${file} should fail ${rule}`);
    });
  }

  const allowed: [string, string, string][] = [
    [
      'a repo builds a query',
      'src/services/orders/x-repo.ts',
      "export const q = (db: { selectFrom(t: string): unknown }) => db.selectFrom('orders');\n",
    ],
    [
      "a service calls another area's repo",
      'src/services/orders/x.ts',
      "import { usersRepo } from '../users/users-repo.js';\nvoid usersRepo;\n",
    ],
    [
      'a route imports a row type',
      'src/http/routes/x.ts',
      "import type { OrderRow } from '../../db/tables/orders.js';\nexport type X = OrderRow;\n",
    ],
    ['domain code imports the errors', 'src/domain/x.ts', "import { NotFoundError } from '../errors.js';\nvoid NotFoundError;\n"],
  ];
  for (const [what, file, code] of allowed) {
    it(`allows ${what}`, async () => {
      assert.deepEqual(await problems(file, code), []);
    });
  }
});
