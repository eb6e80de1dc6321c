// The calls `casa-integrate compare` makes, in order, on one side (the real service or ours). Both
// sides run the same plan; where a call needs an id, each side takes it from its own listings, so
// the answers compare call by call though no id is shared. The probes that find the last page of
// orders are not compared: they only locate it.
import { CompareStopped, type GetAnswer, type GetClient, type GetOptions } from './get-client.js';

/** The order statuses of KNOWN.md §1.6, and Failed, which this server also lists. */
export const ORDER_STATUSES = ['New', 'Draft', 'Pending', 'Ready', 'Fixing', 'Failed'];
const PAGE = 20;

export interface Observation {
  /** What was called, with ids as placeholders: the key both sides' answers meet on. */
  call: string;
  /** The OpenAPI operation it exercises, as `GET /orders/{id}`. */
  operation: string;
  status: number | null;
  contentType: string | null;
  json: unknown;
  /** For list calls: the page asked for, so the pagination arithmetic can be checked. */
  page?: { offset: number; limit: number; last?: boolean; pastEnd?: boolean };
}

export interface SideRun {
  observations: Observation[];
  requests: number;
  /** Why the run ended early, or null when every call was made. */
  stopped: string | null;
}

interface Step {
  call: string;
  operation: string;
  path: string;
  options?: GetOptions;
  page?: Observation['page'];
}

const UNKNOWN_ORDER_ID = '00000000-0000-4000-8000-000000000000';

/** Calls that need no data from an earlier answer. */
const FIRST: Step[] = [
  { call: 'GET /companies/info', operation: 'GET /companies/info', path: 'companies/info' },
  { call: 'GET /companies/package', operation: 'GET /companies/package', path: 'companies/package' },
  { call: 'GET /offices', operation: 'GET /offices', path: 'offices', page: { offset: 0, limit: PAGE } },
  { call: 'GET /users', operation: 'GET /users', path: 'users', page: { offset: 0, limit: PAGE } },
];

const ORDER_LISTS: Step[] = [
  {
    call: 'GET /orders?limit=1',
    operation: 'GET /orders',
    path: 'orders',
    options: { query: [['limit', '1']] },
    page: { offset: 0, limit: 1 },
  },
  {
    call: 'GET /orders?limit=20',
    operation: 'GET /orders',
    path: 'orders',
    options: { query: [['limit', String(PAGE)]] },
    page: { offset: 0, limit: PAGE },
  },
  ...ORDER_STATUSES.map((status) => ({
    call: `GET /orders?status=${status}`,
    operation: 'GET /orders',
    path: 'orders',
    options: { query: [['status', status]] as [string, string][] },
    page: { offset: 0, limit: PAGE },
  })),
];

const ERRORS: Step[] = [
  { call: 'GET /orders/{id} (unknown id)', operation: 'GET /orders/{id}', path: `orders/${UNKNOWN_ORDER_ID}` },
  { call: 'GET /orders/{id} (malformed id)', operation: 'GET /orders/{id}', path: 'orders/not-an-order-id' },
  { call: 'GET /orders?limit=0', operation: 'GET /orders', path: 'orders', options: { query: [['limit', '0']] } },
  { call: 'GET /orders?limit=101', operation: 'GET /orders', path: 'orders', options: { query: [['limit', '101']] } },
  { call: 'GET /orders (wrong api-key)', operation: 'GET /orders', path: 'orders', options: { query: [['limit', '1']], auth: 'wrong' } },
  { call: 'GET /orders (no api-key)', operation: 'GET /orders', path: 'orders', options: { query: [['limit', '1']], auth: 'none' } },
];

const WIDTH = 60;

