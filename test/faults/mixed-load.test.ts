// The acceptance run of issue 7, short, as a test: the mixed load against the server run as real
// processes, then its checks (no 5xx, every created order listed exactly once, every webhook
// event received at least once and at most once per attempt). Only with BENCH_ACCEPTANCE=1:
// it starts four server processes and loads them. On PostgreSQL (TEST_DATABASE_URL) it runs
// CASA_ROLE=api CASA_PROCESSES=2 plus two CASA_ROLE=worker in a schema of its own, as
// `npm run bench -- mixed-pg` does for 60 s; on SQLite, CASA_PROCESSES=2.
//
//   BENCH_ACCEPTANCE=1 TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx --test test/faults/mixed-load.test.ts
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runMixedBench } from '../../bench/scenarios/mixed.js';
import { TEST_DATABASE_URL } from '../helpers/app.js';

const enabled = Boolean(process.env.BENCH_ACCEPTANCE);

describe('mixed load on several processes', { skip: enabled ? false : 'set BENCH_ACCEPTANCE=1 to run it' }, () => {
  it(
    'ends with no 5xx, every created order listed once and every webhook received once per attempt at most',
    { timeout: 900_000 },
    async () => {
      const result = await runMixedBench({
        database: TEST_DATABASE_URL ? 'postgres' : 'sqlite',
        pgUrl: TEST_DATABASE_URL ?? undefined,
        durationS: Number(process.env.BENCH_DURATION || 10),
        warmupS: 0,
        connections: 16,
        bare: false,
        orders: 1000,
        log: () => {},
      });
      for (const check of result.checks) assert.ok(check.ok, `${check.name}: ${check.detail}`);
      assert.ok(
        Object.values(result.ops).some((byStatus) => (byStatus['200'] ?? 0) > 0),
        'the load got answers',
      );
    },
  );
});
