// What the orders side needs from the deliverables side: produce files, and show them. Until an
// order's products are produced, their lists are empty, as the contract says. The deliverables
// side imports nothing from the orders side: it is handed the orders it works on.
import type { Readable } from 'node:stream';
import type { Order } from '../../db/tables/orders.js';
import type { FloorPlanModel } from '../../render/model.js';
import { PRODUCTS, boughtProducts, type PackageType, type Product } from '../../domain/catalog.js';

export interface RenderStyle {
  style_template_id: string; // default | classic | blueprint | monochrome
  units: 'metric' | 'imperial';
  label_language: string;
  show_dimensions: boolean;
  add_info: string;
}

export type DeliveryAssets = Record<Product, Record<string, unknown> | null>;

export interface Deliverables {
  /**
   * Produces the files of `products` for the order. Idempotent; called outside any transaction,
   * before the order moves to Ready. Throwing makes production retry later.
   */
  produce(order: Order, products: Product[]): Promise<void>;
  /** The `delivery_assets` object for a read; file URLs are signed at read time. */
  deliveryAssets(order: Order): Promise<DeliveryAssets>;
  /** The order's stored floor-plan model (made by production or uploaded), or null before there is one. */
  model(order: Pick<Order, 'id'>): Promise<FloorPlanModel | null>;
  /** The combined PDF (floor plans, then bought reports), or null when nothing is delivered yet. */
  combinedPdf(order: Order): Promise<Readable | null>;
}

/** The empty shape of each product before delivery. */
export const EMPTY_ASSETS: Record<Product, Record<string, unknown>> = {
  listing_floorplans: {
    jpg_urls: [],
    jpg_urls_dim: [],
    png_urls: [],
    png_urls_dim: [],
    svg_urls: [],
    svg_urls_dim: [],
    pdf_urls: [],
    pdf_urls_dim: [],
    zip_urls: [],
    zip_urls_dim: [],
  },
  home_report: { pdf_urls: [] },
  tour: { link: null, mls_compliance_link: null, type: 'floorplan_tour' },
  floorplans_3d: { gltf_urls: [], viewer_url: null },
  video_3d: { mp4_urls: [] },
  gla_package: { pdf_urls: [], json_urls: [] },
  snapshot: { image_urls: [], pdf_urls: [] },
  property_data: { json_urls: [] },
  cad_files: { dxf_urls: [] },
};

/** A product's empty shape with lists of its own, which a read fills (its values are empty lists or scalars). */
function emptyCopy(shape: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in shape) copy[key] = Array.isArray(shape[key]) ? [] : shape[key];
  return copy;
}

/** Every key present; products not bought are null; bought ones start empty. */
export function undeliveredAssets(order: Pick<Order, 'package_type' | 'add_ons'>): DeliveryAssets {
  const bought = new Set(boughtProducts(order.package_type as PackageType, order.add_ons));
  return Object.fromEntries(PRODUCTS.map((p) => [p, bought.has(p) ? emptyCopy(EMPTY_ASSETS[p]) : null])) as DeliveryAssets;
}
