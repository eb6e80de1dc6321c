// The floor_plan_models and delivered_files tables. An order's model and files are reached in its
// company's scope; the web pages read a model by order id and the signed file route a file by its
// storage key alone (`system`). The model and style JSON columns are decoded here only.
import type { Db } from '../../db/dialect.js';
import type { DeliveredFileRow, FloorPlanModelRow } from '../../db/tables/assets.js';
import type { FloorPlanModel } from '../../render/model.js';
import type { DrawOptions } from '../../render/style.js';
import { allRows, compiledOnce } from '../../db/compiled-once.js';

/** The model row without the model itself: what deciding on the cached combined PDF needs. */
export interface ModelState extends Omit<FloorPlanModelRow, 'model_json' | 'style_json'> {
  /** The drawing options of the last 2D rendering, so the combined PDF matches the files. */
  style: DrawOptions | null;
}

/** An order's stored floor-plan model, decoded. */
export interface StoredModel extends ModelState {
  model: FloorPlanModel;
}

export type NewFile = Omit<DeliveredFileRow, 'company_id'>;

const STATE_COLUMNS = ['order_id', 'company_id', 'model_id', 'source', 'style_json', 'combined_key', 'created_at', 'updated_at'] as const;

function decodeState<R extends Omit<FloorPlanModelRow, 'model_json'>>(row: R): Omit<R, 'style_json'> & { style: DrawOptions | null } {
  const { style_json, ...rest } = row;
  return { ...rest, style: style_json === null ? null : (JSON.parse(style_json) as DrawOptions) };
}

function decodeModel(row: FloorPlanModelRow): StoredModel {
  const { model_json, ...rest } = row;
  return { ...decodeState(rest), model: JSON.parse(model_json) as FloorPlanModel };
}

function encodeModel(model: Omit<StoredModel, 'company_id'>, companyId: string): FloorPlanModelRow {
  const { model: value, style, ...rest } = model;
  return { ...rest, company_id: companyId, model_json: JSON.stringify(value), style_json: style === null ? null : JSON.stringify(style) };
}

export const deliverablesRepo = {
  forCompany(companyId: string) {
    return {
      async findModel(db: Db, orderId: string): Promise<StoredModel | undefined> {
        const row = await db
          .selectFrom('floor_plan_models')
          .selectAll()
          .where('company_id', '=', companyId)
          .where('order_id', '=', orderId)
          .executeTakeFirst();
        return row && decodeModel(row);
      },

      async modelState(db: Db, orderId: string): Promise<ModelState | undefined> {
        const row = await db
          .selectFrom('floor_plan_models')
          .select(STATE_COLUMNS)
          .where('company_id', '=', companyId)
          .where('order_id', '=', orderId)
          .executeTakeFirst();
        return row && decodeState(row);
      },

      /** Keeps the first model written for an order (two producers racing agree on the stored one). */
      async insertModelIfAbsent(db: Db, model: Omit<StoredModel, 'company_id'>): Promise<void> {
        await db
          .insertInto('floor_plan_models')
          .values(encodeModel(model, companyId))
          .onConflict((oc) => oc.column('order_id').doNothing())
          .execute();
      },

      /** The operator's upload replaces the model; the cached combined PDF no longer applies. */
      async replaceModel(db: Db, model: Omit<StoredModel, 'company_id'>): Promise<void> {
        const row = encodeModel(model, companyId);
        await db
          .insertInto('floor_plan_models')
          .values(row)
          .onConflict((oc) =>
            oc
              .column('order_id')
              .doUpdateSet({ source: row.source, model_json: row.model_json, combined_key: null, updated_at: row.updated_at }),
          )
          .execute();
      },

      async setStyle(db: Db, orderId: string, style: DrawOptions, updatedAt: number): Promise<void> {
        await db
          .updateTable('floor_plan_models')
          .set({ style_json: JSON.stringify(style), combined_key: null, updated_at: updatedAt })
          .where('company_id', '=', companyId)
          .where('order_id', '=', orderId)
          .execute();
      },

      async setCombinedKey(db: Db, orderId: string, key: string): Promise<void> {
        await db
          .updateTable('floor_plan_models')
          .set({ combined_key: key })
          .where('company_id', '=', companyId)
          .where('order_id', '=', orderId)
          .execute();
      },

      async listFiles(db: Db, orderId: string): Promise<DeliveredFileRow[]> {
        const query = compiledOnce(db, 'delivered files of an order', [companyId, orderId], ([company, order]) =>
          db
            .selectFrom('delivered_files')
            .selectAll()
            .where('company_id', '=', company!)
            .where('order_id', '=', order!)
            .orderBy('product')
            .orderBy('field')
            .orderBy('position'),
        );
        return allRows(db, query);
      },

      /** Replaces the order's files of `products` with `files`; answers the storage keys that were dropped. */
      async replaceFiles(db: Db, orderId: string, products: string[], files: NewFile[]): Promise<string[]> {
        let old: { storage_key: string }[] = [];
        if (products.length) {
          old = await db
            .selectFrom('delivered_files')
            .select('storage_key')
            .where('company_id', '=', companyId)
            .where('order_id', '=', orderId)
            .where('product', 'in', products)
            .execute();
          await db
            .deleteFrom('delivered_files')
            .where('company_id', '=', companyId)
            .where('order_id', '=', orderId)
            .where('product', 'in', products)
            .execute();
        }
        if (files.length)
          await db
            .insertInto('delivered_files')
            .values(files.map((f) => ({ ...f, company_id: companyId })))
            .execute();
        const kept = new Set(files.map((f) => f.storage_key));
        return [...new Set(old.map((r) => r.storage_key))].filter((k) => !kept.has(k));
      },
    };
  },

  /** The web pages, the signed file route and the URL signing secret: across companies. */
  system: {
    async findModel(db: Db, orderId: string): Promise<StoredModel | undefined> {
      const row = await db.selectFrom('floor_plan_models').selectAll().where('order_id', '=', orderId).executeTakeFirst();
      return row && decodeModel(row);
    },

    /** Which of `keys` a delivered file or a cached combined PDF names (the orphan sweep keeps those). */
    async keysNamed(db: Db, keys: string[]): Promise<string[]> {
      if (keys.length === 0) return [];
      const files = await db.selectFrom('delivered_files').select('storage_key').where('storage_key', 'in', keys).execute();
      const combined = await db.selectFrom('floor_plan_models').select('combined_key').where('combined_key', 'in', keys).execute();
      return [...files.map((r) => r.storage_key), ...combined.map((r) => r.combined_key!)];
    },

    async findFileByKey(db: Db, storageKey: string): Promise<DeliveredFileRow | undefined> {
      return db
        .selectFrom('delivered_files')
        .selectAll()
        .where('storage_key', '=', storageKey)
        .orderBy('created_at')
        .limit(1)
        .executeTakeFirst();
    },
  },
};