/** What `--dry-run` prints: every call, with what each placeholder is taken from. */
export function describePlan(maxOrders: number): string[] {
  const line = (s: Step) => `${s.call.padEnd(WIDTH)} GET ${s.path}${s.options?.query ? `?${new URLSearchParams(s.options.query)}` : ''}`;
  return [
    ...FIRST.map(line),
    `${'GET /users/{email}'.padEnd(WIDTH)} GET users/<the first listed user's email>`,
    ...ORDER_LISTS.map(line),
    `${'GET /orders?external_id={listed}'.padEnd(WIDTH)} GET orders?external_id=<a listed order's external_id>`,
    `${'(probes, not compared)'.padEnd(WIDTH)} GET orders?limit=1&offset=<k>, about 2·log2(orders/20) calls to find the last page`,
    `${'GET /orders?limit=20&offset={last page}'.padEnd(WIDTH)} GET orders?limit=20&offset=<start of the last page>`,
    `${'GET /orders?limit=20&offset={past the end}'.padEnd(WIDTH)} GET orders?limit=20&offset=<40 past the last page's start>`,
    `${'GET /orders/{id}'.padEnd(WIDTH)} GET orders/<id>, for up to ${maxOrders} listed orders (one of each status first)`,
    `${'GET /orders/{order_id}/change-requests'.padEnd(WIDTH)} GET orders/<id>/change-requests, for each of those orders`,
    `${'GET /orders/{order_id}/change-requests/{change_request_id}'.padEnd(WIDTH)} GET orders/<id>/change-requests/<the first listed change request>`,
    `${'GET /orders/{order_id}/combined-pdf'.padEnd(WIDTH)} GET orders/<a Ready order>/combined-pdf (status and content type only; the body is discarded)`,
    ...ERRORS.map(line),
  ];
}

export interface RunOptions {
  maxOrders: number;
  /** Told of every request's outcome, for a progress line. */
  onCall?: (call: string, status: number | null) => void;
}

/** Runs the plan on one side; a stop (401, three failures in a row) ends it with what was seen so far. */
export async function runPlan(client: GetClient, options: RunOptions): Promise<SideRun> {
  const observations: Observation[] = [];
  try {
    await makeCalls(client, options, observations);
    return { observations, requests: client.requestsSent, stopped: null };
  } catch (err) {
    if (!(err instanceof CompareStopped)) throw err;
    return { observations, requests: client.requestsSent, stopped: err.message };
  }
}

