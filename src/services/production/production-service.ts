// Production: stands in for CubiCasa's drawing team. Takes orders whose production is due, has
// the deliverables produced (outside any transaction), then moves the order to Ready with one
// `moved_to_ready` event per product type delivered. Any number of workers may run this at
// once: an order is claimed with a short lease, renewed while its round runs, and the final
// transition re-checks the lease under the order's row lock, so no order is ever delivered twice.
import os from 'node:os';
import {
  addressParts,
  deliveryPlan,
  isFailAddress,
  isTestAddress,
  mergeProducts,
  productTypesOf,
  transitionError,
  type DeliveryPlan,
} from '../../domain/order-lifecycle.js';
import type { Product } from '../../domain/catalog.js';
import { ConflictError } from '../../errors.js';
import type { Order } from '../../db/tables/orders.js';
import type { ServiceDeps } from '../deps.js';
import type { Deliverables } from '../deliverables/deliverables-port.js';
import { changeRequestsRepo } from '../change-requests/change-requests-repo.js';
import { ordersRepo } from '../orders/orders-repo.js';
import type { OrderTransitions } from '../orders/order-transitions.js';
import { LEASE_MS, LEASE_RENEW_MS, leaseKeeper } from '../lease-keeper.js';
import { leaveProduction } from './production-schedule.js';

/** An order claimed by a worker that stops renewing (it died) is claimed again after this. */
export const PRODUCTION_LEASE_MS = LEASE_MS;
/** After a failed produce(), production tries again this much later (times the attempts, capped). */
export const RETRY_BASE_S = 30;

export type DeliveryOutcome = 'delivered' | 'failed' | 'nothing_due' | 'retry' | 'lost';

/** A `ccfail` scenario order that production fails instead of delivering (it has nothing to fail from Ready). */
function failsInstead(order: Order, plan: DeliveryPlan): boolean {
  return isFailAddress(addressParts(order)) && transitionError('fail', plan.from) === null;
}

let ownerCounter = 0;
export function workerName(): string {
  return `${os.hostname()}:${process.pid}:${++ownerCounter}`;
}

