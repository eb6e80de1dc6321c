// Orders, their lifecycle events and change requests. Times are integer microseconds.
import type { Generated, Selectable, Updateable } from 'kysely';
import type { Product } from '../../domain/catalog.js';
import type { StoredStyle } from '../../domain/order-style.js';

export interface OrdersTable {
  id: string;
  company_id: string;
  status: string; // New | Draft | Pending | Ready | Fixing | Failed
  held: number; // 1 = production paused by the operator
  created_by: string; // email of the key's user
  owner_user_id: string | null;
  owner_email: string | null;
  order_type: string; // vbim | redraw
  is_scan_order: number;
  external_id: string | null;
  add_info: string;
  style_template: string | null; // JSON object or null
  package_type: string;
  add_ons: string; // JSON array
  total_scanned_area: number;
  first_delivered_at: number | null;
  created_at: number;
  updated_at: number;
  status_changed_at: number;
  due_at: number | null; // when production may deliver (Pending/Fixing)
  model_id: string;
  // address
  street: string;
  number: string | null;
  suite: string | null;
  city: string;
  state: string | null;
  postal_code: string | null;
  country: string;
  latitude: number | null;
  longitude: number | null;
  full_address: string;
  // redraw source urls (JSON array) and order preferences (JSON object)
  source: string | null;
  order_preferences: string | null;
  // GoToScan
  go2scan_token_hash: string | null;
  go2scan_expires_at: number | null;
  go2scan_customer: string | null; // JSON {name,email,phone}
  go2scan_invitation_sent_at: number | null;
  go2scan_uploaded_at: number | null;
  // products delivered so far (JSON array of product names)
  delivered_products: string;
  pending_delivery_type: string | null; // new | fix | update: what the next Ready will be
  // products queued for the next delivery (JSON array; Fixing/Ready), and the production lease
  pending_products: string | null;
  lease_until: number | null;
  lease_owner: string | null;
  production_attempts: Generated<number>; // failed produce() attempts since the last delivery
}

export interface OrderEventsTable {
  seq: Generated<number>; // global order of events
  id: string; // event id (UUID), stable; the webhook-id derives from it
  order_id: string;
  company_id: string;
  trigger: string; // moved_to_draft | moved_to_pending | moved_to_ready | moved_to_fixing | moved_to_failed
  current_status: string;
  previous_status: string | null;
  model_id: string;
  product_type: string; // products_2d | products_3d | tour
  delivery_type: string; // new | fix | update
  created_at: number;
}

export interface ChangeRequestsTable {
  id: string;
  order_id: string;
  company_id: string;
  status: string; // Open | Done
  message: string;
  product_type: string;
  attachment_urls: string; // JSON array
  created_by: string;
  created_at: number;
  resolved_at: number | null;
}

export interface ScanFilesTable {
  id: string;
  order_id: string;
  storage_key: string;
  original_name: string;
  content_type: string;
  size: number;
  created_at: number;
}

export interface OrderTables {
  orders: OrdersTable;
  order_events: OrderEventsTable;
  change_requests: ChangeRequestsTable;
  scan_files: ScanFilesTable;
}

/** The stored rows, JSON columns as text: what the repos read and write. */
export type OrderRow = Selectable<OrdersTable>;
export type OrderUpdate = Updateable<OrdersTable>;
export type OrderEventRow = Selectable<OrderEventsTable>;
export type ChangeRequestRow = Selectable<ChangeRequestsTable>;
export type ScanFileRow = Selectable<ScanFilesTable>;

export interface Go2scanCustomer {
  name: string | null;
  email: string | null;
  phone: string | null;
}

/** The JSON columns of an order, decoded. */
export interface OrderJsonColumns {
  style_template: Partial<StoredStyle> | null;
  add_ons: string[];
  source: string[] | null;
  order_preferences: object | null;
  go2scan_customer: Go2scanCustomer | null;
  delivered_products: Product[];
  pending_products: Product[] | null;
}

/** An order as the orders repo returns and takes it: every JSON column decoded. */
export interface Order extends Omit<OrderRow, keyof OrderJsonColumns>, OrderJsonColumns {}

/** The columns an update of an order may set, decoded like `Order`. */
export type OrderChanges = Partial<Omit<Order, 'id' | 'company_id'>>;

/** A change request as its repo returns it. */
export interface ChangeRequest extends Omit<ChangeRequestRow, 'attachment_urls'> {
  attachment_urls: string[];
}