async function makeCalls(client: GetClient, options: RunOptions, observations: Observation[]): Promise<void> {
  const call = async (step: Step): Promise<GetAnswer> => {
    const answer = await client.get(step.path, step.options);
    options.onCall?.(step.call, answer.status);
    observations.push({
      call: step.call,
      operation: step.operation,
      status: answer.status,
      contentType: answer.contentType,
      json: answer.json,
      page: step.page,
    });
    return answer;
  };

  for (const step of FIRST) {
    const answer = await call(step);
    if (step.path === 'users') {
      const email = items(answer.json)
        .map((u) => field(u, 'email'))
        .find((e): e is string => typeof e === 'string');
      if (email) await call({ call: 'GET /users/{email}', operation: 'GET /users/{email}', path: `users/${encodeURIComponent(email)}` });
    }
  }

  const lists = new Map<string, unknown[]>();
  for (const step of ORDER_LISTS) lists.set(step.call, items((await call(step)).json));
  const firstPage = lists.get('GET /orders?limit=20')!;
  const listed = [...lists.values()].flat();

  const externalId = listed.map((o) => field(field(o, 'info'), 'external_id')).find((e): e is string => typeof e === 'string' && e !== '');
  if (externalId !== undefined) {
    await call({
      call: 'GET /orders?external_id={listed}',
      operation: 'GET /orders',
      path: 'orders',
      options: { query: [['external_id', externalId]] },
      page: { offset: 0, limit: PAGE },
    });
  }

  const count = await countOrders(client, firstPage.length, options);
  if (count !== null) {
    const lastStart = count === 0 ? 0 : Math.floor((count - 1) / PAGE) * PAGE;
    await call({
      call: 'GET /orders?limit=20&offset={last page}',
      operation: 'GET /orders',
      path: 'orders',
      options: {
        query: [
          ['limit', String(PAGE)],
          ['offset', String(lastStart)],
        ],
      },
      page: { offset: lastStart, limit: PAGE, last: true },
    });
    await call({
      call: 'GET /orders?limit=20&offset={past the end}',
      operation: 'GET /orders',
      path: 'orders',
      options: {
        query: [
          ['limit', String(PAGE)],
          ['offset', String(lastStart + 2 * PAGE)],
        ],
      },
      page: { offset: lastStart + 2 * PAGE, limit: PAGE, pastEnd: true },
    });
  }

  // One order of each status first, so every status seen is also seen in full.
  const ids: string[] = [];
  const byStatus = ORDER_STATUSES.map((s) => lists.get(`GET /orders?status=${s}`)![0]);
  for (const order of [...byStatus, ...firstPage]) {
    const id = field(order, 'id');
    if (typeof id === 'string' && !ids.includes(id) && ids.length < options.maxOrders) ids.push(id);
  }
  let readyId: string | undefined;
  for (const id of ids) {
    const answer = await call({ call: 'GET /orders/{id}', operation: 'GET /orders/{id}', path: `orders/${encodeURIComponent(id)}` });
    if (readyId === undefined && field(field(answer.json, 'info'), 'status') === 'Ready') readyId = id;
  }
  let changeRequest: { orderId: string; id: string } | undefined;
  for (const id of ids) {
    const answer = await call({
      call: 'GET /orders/{order_id}/change-requests',
      operation: 'GET /orders/{order_id}/change-requests',
      path: `orders/${encodeURIComponent(id)}/change-requests`,
      page: { offset: 0, limit: PAGE },
    });
    const first = field(items(answer.json)[0], 'id');
    if (changeRequest === undefined && typeof first === 'string') changeRequest = { orderId: id, id: first };
  }
  if (changeRequest) {
    await call({
      call: 'GET /orders/{order_id}/change-requests/{change_request_id}',
      operation: 'GET /orders/{order_id}/change-requests/{change_request_id}',
      path: `orders/${encodeURIComponent(changeRequest.orderId)}/change-requests/${encodeURIComponent(changeRequest.id)}`,
    });
  }
  const pdfOrder = readyId ?? ids[0];
  if (pdfOrder !== undefined) {
    await call({
      call: 'GET /orders/{order_id}/combined-pdf',
      operation: 'GET /orders/{order_id}/combined-pdf',
      path: `orders/${encodeURIComponent(pdfOrder)}/combined-pdf`,
      options: { skipBody: true },
    });
  }

  for (const step of ERRORS) await call(step);
}

/**
 * How many orders the account has, from `limit=1` probes at growing offsets and then halving the
 * gap: about 2·log2(n/20) requests. Only whether an item came back is used, never `has_more`,
 * which is one of the things being compared. null when the listing does not answer a list.
 */
async function countOrders(client: GetClient, firstPageLength: number, options: RunOptions): Promise<number | null> {
  if (firstPageLength < PAGE) return firstPageLength;
  const exists = async (index: number): Promise<boolean | null> => {
    const answer = await client.get('orders', {
      query: [
        ['limit', '1'],
        ['offset', String(index)],
      ],
    });
    options.onCall?.('(probe) GET /orders?limit=1&offset={k}', answer.status);
    return Array.isArray(field(answer.json, 'items')) ? items(answer.json).length > 0 : null;
  };
  let present = PAGE - 1;
  let absent: number | null = null;
  for (let step = PAGE; absent === null; step *= 2) {
    if (step > 2 ** 31) return null;
    const found = await exists(present + step);
    if (found === null) return null;
    if (found) present += step;
    else absent = present + step;
  }
  while (absent - present > 1) {
    const middle = Math.floor((present + absent) / 2);
    const found = await exists(middle);
    if (found === null) return null;
    if (found) present = middle;
    else absent = middle;
  }
  return absent;
}

export function items(json: unknown): unknown[] {
  const list = field(json, 'items');
  return Array.isArray(list) ? list : [];
}

export function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}
