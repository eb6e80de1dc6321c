// What a benchmark scenario is: data seeded into a fresh server, and the one request to measure.
import type { Config } from '../../src/config.js';
import type { Storage } from '../../src/db/database.js';
import type { Clock } from '../../src/domain/clock.js';
import type { Services } from '../../src/services/index.js';

export interface BenchContext {
  storage: Storage;
  services: Services;
  config: Config;
  /** The app's clock, for timestamps of seeded rows. */
  clock: Clock;
}

export interface BenchRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path with query string, e.g. `/api/integrate/v3/users?limit=20`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /**
   * A write sent before each measured request, so that request never comes from the read cache.
   * The CPU of the writes alone is measured in the same run and taken off (run.ts).
   */
  after?: Omit<BenchRequest, 'after'>;
}

/** The target for a scenario; every bound given must hold. */
export interface ScenarioTarget {
  /** API req/s over the bare route's, measured in the same run. */
  minRatio?: number;
  minRps?: number;
  maxP99Ms?: number;
  /** Server CPU per measured request, µs. */
  maxCpuUs?: number;
}

export interface Scenario {
  /** Short, kebab-case; `npm run bench -- <name>` runs only the scenarios named. */
  name: string;
  description: string;
  target: ScenarioTarget;
  /** Server settings of this scenario (environment variables, e.g. CASA_READ_CACHE). */
  env?: Record<string, string>;
  /**
   * This scenario is the baseline of another measured in the same run (the same request with a
   * setting off): that one must keep `minShare` of this one's throughput. Naming either runs both.
   */
  baselineOf?: { scenario: string; minShare: number; what: string };
  /**
   * Seeds the fresh database (through services or bulk inserts) and returns the request to
   * measure. The bench answers the same request from memory on a bare Fastify route, so only
   * read-only requests compare fairly.
   */
  prepare(ctx: BenchContext): Promise<BenchRequest>;
}
