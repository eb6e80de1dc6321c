// Floor-plan models and the files delivered from them. Times are integer microseconds.
import type { Selectable } from 'kysely';

export interface FloorPlanModelsTable {
  order_id: string;
  company_id: string;
  model_id: string;
  source: string; // generated | uploaded
  model_json: string;
  /** The drawing options of the last 2D rendering (JSON), so the combined PDF matches the files. */
  style_json: string | null;
  /** Storage key of the cached combined PDF, if one was made for the current model and style. */
  combined_key: string | null;
  created_at: number;
  updated_at: number;
}

export interface DeliveredFilesTable {
  id: string;
  order_id: string;
  company_id: string;
  product: string;
  field: string; // the delivery_assets list it appears in, e.g. svg_urls_dim
  name: string;
  position: number; // order within its list
  storage_key: string;
  content_type: string;
  size: number;
  etag: string; // SHA-256 of the bytes, hex
  created_at: number;
}

export interface AssetTables {
  floor_plan_models: FloorPlanModelsTable;
  delivered_files: DeliveredFilesTable;
}

export type FloorPlanModelRow = Selectable<FloorPlanModelsTable>;
export type DeliveredFileRow = Selectable<DeliveredFilesTable>;
