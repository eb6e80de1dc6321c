// Every benchmark scenario, in the order `npm run bench` runs them. Add yours here.
import type { Scenario } from './scenario.js';
import { usersList } from './users-list.js';

export const scenarios: Scenario[] = [usersList];

export type { Scenario, BenchContext, BenchRequest } from './scenario.js';
