// Orders as a company's api key sees them: listing, reading, drafts, redraw orders, upgrades,
// redelivery and the combined PDF. Transitions go through the lifecycle (order-transitions.ts).
import type { Readable } from 'node:stream';
import { filterSecondsToUs, isUuid } from '../../domain/clock.js';
import { boughtProducts, type AddOn, type PackageType } from '../../domain/catalog.js';
import { mergeProducts, productsOfType } from '../../domain/order-lifecycle.js';
import { normalizeAddOns, upgradeProblem } from '../../domain/order-product.js';
import { resolvedStyle, type StoredStyle } from '../../domain/order-style.js';
import { normalizeAddress, cleanText } from '../../domain/address.js';
import { paginate, type Page } from '../../domain/pagination.js';
import { ConflictError, NotFoundError, RequestValidationError } from '../../errors.js';
import type { Order, OrderChanges } from '../../db/tables/orders.js';
import type { ServiceDeps } from '../deps.js';
import type { Deliverables } from '../deliverables/deliverables-port.js';
import { dueAtFor, enterPending } from '../production/production-schedule.js';
import { addressColumns, resolveOwner, styleFromPreferences, usersOf, type Caller, type NewOrder, type OrderFields } from './new-order.js';
import { ORDER_NOT_FOUND, type OrderTransitions } from './order-transitions.js';
import { orderListItem, orderView } from './order-view.js';
import { ordersRepo, type OrderFilter } from './orders-repo.js';
import { productionDelayFor } from '../sandbox/company-timing.js';

export interface ListQuery {
  status?: string[];
  external_id?: string;
  owner_email?: string;
  created_after?: number;
  created_before?: number;
}

export interface RedrawFields extends OrderFields {
  info: string;
  source: string | string[];
}

export interface RedeliverInput {
  style_template_id?: StoredStyle['style_template_id'];
  add_info?: string;
  units?: StoredStyle['units'];
  label_language?: string;
  show_dimensions?: boolean;
}

