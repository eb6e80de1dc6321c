// What the web pages show, read through the other areas' services and repos: the GoToScan link's
// order, a link's state for the password pages, and a delivered order's floor plans and 3D model.
import type { Db } from '../../db/dialect.js';
import type { Order } from '../../db/tables/orders.js';
import type { Product } from '../../domain/catalog.js';
import { isUuid } from '../../domain/clock.js';
import { resolvedStyle } from '../../domain/order-style.js';
import { NotFoundError } from '../../errors.js';
import { generateModel } from '../../render/generate-model.js';
import { modelGlb } from '../../render/gltf.js';
import { floorName, languageOf, roomLabel } from '../../render/labels.js';
import { floorSlug, floorsInOrder, type FloorPlanModel } from '../../render/model.js';
import type { DrawOptions, StyleTemplate } from '../../render/style.js';
import { summarize } from '../../render/summary.js';
import { floorSvg } from '../../render/svg.js';
import { formatArea } from '../../render/units.js';
import { companyRepo } from '../company/company-repo.js';
import type { Deliverables } from '../deliverables/deliverables-port.js';
import type { Go2scanService } from '../go2scan/go2scan-service.js';
import { MAX_SCAN_FILES } from '../go2scan/go2scan-service.js';
import { ordersRepo } from '../orders/orders-repo.js';
import { usersRepo } from '../users/users-repo.js';
import type { Config } from '../../config.js';

export interface TourFloor {
  slug: string;
  name: string;
  area: string;
  svg: string;
  rooms: { name: string; area: string }[];
}

export interface TourView {
  orderId: string;
  address: string;
  companyName: string | null;
  contact: { name: string | null; email: string } | null;
  totalArea: string;
  floors: TourFloor[];
  has3d: boolean;
}

export interface ViewerView {
  orderId: string;
  address: string;
  /** Every level, lowest first. */
  floors: { slug: string; name: string }[];
}

const TOUR_NOT_FOUND = 'This tour does not exist or is not delivered yet.';
const VIEWER_NOT_FOUND = 'This 3D model does not exist or is not delivered yet.';

function drawOptions(order: Order): DrawOptions {
  const style = resolvedStyle(order);
  return {
    template: style.style_template_id as StyleTemplate,
    units: style.units,
    language: languageOf(style.label_language),
    showDimensions: style.show_dimensions,
    note: order.add_info,
  };
}

export function webPagesServiceFactory({
  db,
  config,
  go2scan,
  deliverables,
}: {
  db: Db;
  config: Pick<Config, 'scanMaxBytes' | 'scanMaxTotalBytes'>;
  go2scan: Pick<Go2scanService, 'orderForToken'>;
  deliverables: Deliverables;
}) {
  async function deliveredOrder(orderId: string, product: Product, message: string): Promise<Order> {
    const order = isUuid(orderId) ? await ordersRepo.system.findById(db, orderId) : undefined;
    if (!order || !order.delivered_products.includes(product)) throw new NotFoundError(message);
    return order;
  }

  async function modelOf(order: Order): Promise<FloorPlanModel> {
    // A delivered order always has its stored model; the generated one is only a fallback for old data.
    return (await deliverables.model(order)) ?? generateModel(order.id, order.total_scanned_area);
  }

  return {
    /** The upload page's facts; throws the GoToScan service's 404/410 for links that cannot be used. */
    async go2scanPage(token: string) {
      const order = await go2scan.orderForToken(token);
      const company = await companyRepo.forCompany(order.company_id).get(db);
      return {
        address: order.full_address,
        companyName: company?.name ?? null,
        maxBytes: config.scanMaxBytes,
        maxTotalBytes: config.scanMaxTotalBytes,
        maxFiles: MAX_SCAN_FILES,
      };
    },

    /** A delivered order's tour: every floor's plan, rooms and areas; branding unless `unbranded`. */
    async tour(orderId: string, unbranded: boolean): Promise<TourView> {
      const order = await deliveredOrder(orderId, 'tour', TOUR_NOT_FOUND);
      const model = await modelOf(order);
      const opts = drawOptions(order);
      const summary = summarize(model);
      const floors = floorsInOrder(model).map((floor, i): TourFloor => {
        const facts = summary.floors[i]!;
        return {
          slug: floorSlug(floor.level),
          name: floorName(floor.level, opts.language),
          area: formatArea(facts.areaM2, opts.units, 1),
          svg: floorSvg(model, floor, opts, opts.showDimensions),
          rooms: facts.rooms.map((r) => ({ name: roomLabel(r, opts.language), area: formatArea(r.areaM2, opts.units, 1) })),
        };
      });
      let companyName: string | null = null;
      let contact: TourView['contact'] = null;
      if (!unbranded) {
        companyName = (await companyRepo.forCompany(order.company_id).get(db))?.name ?? null;
        const owner = order.owner_user_id ? await usersRepo.forCompany(order.company_id).findById(db, order.owner_user_id) : undefined;
        const email = owner?.email ?? order.owner_email;
        if (email) contact = { name: owner ? [owner.name, owner.surname].filter(Boolean).join(' ') || null : null, email };
      }
      return {
        orderId: order.id,
        address: order.full_address,
        companyName,
        contact,
        totalArea: formatArea(summary.totalM2, opts.units, 1),
        floors,
        has3d: order.delivered_products.includes('floorplans_3d'),
      };
    },

    /** The 3D viewer page's facts. */
    async viewer(orderId: string): Promise<ViewerView> {
      const order = await deliveredOrder(orderId, 'floorplans_3d', VIEWER_NOT_FOUND);
      const language = drawOptions(order).language;
      const floors = floorsInOrder(await modelOf(order)).map((f) => ({ slug: floorSlug(f.level), name: floorName(f.level, language) }));
      return { orderId: order.id, address: order.full_address, floors };
    },

    /**
     * The delivered glTF (binary) of the order: the same bytes the deliverable file holds; with
     * `floor` (a slug), that level alone, for the viewer's level picker. An unknown floor is a 404.
     */
    async modelGlb(orderId: string, floor?: string): Promise<Buffer> {
      const order = await deliveredOrder(orderId, 'floorplans_3d', VIEWER_NOT_FOUND);
      const model = await modelOf(order);
      if (floor === undefined) return modelGlb(model);
      const level = model.floors.find((f) => floorSlug(f.level) === floor)?.level;
      if (level === undefined) throw new NotFoundError('This floor does not exist in the 3D model.');
      return modelGlb(model, { level });
    },
  };
}

export type WebPagesService = ReturnType<typeof webPagesServiceFactory>;
