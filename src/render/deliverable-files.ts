// Every file of the products an order bought, rendered from its model: the one list the
// deliverables service stores. File names are stable, so a re-render replaces the same keys.
import type { Product } from '../domain/catalog.js';
import { combinedPdf } from './combined-pdf.js';
import { floorDxf } from './dxf.js';
import { floorPlansPdf } from './floorplan-pdf.js';
import { glaJson, glaPdf } from './gla.js';
import { homeReportPdf } from './home-report.js';
import { floorSlug, floorsInOrder } from './model.js';
import { modelGlb } from './gltf.js';
import { propertyDataJson } from './property-data.js';
import { rasterize } from './raster.js';
import { snapshotJpg, snapshotPdf } from './snapshot.js';
import type { RenderInput } from './summary.js';
import { floorSvg } from './svg.js';
import { zipFiles } from './zip.js';

export interface RenderedFile {
  product: Product;
  /** The list in `delivery_assets[product]` this file belongs to, e.g. `svg_urls_dim`. */
  field: string;
  name: string;
  contentType: string;
  data: Buffer;
}

export const CONTENT_TYPES: Record<string, string> = {
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  pdf: 'application/pdf',
  zip: 'application/zip',
  json: 'application/json',
  dxf: 'image/vnd.dxf',
  glb: 'model/gltf-binary',
};

export function contentTypeOf(name: string): string {
  return CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}

async function listingFloorplans(input: RenderInput): Promise<RenderedFile[]> {
  const files: RenderedFile[] = [];
  const add = (field: string, name: string, data: Buffer) =>
    files.push({ product: 'listing_floorplans', field, name, contentType: contentTypeOf(name), data });
  for (const dim of [false, true]) {
    const suffix = dim ? '_dim' : '';
    const tag = dim ? '-dim' : '';
    const floors = floorsInOrder(input.model);
    const svgs = floors.map((f) => floorSvg(input.model, f, input.opts, dim));
    const [rasters, pdf] = await Promise.all([Promise.all(svgs.map((svg) => rasterize(svg, { jpg: true }))), floorPlansPdf(input, dim)]);
    const pngs = rasters.map((r) => r.png);
    const jpgs = rasters.map((r) => r.jpg!);
    const zipEntries: { name: string; data: Buffer }[] = [];
    floors.forEach((f, i) => {
      const base = `${floorSlug(f.level)}${tag}`;
      add(`svg_urls${suffix}`, `${base}.svg`, Buffer.from(svgs[i]!));
      add(`png_urls${suffix}`, `${base}.png`, pngs[i]!);
      add(`jpg_urls${suffix}`, `${base}.jpg`, jpgs[i]!);
      zipEntries.push(
        { name: `${base}.svg`, data: Buffer.from(svgs[i]!) },
        { name: `${base}.png`, data: pngs[i]! },
        { name: `${base}.jpg`, data: jpgs[i]! },
      );
    });
    add(`pdf_urls${suffix}`, `floorplans${tag}.pdf`, pdf);
    zipEntries.push({ name: `floorplans${tag}.pdf`, data: pdf });
    add(`zip_urls${suffix}`, `floorplans${tag}.zip`, await zipFiles(zipEntries));
  }
  return files;
}

async function productFiles(product: Product, input: RenderInput): Promise<RenderedFile[]> {
  const file = (field: string, name: string, data: Buffer): RenderedFile => ({
    product,
    field,
    name,
    contentType: contentTypeOf(name),
    data,
  });
  switch (product) {
    case 'listing_floorplans':
      return listingFloorplans(input);
    case 'home_report':
      return [file('pdf_urls', 'home-report.pdf', await homeReportPdf(input))];
    case 'snapshot':
      return [file('image_urls', 'snapshot.jpg', await snapshotJpg(input)), file('pdf_urls', 'snapshot.pdf', await snapshotPdf(input))];
    case 'property_data':
      return [file('json_urls', 'property-data.json', propertyDataJson(input))];
    case 'gla_package':
      return [file('json_urls', 'gla.json', glaJson(input)), file('pdf_urls', 'gla.pdf', await glaPdf(input))];
    case 'cad_files':
      return floorsInOrder(input.model).map((f) => file('dxf_urls', `${floorSlug(f.level)}.dxf`, floorDxf(f, input.opts.language)));
    case 'floorplans_3d':
      return [file('gltf_urls', 'model.glb', modelGlb(input.model))];
    case 'tour':
    case 'video_3d':
      return [];
  }
}

/**
 * The files of `products`, in product order. Products are rendered one after the other: one
 * document alive at a time keeps the heap small. The server calls this on its render thread
 * (renderer.ts).
 */
export async function renderProducts(input: RenderInput, products: readonly Product[]): Promise<RenderedFile[]> {
  const files: RenderedFile[] = [];
  for (const p of products) files.push(...(await productFiles(p, input)));
  return files;
}

/** The combined PDF for an order that has `delivered` products. */
export function renderCombinedPdf(input: RenderInput, delivered: readonly Product[]): Promise<Buffer> {
  return combinedPdf(input, {
    homeReport: delivered.includes('home_report'),
    snapshot: delivered.includes('snapshot'),
    gla: delivered.includes('gla_package'),
  });
}
