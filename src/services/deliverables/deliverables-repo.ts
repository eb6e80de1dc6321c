// Queries over floor-plan models and delivered files. Reads on behalf of a customer take the
// company id; production and the signed file route look rows up by order id or storage key.
import type { Db } from '../../db/dialect.js';
import type { DeliveredFileRow, FloorPlanModelRow } from '../../db/tables/assets.js';

export const deliverablesRepo = {
  async findModel(db: Db, orderId: string): Promise<FloorPlanModelRow | undefined> {
    return db.selectFrom('floor_plan_models').selectAll().where('order_id', '=', orderId).executeTakeFirst();
  },

  /** Keeps the first model written for an order (two producers racing agree on the stored one). */
  async insertModelIfAbsent(db: Db, row: FloorPlanModelRow): Promise<void> {
    await db.insertInto('floor_plan_models').values(row).onConflict((oc) => oc.column('order_id').doNothing()).execute();
  },

  /** The operator's upload replaces the model; the cached combined PDF no longer applies. */
  async replaceModel(db: Db, row: FloorPlanModelRow): Promise<void> {
    await db
      .insertInto('floor_plan_models')
      .values(row)
      .onConflict((oc) =>
        oc.column('order_id').doUpdateSet({ source: row.source, model_json: row.model_json, combined_key: null, updated_at: row.updated_at }),
      )
      .execute();
  },

  async setStyle(db: Db, orderId: string, styleJson: string, updatedAt: number): Promise<void> {
    await db.updateTable('floor_plan_models').set({ style_json: styleJson, combined_key: null, updated_at: updatedAt }).where('order_id', '=', orderId).execute();
  },

  async setCombinedKey(db: Db, orderId: string, key: string): Promise<void> {
    await db.updateTable('floor_plan_models').set({ combined_key: key }).where('order_id', '=', orderId).execute();
  },

  async listFiles(db: Db, companyId: string, orderId: string): Promise<DeliveredFileRow[]> {
    return db
      .selectFrom('delivered_files')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('order_id', '=', orderId)
      .orderBy('product')
      .orderBy('field')
      .orderBy('position')
      .execute();
  },

  /** Replaces the order's files of `products` with `rows`; answers the storage keys that were dropped. */
  async replaceFiles(db: Db, orderId: string, products: string[], rows: DeliveredFileRow[]): Promise<string[]> {
    const old = products.length
      ? await db.selectFrom('delivered_files').select('storage_key').where('order_id', '=', orderId).where('product', 'in', products).execute()
      : [];
    if (products.length) await db.deleteFrom('delivered_files').where('order_id', '=', orderId).where('product', 'in', products).execute();
    if (rows.length) await db.insertInto('delivered_files').values(rows).execute();
    const kept = new Set(rows.map((r) => r.storage_key));
    return [...new Set(old.map((r) => r.storage_key))].filter((k) => !kept.has(k));
  },

  async findFileByKey(db: Db, storageKey: string): Promise<DeliveredFileRow | undefined> {
    return db.selectFrom('delivered_files').selectAll().where('storage_key', '=', storageKey).orderBy('created_at').limit(1).executeTakeFirst();
  },

  /** The server-wide secret `name`, created on first use (the first writer wins a race). */
  async serverSecret(db: Db, name: string, candidate: string): Promise<string> {
    await db.insertInto('server_settings').values({ name, value: candidate }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const row = await db.selectFrom('server_settings').select('value').where('name', '=', name).executeTakeFirstOrThrow();
    return row.value;
  },
};
