// Every benchmark scenario, in the order `npm run bench` runs them. Add yours here.
import type { Scenario } from './scenario.js';
import { usersList, usersListLogOff } from './users-list.js';
import { ordersDeepPage, ordersDraft, ordersList, ordersListAfterWrite, ordersListAfterWriteUncached } from './orders.js';

export const scenarios: Scenario[] = [
  usersList,
  usersListLogOff,
  ordersList,
  ordersDeepPage,
  ordersDraft,
  ordersListAfterWrite,
  ordersListAfterWriteUncached,
];

export type { Scenario, ScenarioTarget, BenchContext, BenchRequest } from './scenario.js';
