// Deliverables for real: each order gets a floor-plan model (generated from its id and scanned
// area, or uploaded by the operator), production renders the bought products from it into stored
// files, and reads show them as pre-signed URLs. Rendering and storing happen outside any
// transaction; only the swap of the file rows is one. Orders are handed in (by the orders side,
// or through `findOrder` for the operator's upload): this side never reads the orders table.
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { DeliveredFileRow } from '../../db/tables/assets.js';
import type { Order } from '../../db/tables/orders.js';
import { FILE_PRODUCTS, STYLED_PRODUCTS, type Product } from '../../domain/catalog.js';
import { randomBase62, sha256Hex } from '../../domain/clock.js';
import { resolvedStyle } from '../../domain/order-style.js';
import { ForbiddenError, NotFoundError, RequestValidationError } from '../../errors.js';
import { renderCombinedPdfOffThread, renderProductsOffThread } from '../../render/renderer.js';
import { generateModel } from '../../render/generate-model.js';
import { languageOf } from '../../render/labels.js';
import { modelProblems } from '../../render/model-validation.js';
import type { FloorPlanModel } from '../../render/model.js';
import { STYLE_TEMPLATES, type DrawOptions, type StyleTemplate } from '../../render/style.js';
import { summarize, type RenderInput } from '../../render/summary.js';
import type { ServiceDeps } from '../deps.js';
import { undeliveredAssets, type DeliveryAssets } from './deliverables-port.js';
import { serverSettingsRepo } from '../settings/server-settings-repo.js';
import { deliverablesRepo, type ModelState, type NewFile } from './deliverables-repo.js';
import { signedPath, verifySignature } from './signed-urls.js';
import { StorageUnavailableError } from '../../storage/file-storage.js';

const SECRET_NAME = 'file_url_signing_secret';
export const INVALID_LINK = 'This link is invalid or has expired.';
/** How long the object store's URL behind a `/files/…` redirect lives: long enough to start a download. */
export const REDIRECT_URL_TTL_S = 300;
/** SigV4 presigned URLs live at most 7 days. */
const MAX_PRESIGNED_TTL_S = 7 * 24 * 3600;

/** A delivered file behind a valid signed link; `redirect` is the object store's own URL when downloads go there. */
export interface SignedFile extends DeliveredFileRow {
  redirect: string | null;
}

export interface UploadedModelSummary {
  order_id: string;
  model_id: string;
  source: 'uploaded';
  floors: number;
  rooms: number;
  total_area_m2: number;
}

/** Finds any order by id (the operator's model upload addresses orders across companies). */
export type FindOrder = (orderId: string) => Promise<Pick<Order, 'id' | 'company_id' | 'model_id'> | undefined>;

function drawOptionsFor(order: Order): DrawOptions {
  const style = resolvedStyle(order);
  const template = (STYLE_TEMPLATES as readonly string[]).includes(style.style_template_id)
    ? (style.style_template_id as StyleTemplate)
    : 'default';
  return {
    template,
    units: style.units,
    language: languageOf(style.label_language),
    showDimensions: style.show_dimensions,
    note: order.add_info,
  };
}