export function ordersServiceFactory({
  db,
  clock,
  config,
  reads,
  deliverables,
  transitions,
  newOrder,
}: Pick<ServiceDeps, 'db' | 'clock' | 'config' | 'reads'> & {
  deliverables: Deliverables;
  transitions: OrderTransitions;
  newOrder: NewOrder;
}) {
  async function view(row: Order, go2scanLink: string | null = null) {
    return orderView(row, await deliverables.deliveryAssets(row), go2scanLink);
  }

  async function existing(companyId: string, orderId: string): Promise<Order> {
    const row = isUuid(orderId) ? await ordersRepo.forCompany(companyId).find(db, orderId) : undefined;
    if (!row) throw new NotFoundError(ORDER_NOT_FOUND);
    return row;
  }

  return {
    view,

    async list(companyId: string, query: ListQuery, page: Page) {
      const filter: OrderFilter = {
        statuses: query.status,
        externalId: query.external_id,
        ownerEmail: query.owner_email,
        createdAfterUs: query.created_after === undefined ? undefined : filterSecondsToUs(query.created_after),
        createdBeforeUs: query.created_before === undefined ? undefined : filterSecondsToUs(query.created_before),
      };
      return reads.read(`orders ${JSON.stringify([companyId, filter, page.limit, page.offset])}`, async () => {
        const result = paginate(await ordersRepo.forCompany(companyId).list(db, filter, page), page);
        return { pagination: result.pagination, items: result.items.map((r) => orderListItem(r)) };
      });
    },

    async get(companyId: string, orderId: string) {
      return view(await existing(companyId, orderId));
    },

    /** `POST /orders/draft`: a New order moved to Draft at once (`moved_to_draft`). */
    async createDraft(caller: Caller, fields: OrderFields) {
      const row = await newOrder.build(caller, fields, { orderType: 'vbim', isScanOrder: true, ownerFallback: null });
      const draft = await db.transaction().execute((tx) => transitions.create(tx, row, 'makeDraft'));
      return view(draft);
    },

    /** `PATCH /orders/draft/{id}`: same body; omitted optional fields keep their value. */
    async updateDraft(caller: Caller, orderId: string, fields: OrderFields) {
      const updated = await transitions.withOrder(caller.companyId, orderId, async (tx, order) => {
        transitions.assertAllowed('editDraft', order);
        const owner = await resolveOwner(usersOf(tx, caller.companyId), fields.owner_email, null);
        const keep = <K extends keyof OrderFields>(key: K, current: OrderFields[K]): OrderFields[K] =>
          fields[key] === undefined ? current : fields[key];
        const address = normalizeAddress({
          street: fields.street,
          suite: keep('suite', order.suite),
          city: fields.city,
          state: keep('state', order.state),
          postalCode: keep('postalCode', order.postal_code),
          country: fields.country,
        });
        const packageType = fields.package_type ?? order.package_type;
        const set: OrderChanges = {
          ...addressColumns(address),
          owner_user_id: owner.id,
          owner_email: owner.email,
          latitude: keep('latitude', order.latitude) ?? null,
          longitude: keep('longitude', order.longitude) ?? null,
          external_id: fields.external_id === undefined ? order.external_id : cleanText(fields.external_id),
          add_info: fields.info === undefined ? order.add_info : (fields.info?.trim() ?? ''),
          package_type: packageType,
          add_ons: fields.add_ons === undefined || fields.add_ons === null ? order.add_ons : normalizeAddOns(fields.add_ons),
          order_preferences: fields.order_preferences === undefined ? order.order_preferences : (fields.order_preferences ?? null),
          style_template: fields.order_preferences
            ? styleFromPreferences(fields.order_preferences, order.style_template)
            : order.style_template,
        };
        return transitions.move(tx, order, 'editDraft', { set });
      });
      return view(updated);
    },

    async deleteDraft(companyId: string, orderId: string) {
      await transitions.withOrder(companyId, orderId, async (tx, order) => {
        transitions.assertAllowed('deleteDraft', order);
        await ordersRepo.forCompany(companyId).delete(tx, order.id);
      });
      return { message: 'Draft order was deleted.' };
    },

    /** `POST /orders`: a redraw order; the drawing is given at once, so New → Pending. */
    async createRedraw(caller: Caller, fields: RedrawFields) {
      const row = await newOrder.build(caller, fields, { orderType: 'redraw', isScanOrder: false, ownerFallback: caller.userEmail });
      row.source = Array.isArray(fields.source) ? fields.source : [fields.source];
      const pending = await db.transaction().execute(async (tx) => {
        const delayS = await productionDelayFor(tx, caller.companyId, config.productionDelayS);
        return transitions.create(tx, row, 'submitSource', { set: enterPending(row, clock.nowUs(), delayS) });
      });
      return view(pending);
    },

    /**
     * `POST /orders/{id}/post-purchase`: upgrades only. On a Ready order the newly bought products
     * are queued for production and delivered later as an `update`.
     */
    async postPurchase(companyId: string, orderId: string, input: { package_type: PackageType | null; add_ons: AddOn[] }) {
      const updated = await transitions.withOrder(companyId, orderId, async (tx, order) => {
        const currentAddOns = order.add_ons;
        const problem = upgradeProblem({ package_type: order.package_type, add_ons: currentAddOns }, input.package_type, input.add_ons);
        if (problem?.kind === 'package_not_higher') {
          throw new ConflictError(`Order already has package ${problem.current}; post-purchase only upgrades to a higher package.`);
        }
        if (problem?.kind === 'add_on_not_purchasable') {
          const permitted = problem.purchasable.map((a) => `'${a}'`).join(', ');
          throw new RequestValidationError('body_params', [
            {
              loc: ['add_ons', problem.index],
              msg: `value is not a valid enumeration member; permitted: ${permitted}`,
              type: 'type_error.enum',
            },
          ]);
        }
        const packageType = input.package_type ?? order.package_type;
        const addOns = normalizeAddOns([...currentAddOns, ...input.add_ons]);
        const set: OrderChanges = { package_type: packageType, add_ons: addOns, updated_at: clock.nowUs() };
        const before = new Set(boughtProducts(order.package_type as PackageType, currentAddOns));
        const added = boughtProducts(packageType as PackageType, addOns).filter((p) => !before.has(p));
        const now = clock.nowUs();
        const delayS = await productionDelayFor(tx, companyId, config.productionDelayS);
        if (order.status === 'Pending' && order.due_at !== null) {
          // A faster turnaround bought while waiting shortens the wait.
          const faster = dueAtFor({ ...order, add_ons: addOns }, order.status_changed_at, delayS);
          if (faster !== null && faster < order.due_at) set.due_at = faster;
        }
        if (added.length && (order.status === 'Ready' || order.status === 'Fixing')) {
          set.pending_products = mergeProducts(order.pending_products, added);
          if (order.status === 'Ready') {
            set.pending_delivery_type = 'update';
            const due = dueAtFor({ ...order, add_ons: addOns }, now, delayS);
            set.due_at = order.due_at === null ? due : due === null ? order.due_at : Math.min(order.due_at, due);
          }
        }
        return ordersRepo.forCompany(companyId).update(tx, order.id, set);
      });
      return view(updated);
    },

    /** `POST /orders/{id}/redeliver`: the 2D products are produced again with the new style. */
    async redeliver(companyId: string, orderId: string, input: RedeliverInput) {
      const updated = await transitions.withOrder(companyId, orderId, async (tx, order) => {
        transitions.assertAllowed('redeliver', order);
        const style: StoredStyle = { ...resolvedStyle(order) };
        if (input.style_template_id !== undefined) style.style_template_id = input.style_template_id;
        if (input.units !== undefined) style.units = input.units;
        if (input.label_language !== undefined) style.label_language = input.label_language;
        if (input.show_dimensions !== undefined) style.show_dimensions = input.show_dimensions;
        const products2d = productsOfType(order.package_type, order.add_ons, 'products_2d');
        const now = clock.nowUs();
        // Restyling is automatic: due at once (still never for cctest orders).
        const due = dueAtFor(order, now, 0);
        return transitions.move(tx, order, 'redeliver', {
          set: {
            style_template: style,
            add_info: input.add_info === undefined ? order.add_info : input.add_info.trim(),
            pending_products: mergeProducts(order.pending_products, products2d),
            pending_delivery_type: 'update',
            due_at: due === null ? order.due_at : order.due_at === null ? due : Math.min(order.due_at, due),
          },
        });
      });
      return view(updated);
    },

    /** The combined PDF, or 409 while nothing is delivered. */
    async combinedPdf(companyId: string, orderId: string): Promise<{ order: Order; pdf: Readable }> {
      const order = await existing(companyId, orderId);
      const pdf = order.first_delivered_at === null ? null : await deliverables.combinedPdf(order);
      if (!pdf) throw new ConflictError(`Order is in status ${order.status}; the combined PDF needs a delivered order.`);
      return { order, pdf };
    },
  };
}

export type OrdersService = ReturnType<typeof ordersServiceFactory>;
