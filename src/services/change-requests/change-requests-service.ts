// Change requests ("Fix Requests"): made on a Ready order, which moves to Fixing; production
// delivers the fix, the request becomes Done and the order Ready again.
import { isUuid, toEpochSeconds } from '../../domain/clock.js';
import type { ProductType } from '../../domain/catalog.js';
import { mergeProducts, productTypesOf, productsOfType } from '../../domain/order-lifecycle.js';
import { boughtProducts, type PackageType } from '../../domain/catalog.js';
import { paginate, type Page } from '../../domain/pagination.js';
import { NotFoundError, RequestValidationError } from '../../errors.js';
import type { ChangeRequest } from '../../db/tables/orders.js';
import type { ServiceDeps } from '../deps.js';
import { ordersRepo } from '../orders/orders-repo.js';
import { ORDER_NOT_FOUND, type OrderTransitions } from '../orders/order-transitions.js';
import type { Caller } from '../orders/new-order.js';
import { dueAtFor } from '../production/production-schedule.js';
import { changeRequestsRepo } from './change-requests-repo.js';
import { productionDelayFor } from '../sandbox/company-timing.js';

export interface ChangeRequestInput {
  message: string;
  product_type?: ProductType;
  attachment_urls?: string[];
}

export function changeRequestView(row: Omit<ChangeRequest, 'company_id'>) {
  return {
    id: row.id,
    order_id: row.order_id,
    status: row.status as 'Open' | 'Done',
    message: row.message,
    product_type: row.product_type as ProductType,
    attachment_urls: row.attachment_urls,
    created_by: row.created_by,
    created_at: toEpochSeconds(row.created_at),
    resolved_at: toEpochSeconds(row.resolved_at),
  };
}

export function changeRequestsServiceFactory({
  db,
  clock,
  ids,
  config,
  transitions,
}: Pick<ServiceDeps, 'db' | 'clock' | 'ids' | 'config'> & { transitions: OrderTransitions }) {
  async function orderOf(companyId: string, orderId: string) {
    const order = isUuid(orderId) ? await ordersRepo.forCompany(companyId).find(db, orderId) : undefined;
    if (!order) throw new NotFoundError(ORDER_NOT_FOUND);
    return order;
  }

  return {
    async create(caller: Caller, orderId: string, input: ChangeRequestInput) {
      const productType = input.product_type ?? 'products_2d';
      return transitions.withOrder(caller.companyId, orderId, async (tx, order) => {
        transitions.assertAllowed('requestChange', order);
        const addOns = order.add_ons;
        const toFix = productsOfType(order.package_type, addOns, productType);
        if (toFix.length === 0) {
          const permitted = productTypesOf(boughtProducts(order.package_type as PackageType, addOns))
            .map((t) => `'${t}'`)
            .join(', ');
          throw new RequestValidationError('body_params', [
            { loc: ['product_type'], msg: `value is not a valid enumeration member; permitted: ${permitted}`, type: 'type_error.enum' },
          ]);
        }
        const now = clock.nowUs();
        const row: Omit<ChangeRequest, 'company_id'> = {
          id: ids.uuid(),
          order_id: order.id,
          status: 'Open',
          message: input.message,
          product_type: productType,
          attachment_urls: input.attachment_urls ?? [],
          created_by: caller.userEmail ?? '',
          created_at: now,
          resolved_at: null,
        };
        await changeRequestsRepo.forCompany(caller.companyId).insert(tx, row);
        const delayS = await productionDelayFor(tx, caller.companyId, config.productionDelayS);
        await transitions.move(tx, order, 'requestChange', {
          set: {
            pending_products: mergeProducts(order.pending_products, toFix),
            pending_delivery_type: 'fix',
            due_at: dueAtFor(order, now, delayS),
            production_attempts: 0,
          },
        });
        return changeRequestView(row);
      });
    },

    async list(companyId: string, orderId: string, page: Page) {
      await orderOf(companyId, orderId);
      const result = paginate(await changeRequestsRepo.forCompany(companyId).list(db, orderId, page), page);
      return { pagination: result.pagination, items: result.items.map(changeRequestView) };
    },

    async get(companyId: string, orderId: string, changeRequestId: string) {
      await orderOf(companyId, orderId);
      const row = isUuid(changeRequestId) ? await changeRequestsRepo.forCompany(companyId).find(db, orderId, changeRequestId) : undefined;
      if (!row) throw new NotFoundError('Change request not found.');
      return changeRequestView(row);
    },
  };
}

export type ChangeRequestsService = ReturnType<typeof changeRequestsServiceFactory>;