export function deliverablesServiceFactory({
  db,
  clock,
  ids,
  config,
  files,
  log,
  findOrder,
}: Pick<ServiceDeps, 'db' | 'clock' | 'ids' | 'config' | 'files' | 'log'> & { findOrder: FindOrder }) {
  let secretPromise: Promise<string> | null = null;
  const secret = (): Promise<string> => {
    secretPromise ??= serverSettingsRepo.writeOnce(db, SECRET_NAME, randomBase62(48)).catch((err: unknown) => {
      secretPromise = null;
      throw err;
    });
    return secretPromise;
  };

  /** The order's model: the stored one, or a generated one stored now (the first writer wins). */
  async function ensureModel(order: Order): Promise<FloorPlanModel> {
    const models = deliverablesRepo.forCompany(order.company_id);
    const stored = await models.findModel(db, order.id);
    if (stored) return stored.model;
    const now = clock.nowUs();
    await models.insertModelIfAbsent(db, {
      order_id: order.id,
      model_id: order.model_id,
      source: 'generated',
      model: generateModel(order.id, order.total_scanned_area),
      style: null,
      combined_key: null,
      created_at: now,
      updated_at: now,
    });
    return (await models.findModel(db, order.id))!.model;
  }

  function renderInput(order: Order, model: FloorPlanModel, opts: DrawOptions): RenderInput {
    return { model, opts, property: { orderId: order.id, modelId: order.model_id, address: order.full_address } };
  }

  async function removeStored(keys: string[]): Promise<void> {
    for (const key of keys) {
      const stillUsed = await deliverablesRepo.system.findFileByKey(db, key);
      if (!stillUsed)
        await files.delete(key).catch((err: unknown) => log.warn({ key, err: (err as Error).message }, 'could not delete a replaced file'));
    }
  }

  return {
    async produce(order: Order, products: Product[]): Promise<void> {
      const model = await ensureModel(order);
      const opts = drawOptionsFor(order);
      const fileProducts = products.filter((p) => FILE_PRODUCTS.includes(p));
      const rendered = await renderProductsOffThread(renderInput(order, model, opts), fileProducts);
      const now = clock.nowUs();
      const positions = new Map<string, number>();
      // Content-addressed keys: a re-render of the same bytes lands on the same key, a new style on
      // a new one, so a URL never points at a half-replaced file.
      const rows: NewFile[] = rendered.map((file) => {
        const etag = crypto.createHash('sha256').update(file.data).digest('hex');
        const slot = `${file.product}/${file.field}`;
        const position = positions.get(slot) ?? 0;
        positions.set(slot, position + 1);
        return {
          id: ids.uuid(),
          order_id: order.id,
          product: file.product,
          field: file.field,
          name: file.name,
          position,
          storage_key: `deliverables/${order.id}/${etag.slice(0, 20)}/${file.name}`,
          content_type: file.contentType,
          size: file.data.length,
          etag,
          created_at: now,
        };
      });
      await Promise.all(
        rendered.map(async (file, i) => {
          const key = rows[i]!.storage_key;
          const existing = await files.stat(key);
          // A file kept from an earlier render is rewritten once it is old enough for the orphan
          // sweep to be near it: the sweep deletes only files older than its whole grace period.
          const stale = existing !== null && existing.mtimeMs < Date.now() - (config.orphanGraceS * 1000) / 2;
          if (!existing || existing.size !== file.data.length || stale) await files.put(key, file.data);
        }),
      );
      const stored = deliverablesRepo.forCompany(order.company_id);
      const dropped = await db.transaction().execute(async (tx) => {
        const old = await stored.replaceFiles(tx, order.id, fileProducts, rows);
        if (fileProducts.some((p) => STYLED_PRODUCTS.includes(p))) await stored.setStyle(tx, order.id, opts, now);
        return old;
      });
      await removeStored(dropped);
    },

    async deliveryAssets(order: Order): Promise<DeliveryAssets> {
      const assets = undeliveredAssets(order);
      const done = new Set(order.delivered_products);
      // A draft or a new order has nothing delivered: no files to look up.
      if (done.size === 0) return assets;
      const rows = await deliverablesRepo.forCompany(order.company_id).listFiles(db, order.id);
      const key = await secret();
      const expires = Math.floor(clock.nowUs() / 1e6) + config.fileUrlTtlS;
      // CASA_ASSET_URLS=presigned: the bucket's own URLs, as the real service hands out S3 links.
      const presign = config.assetUrls === 'presigned' ? files.presignedGet?.bind(files) : undefined;
      for (const row of rows) {
        const product = assets[row.product as Product];
        if (!product || !done.has(row.product as Product)) continue;
        const list = product[row.field];
        if (!Array.isArray(list)) continue;
        list.push(
          presign
            ? await presign(row.storage_key, {
                expiresS: Math.min(config.fileUrlTtlS, MAX_PRESIGNED_TTL_S),
                contentType: row.content_type,
                fileName: row.name,
              })
            : `${config.publicUrl}${signedPath(key, row.storage_key, expires)}`,
        );
      }
      if (assets.tour && done.has('tour')) {
        assets.tour.link = `${config.publicUrl}/tour/${order.id}`;
        assets.tour.mls_compliance_link = `${config.publicUrl}/tour/${order.id}?unbranded=1`;
      }
      if (assets.floorplans_3d && done.has('floorplans_3d')) assets.floorplans_3d.viewer_url = `${config.publicUrl}/tour/${order.id}/3d`;
      return assets;
    },

    /** Floor plans then the bought reports, rendered once per model, style and delivered set. */
    async combinedPdf(order: Order): Promise<Readable | null> {
      const done = order.delivered_products;
      if (!done.includes('listing_floorplans')) return null;
      const models = deliverablesRepo.forCompany(order.company_id);
      const cacheOf = (state: ModelState) => {
        const style = state.style ?? drawOptionsFor(order);
        const version = sha256Hex(`${state.updated_at}\n${JSON.stringify(style)}\n${done.join(',')}`).slice(0, 20);
        return { style, key: `deliverables/${order.id}/combined/${version}.pdf` };
      };
      // The model itself is read only when the cached PDF does not apply.
      const state = await models.modelState(db, order.id);
      if (!state) return null;
      const hit = cacheOf(state);
      if (state.combined_key === hit.key && (await files.stat(hit.key))) return files.createReadStream(hit.key);
      const row = await models.findModel(db, order.id);
      if (!row) return null;
      const { style, key } = cacheOf(row);
      const pdf = await renderCombinedPdfOffThread(renderInput(order, row.model, style), done);
      // The cache is a nicety: a disk refusing the write still gets the customer the PDF.
      const cached = await files.put(key, pdf).then(
        () => true,
        (err: unknown) => {
          if (!(err instanceof StorageUnavailableError)) throw err;
          log.warn({ key, cause: (err.cause as Error).message }, 'could not store the combined PDF; served without caching it');
          return false;
        },
      );
      if (cached) {
        await models.setCombinedKey(db, order.id, key);
        if (row.combined_key && row.combined_key !== key) await files.delete(row.combined_key);
      }
      return Readable.from([pdf]);
    },

    /** The stored model of an order (null before production made one and none was uploaded). */
    async model(order: Pick<Order, 'id'>): Promise<FloorPlanModel | null> {
      const row = await deliverablesRepo.system.findModel(db, order.id);
      return row ? row.model : null;
    },

    /** The operator's model for an order; production renders from it from now on. */
    async uploadModel(orderId: string, model: FloorPlanModel): Promise<UploadedModelSummary> {
      const order = await findOrder(orderId);
      if (!order) throw new NotFoundError('Order not found.');
      const problems = modelProblems(model);
      if (problems.length) throw new RequestValidationError('body_params', problems);
      const models = deliverablesRepo.forCompany(order.company_id);
      const previous = await models.modelState(db, order.id);
      const now = clock.nowUs();
      await models.replaceModel(db, {
        order_id: order.id,
        model_id: order.model_id,
        source: 'uploaded',
        model,
        style: null,
        combined_key: null,
        created_at: now,
        updated_at: now,
      });
      if (previous?.combined_key) await files.delete(previous.combined_key);
      const s = summarize(model);
      return {
        order_id: order.id,
        model_id: order.model_id,
        source: 'uploaded',
        floors: s.floors.length,
        rooms: s.floors.reduce((n, f) => n + f.rooms.length, 0),
        total_area_m2: Math.round(s.totalM2 * 100) / 100,
      };
    },

    /**
     * A stored file behind a signed URL; 403 for any bad or expired signature, saying nothing more.
     * On an object store with CASA_S3_REDIRECT (the default) it carries a short presigned URL to
     * send the client to: a row names only objects already written, so the store need not be asked.
     */
    async signedFile(key: string, expires: string | undefined, sig: string | undefined): Promise<SignedFile> {
      if (!verifySignature(await secret(), key, expires, sig, Math.floor(clock.nowUs() / 1e6))) throw new ForbiddenError(INVALID_LINK);
      const row = await deliverablesRepo.system.findFileByKey(db, key);
      if (!row) throw new NotFoundError('This file no longer exists.');
      if (files.presignedGet && config.s3Redirect) {
        const redirect = await files.presignedGet(key, { expiresS: REDIRECT_URL_TTL_S, contentType: row.content_type, fileName: row.name });
        return { ...row, redirect };
      }
      if (!(await files.stat(key))) throw new NotFoundError('This file no longer exists.');
      return { ...row, redirect: null };
    },

    openFile(key: string, range?: { start: number; end: number }): Readable {
      return files.createReadStream(key, range);
    },
  };
}

export type DeliverablesService = ReturnType<typeof deliverablesServiceFactory>;