export function productionServiceFactory({
  db,
  dialect,
  clock,
  log,
  deliverables,
  transitions,
  leaseRenewMs = LEASE_RENEW_MS,
}: Pick<ServiceDeps, 'db' | 'dialect' | 'clock' | 'log'> & {
  deliverables: Deliverables;
  transitions: OrderTransitions;
  leaseRenewMs?: number;
}) {
  const defaultOwner = workerName();
  // Every order of a round is held from its claim to its hand-back, the ones waiting their turn too.
  const keeper = leaseKeeper<string>({
    everyMs: leaseRenewMs,
    renew: (ids, owner) => ordersRepo.system.renewLeases(db, dialect, ids, owner, clock.nowUs() + PRODUCTION_LEASE_MS * 1000),
    onError: (err) => log.warn({ err: (err as Error).message }, 'renewing production leases failed'),
  });

  /**
   * Delivers what `plan` names, if the order (re-read under its lock) still waits for exactly
   * those products. `owner` is the lease holder, or null for the operator's "deliver now".
   */
  async function commitDelivery(
    order: Order,
    plan: DeliveryPlan,
    owner: string | null,
  ): Promise<{ outcome: DeliveryOutcome; order: Order | null }> {
    return db.transaction().execute(async (tx) => {
      const current = await ordersRepo.system.lock(tx, order.id);
      if (!current) return { outcome: 'lost' as const, order: null };
      if (owner !== null && current.lease_owner !== owner) return { outcome: 'lost' as const, order: current };
      const now = deliveryPlan(current);
      const produced = new Set<Product>(plan.products);
      if (!now || now.from !== plan.from || now.products.some((p) => !produced.has(p))) {
        // Something changed while we produced (an upgrade, a fail): let the next round decide.
        const released = await ordersRepo.system.update(tx, current.id, { lease_until: null, lease_owner: null });
        return { outcome: now ? ('retry' as const) : ('nothing_due' as const), order: released };
      }
      const at = clock.nowUs();
      const delivered = await transitions.move(tx, current, 'deliver', {
        set: {
          ...leaveProduction,
          first_delivered_at: current.first_delivered_at ?? at,
          delivered_products: mergeProducts(current.delivered_products, now.products),
        },
        productTypes: productTypesOf(now.products),
        deliveryType: now.deliveryType,
      });
      if (now.from === 'Fixing') await changeRequestsRepo.forCompany(current.company_id).resolveOpen(tx, current.id, at);
      return { outcome: 'delivered' as const, order: delivered };
    });
  }

  /** The `ccfail` scenario: where production would deliver, the order fails (`moved_to_failed`). */
  async function commitFailure(order: Order, owner: string | null): Promise<{ outcome: DeliveryOutcome; order: Order | null }> {
    return db.transaction().execute(async (tx) => {
      const current = await ordersRepo.system.lock(tx, order.id);
      if (!current) return { outcome: 'lost' as const, order: null };
      if (owner !== null && current.lease_owner !== owner) return { outcome: 'lost' as const, order: current };
      const plan = deliveryPlan(current);
      if (!plan || !failsInstead(current, plan)) {
        const released = await ordersRepo.system.update(tx, current.id, { lease_until: null, lease_owner: null });
        return { outcome: 'retry' as const, order: released };
      }
      const failed = await transitions.move(tx, current, 'fail', { set: leaveProduction });
      return { outcome: 'failed' as const, order: failed };
    });
  }

  async function release(order: Order, owner: string, failed: boolean): Promise<void> {
    const attempts = order.production_attempts + 1;
    const retryAt = clock.nowUs() + Math.min(RETRY_BASE_S * attempts, 600) * 1e6;
    await ordersRepo.system.releaseLease(db, order.id, owner, failed ? { production_attempts: attempts, due_at: retryAt } : {});
  }

  /**
   * Orders this process holds under lease but could not hand back (the database went away in the
   * middle of a round): released at the next round, instead of waiting out the lease.
   * `failed` marks the one whose round broke, so it is retried later, not at once.
   */
  const unreleased = new Map<string, { order: Order; owner: string; failed: boolean }>();

  async function releaseLeftovers(): Promise<void> {
    for (const [id, { order, owner, failed }] of unreleased) {
      await release(order, owner, failed);
      unreleased.delete(id);
    }
  }

  /** Produces and delivers one claimed order. */
  async function processClaimed(order: Order, owner: string): Promise<DeliveryOutcome> {
    const plan = deliveryPlan(order);
    if (!plan) {
      await ordersRepo.system.releaseLease(db, order.id, owner, leaveProduction);
      return 'nothing_due';
    }
    if (failsInstead(order, plan)) return (await commitFailure(order, owner)).outcome;
    try {
      await deliverables.produce(order, plan.products);
    } catch (err) {
      log.warn(
        { orderId: order.id, err: (err as Error).message, cause: ((err as Error).cause as Error | undefined)?.message },
        'production failed; will retry',
      );
      await release(order, owner, true);
      return 'retry';
    }
    return (await commitDelivery(order, plan, owner)).outcome;
  }

  return {
    /** One round: claims up to `limit` due orders and delivers them. Answers how many it took. */
    async runOnce(opts: { owner?: string; limit?: number } = {}): Promise<number> {
      const owner = opts.owner ?? defaultOwner;
      await releaseLeftovers();
      const claimed = await ordersRepo.system.claimDue(db, dialect, clock.nowUs(), opts.limit ?? 10, PRODUCTION_LEASE_MS, owner);
      keeper.hold(
        claimed.map((o) => o.id),
        owner,
      );
      for (const [i, order] of claimed.entries()) {
        try {
          await processClaimed(order, owner);
        } catch (err) {
          claimed.slice(i).forEach((o, j) => unreleased.set(o.id, { order: o, owner, failed: j === 0 }));
          keeper.drop(claimed.slice(i + 1).map((o) => o.id));
          throw err;
        } finally {
          keeper.drop([order.id]);
        }
      }
      return claimed.length;
    },

    /**
     * The operator's "deliver now": whatever is waiting (first delivery, fix or update) is
     * produced and delivered at once, whether due, held or leased. `cctest` orders: 409; `ccfail`
     * orders fail, as production fails them.
     */
    async deliverNow(orderId: string): Promise<Order> {
      const order = await transitions.withOrder(null, orderId, async (_tx, o) => {
        transitions.assertAllowed('deliver', o);
        if (isTestAddress([o.full_address])) throw new ConflictError('Orders with cctest in the address are never delivered.');
        if (!deliveryPlan(o)) throw new ConflictError('Order is in status Ready with nothing waiting to be delivered.');
        return o;
      });
      const plan = deliveryPlan(order)!;
      if (failsInstead(order, plan)) {
        const failed = await commitFailure(order, null);
        if (failed.outcome !== 'failed') throw new ConflictError('Order changed while it was produced; try again.');
        return failed.order!;
      }
      await deliverables.produce(order, plan.products);
      const result = await commitDelivery(order, plan, null);
      if (result.outcome !== 'delivered') throw new ConflictError('Order changed while it was produced; try again.');
      return result.order!;
    },

    /** Orders due now and not held (the worker's backlog, in production or waiting), and the earliest due time. */
    async backlog() {
      return ordersRepo.system.productionBacklog(db, clock.nowUs());
    },

    /** Renews every production lease held now, rather than at the keeper's next tick. */
    renewLeases(): Promise<void> {
      return keeper.renewNow();
    },
  };
}

export type ProductionService = ReturnType<typeof productionServiceFactory>;
