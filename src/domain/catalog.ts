// The product catalog as data: package types, add-ons, and what each one delivers.
export const PACKAGE_TYPES = ['base', 'plus', 'plus_3d'] as const;
export type PackageType = (typeof PACKAGE_TYPES)[number];

export const ADD_ONS = ['gla', '3d_cad_files', '3d_video', '6h_turnaround'] as const;
export type AddOn = (typeof ADD_ONS)[number];

export const CUSTOMER_TYPES = ['Agent', 'Appraiser', 'Photographer', 'Contractor', 'Home Inspector', 'Personal use', 'Other'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

export const ROLES = ['Collaborator', 'User', 'Manager'] as const;
export type Role = (typeof ROLES)[number];

export const WEBHOOK_TRIGGERS = ['moved_to_draft', 'moved_to_pending', 'moved_to_ready', 'moved_to_fixing', 'moved_to_failed'] as const;
export type WebhookTrigger = (typeof WEBHOOK_TRIGGERS)[number];

/** A company's webhook settings: where events go and which events. */
export interface WebhookLists {
  webhook_urls: string[];
  webhook_triggers: WebhookTrigger[];
}
/** How many webhook URLs a company may list. */
export const MAX_WEBHOOK_URLS = 10;

/** Rank of a package: an upgrade must go strictly up. */
export function packageRank(p: PackageType): number {
  return PACKAGE_TYPES.indexOf(p);
}

/** Add-ons not yet bought, in catalog order. */
export function purchasableAddOns(bought: readonly string[]): AddOn[] {
  return ADD_ONS.filter((a) => !bought.includes(a));
}

export const DEFAULT_PACKAGE: PackageType = 'plus';

/** The keys of `delivery_assets`, in the order the API shows them. */
export const PRODUCTS = [
  'listing_floorplans',
  'home_report',
  'tour',
  'floorplans_3d',
  'video_3d',
  'gla_package',
  'snapshot',
  'property_data',
  'cad_files',
] as const;
export type Product = (typeof PRODUCTS)[number];

export type ProductType = 'products_2d' | 'products_3d' | 'tour';

/** Which webhook product type a delivered product belongs to. */
export const PRODUCT_TYPE: Record<Product, ProductType> = {
  listing_floorplans: 'products_2d',
  home_report: 'products_2d',
  snapshot: 'products_2d',
  property_data: 'products_2d',
  gla_package: 'products_2d',
  floorplans_3d: 'products_3d',
  cad_files: 'products_3d',
  video_3d: 'products_3d',
  tour: 'tour',
};

/** Products whose files are drawings in the order's 2D style (redelivered when the style changes). */
export const STYLED_PRODUCTS: Product[] = ['listing_floorplans', 'home_report', 'snapshot', 'property_data', 'gla_package'];

/**
 * Products that are files made here (the tour is a page, video is not made). Kept here rather than
 * beside the drawing code, so a process that only serves requests never loads that code.
 */
export const FILE_PRODUCTS: Product[] = [...STYLED_PRODUCTS, 'cad_files', 'floorplans_3d'];

const PACKAGE_PRODUCTS: Record<PackageType, Product[]> = {
  base: ['listing_floorplans'],
  plus: ['listing_floorplans', 'home_report', 'snapshot', 'property_data', 'tour'],
  plus_3d: ['listing_floorplans', 'home_report', 'snapshot', 'property_data', 'tour', 'floorplans_3d'],
};

const ADD_ON_PRODUCTS: Record<AddOn, Product[]> = {
  gla: ['gla_package'],
  '3d_cad_files': ['cad_files'],
  '3d_video': ['video_3d'],
  '6h_turnaround': [],
};

/** Every product an order with this package and these add-ons has bought, in PRODUCTS order. */
export function boughtProducts(packageType: PackageType, addOns: readonly string[]): Product[] {
  const bought = new Set<Product>(PACKAGE_PRODUCTS[packageType]);
  for (const a of addOns) for (const p of ADD_ON_PRODUCTS[a as AddOn] ?? []) bought.add(p);
  return PRODUCTS.filter((p) => bought.has(p));
}
