// What the console's pages show, gathered from the area services (companies, users, offices, api
// keys, orders and their operator controls, change requests, deliverables, webhooks, emails) and
// the console's own cross-company reads. Actions go straight to the area services from the routes.
import { isUuid, secondsToUs } from '../../domain/clock.js';
import { ORDER_STATUSES } from '../../domain/order-lifecycle.js';
import type { Page } from '../../domain/pagination.js';
import { NotFoundError } from '../../errors.js';
import type { ServiceDeps } from '../deps.js';
import type { Services } from '../index.js';
import { deliverablesRepo } from '../deliverables/deliverables-repo.js';
import { ordersRepo } from '../orders/orders-repo.js';
import { consoleRepo, type ConsoleOrderFilter } from './console-repo.js';
import type { RequestFigures } from './request-stats.js';

export interface OrdersQuery {
  company_id?: string;
  status?: string;
  external_id?: string;
  owner_email?: string;
  /** YYYY-MM-DD, UTC, inclusive */
  created_from?: string;
  created_to?: string;
}

export interface FloorPlanPreview {
  name: string;
  svg: string;
  pngUrl: string | null;
}

export interface SystemFigures {
  at: number;
  requests: ReturnType<RequestFigures['snapshot']>;
  /** Work due now: orders in production (due and not held) and webhook deliveries to attempt. */
  queueDepth: { production: number; webhookDeliveries: number };
  productionBacklog: number;
  webhookSuccess: { attempts: number; ok: number; rate: number | null };
}

const DAY_US = 86_400 * 1e6;

function dayUs(value: string | undefined, plusDays = 0): number | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : secondsToUs(ms / 1000) + plusDays * DAY_US;
}

const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

/** The filter the query asks for; unknown statuses and malformed ids or dates are ignored. */
export function orderFilter(q: OrdersQuery): ConsoleOrderFilter {
  const status = blank(q.status);
  const companyId = blank(q.company_id);
  return {
    companyId: companyId && isUuid(companyId) ? companyId : undefined,
    status: status && (ORDER_STATUSES as readonly string[]).includes(status) ? status : undefined,
    externalId: blank(q.external_id),
    ownerEmail: blank(q.owner_email),
    createdFromUs: dayUs(blank(q.created_from)),
    createdToUs: dayUs(blank(q.created_to), 1),
  };
}

export function consoleServiceFactory({
  db,
  files,
  clock,
  services,
  requestFigures,
}: Pick<ServiceDeps, 'db' | 'files' | 'clock'> & {
  services: Pick<
    Services,
    'company' | 'users' | 'offices' | 'apiKeys' | 'webhooks' | 'mergeRequests' | 'orderOperator' | 'changeRequests' | 'production'
  >;
  requestFigures: RequestFigures;
}) {
  return {
    async orders(query: OrdersQuery, page: Page) {
      const filter = orderFilter(query);
      const [rows, total] = await Promise.all([ordersRepo.system.search(db, filter, page), ordersRepo.system.count(db, filter)]);
      const items = rows.slice(0, page.limit);
      const names = await consoleRepo.companyNames(db, [...new Set(items.map((r) => r.company_id))]);
      return {
        items: items.map((r) => ({ ...r, company_name: names.get(r.company_id) ?? null })),
        hasMore: rows.length > page.limit,
        total,
      };
    },

    /** Companies to choose from in a filter (the newest 200). */
    async companyChoices() {
      const { items } = await services.company.list({ limit: 100, offset: 0 });
      return items.map((c) => ({ id: c.id, name: c.name }));
    },

    async company(companyId: string) {
      const company = await services.company.info(companyId);
      const page = { limit: 100, offset: 0 };
      const [users, offices, keys, secret, merges] = await Promise.all([
        services.users.list(companyId, page),
        services.offices.list(companyId, page),
        services.apiKeys.list(companyId),
        services.webhooks.getSecret(companyId),
        services.mergeRequests.list({ limit: 100, offset: 0 }, 'pending'),
      ]);
      const pendingMerges = merges.items.filter((m) => m.company_id === companyId || m.target_company_id === companyId);
      const names = await consoleRepo.companyNames(db, [...new Set(pendingMerges.flatMap((m) => [m.company_id, m.target_company_id]))]);
      return { company, users: users.items, offices: offices.items, keys, secret, pendingMerges, names };
    },

    /** Company names by id, for lists that show whose a row is. */
    async companyNames(ids: string[]): Promise<Map<string, string>> {
      return consoleRepo.companyNames(db, [...new Set(ids)]);
    },

    async pendingMerges() {
      const merges = await services.mergeRequests.list({ limit: 100, offset: 0 }, 'pending');
      const names = await consoleRepo.companyNames(db, [...new Set(merges.items.flatMap((m) => [m.company_id, m.target_company_id]))]);
      return { items: merges.items, names };
    },

    async order(orderId: string) {
      if (!isUuid(orderId)) throw new NotFoundError('Order not found.');
      const admin = await services.orderOperator.get(orderId);
      const [changeRequests, deliveries, companyName, floorPlans] = await Promise.all([
        services.changeRequests.list(admin.company_id, orderId, { limit: 100, offset: 0 }),
        services.webhooks.listDeliveries({ limit: 100, offset: 0 }, { orderId }),
        consoleRepo.companyNames(db, [admin.company_id]),
        this.floorPlans(
          admin.company_id,
          orderId,
          admin.production.delivered_products,
          admin.order.delivery_assets as Record<string, Record<string, unknown> | null>,
        ),
      ]);
      return {
        ...admin,
        changeRequests: changeRequests.items,
        deliveries: deliveries.items,
        companyName: companyName.get(admin.company_id) ?? null,
        floorPlans,
      };
    },

    /** Each delivered floor's plan: the stored SVG inline, and its PNG's (signed) URL for a thumbnail. */
    async floorPlans(
      companyId: string,
      orderId: string,
      delivered: string[],
      assets: Record<string, Record<string, unknown> | null>,
    ): Promise<FloorPlanPreview[]> {
      if (!delivered.includes('listing_floorplans')) return [];
      const rows = (await deliverablesRepo.forCompany(companyId).listFiles(db, orderId)).filter(
        (r) => r.product === 'listing_floorplans' && r.field === 'svg_urls',
      );
      const pngs = (assets.listing_floorplans?.png_urls ?? []) as string[];
      return Promise.all(
        rows
          .sort((a, b) => a.position - b.position)
          .map(async (r) => ({
            name: r.name.replace(/\.svg$/, ''),
            svg: (await files.read(r.storage_key)).toString('utf8'),
            pngUrl: pngs[r.position] ?? null,
          })),
      );
    },

    async figures(): Promise<SystemFigures> {
      const nowMs = Date.now();
      const since = clock.nowUs() - 3600 * 1e6;
      const [production, webhooks, attempts] = await Promise.all([
        services.production.backlog(),
        services.webhooks.backlog(),
        services.webhooks.attemptsSince(since),
      ]);
      return {
        at: nowMs,
        requests: requestFigures.snapshot(nowMs),
        queueDepth: { production: production.depth, webhookDeliveries: webhooks.depth },
        productionBacklog: production.depth,
        webhookSuccess: { attempts: attempts.total, ok: attempts.ok, rate: attempts.total ? attempts.ok / attempts.total : null },
      };
    },
  };
}

export type ConsoleService = ReturnType<typeof consoleServiceFactory>;
