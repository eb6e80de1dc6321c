// Builds the row of a new order (draft, redraw or GoToScan) from a flat request body.
import { fullAddress, normalizeAddress, cleanText, type Address } from '../../domain/address.js';
import { normalizeAddOns } from '../../domain/order-product.js';
import { templateFromPreferences, type StoredStyle } from '../../domain/order-style.js';
import { fieldError } from '../../errors.js';
import type { Db } from '../../db/dialect.js';
import type { Order } from '../../db/tables/orders.js';
import type { ServiceDeps } from '../deps.js';
import { companyRepo } from '../company/company-repo.js';
import { usersRepo } from '../users/users-repo.js';

export interface Caller {
  companyId: string;
  userEmail: string | null;
}

/** The flat address-and-product body shared by draft, redraw and GoToScan creation. */
export interface OrderFields {
  street: string;
  suite?: string | null;
  city: string;
  state?: string | null;
  postalCode?: string | null;
  country: string;
  info?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  external_id?: string | null;
  owner_email?: string | null;
  package_type?: string | null;
  add_ons?: string[] | null;
  order_preferences?: object | null;
}

export function addressColumns(a: Address) {
  return {
    street: a.street,
    number: a.number,
    suite: a.suite,
    city: a.city,
    state: a.state,
    postal_code: a.postalCode,
    country: a.country,
    full_address: fullAddress(a),
  };
}

/** The stored style once `prefs` name a known template: `previous` with that template. */
export function styleFromPreferences(prefs: unknown, previous: Partial<StoredStyle> | null): Partial<StoredStyle> | null {
  const template = templateFromPreferences(prefs);
  if (!template) return previous;
  return { ...previous, style_template_id: template };
}

type FindUser = (email: string) => Promise<{ id: string; email: string } | undefined>;

/** The owner: a user of the company (400 on `owner_email` otherwise), or `fallback`. */
export async function resolveOwner(
  findUser: FindUser,
  ownerEmail: string | null | undefined,
  fallback: string | null,
): Promise<{ id: string | null; email: string | null }> {
  const email = cleanText(ownerEmail);
  if (email === null) {
    if (fallback === null) return { id: null, email: null };
    const user = await findUser(fallback);
    return { id: user?.id ?? null, email: user?.email ?? fallback.toLowerCase() };
  }
  const user = await findUser(email);
  if (!user) throw fieldError(['owner_email'], 'user not found', 'value_error');
  return { id: user.id, email: user.email };
}

/** Users of `companyId` by email, read in `db` (or the transaction in hand). */
export function usersOf(db: Db, companyId: string): FindUser {
  return async (email) => {
    const user = await usersRepo.forCompany(companyId).findByEmail(db, email);
    return user && { id: user.id, email: user.email };
  };
}

export function newOrderFactory({ db, clock, ids, reads }: Pick<ServiceDeps, 'db' | 'clock' | 'ids' | 'reads'>) {
  return {
    /**
     * A New order from `fields`; product defaults come from the company's package. The owner and
     * the defaults are identity reads, kept until a user or company changes.
     */
    async build(
      caller: Caller,
      fields: OrderFields,
      kind: { orderType: 'vbim' | 'redraw'; isScanOrder: boolean; ownerFallback: string | null },
    ): Promise<Order> {
      const { companyId } = caller;
      const users = usersOf(db, companyId);
      const findUser: FindUser = (email) => reads.read(`user ${companyId} ${email.toLowerCase()}`, () => users(email), 'identity');
      const owner = await resolveOwner(findUser, fields.owner_email, kind.ownerFallback);
      const defaults = (await reads.read(
        `defaults ${companyId}`,
        () => companyRepo.forCompany(companyId).orderDefaults(db),
        'identity',
      )) ?? { packageType: 'plus', addOns: [] };
      const now = clock.nowUs();
      const address = normalizeAddress(fields);
      return {
        id: ids.uuid(),
        company_id: caller.companyId,
        status: 'New',
        held: 0,
        created_by: caller.userEmail ?? '',
        owner_user_id: owner.id,
        owner_email: owner.email,
        order_type: kind.orderType,
        is_scan_order: kind.isScanOrder ? 1 : 0,
        external_id: cleanText(fields.external_id),
        add_info: fields.info?.trim() ?? '',
        style_template: styleFromPreferences(fields.order_preferences, null),
        package_type: fields.package_type ?? defaults.packageType,
        add_ons: normalizeAddOns(fields.add_ons ?? (fields.package_type ? [] : defaults.addOns)),
        total_scanned_area: 0,
        first_delivered_at: null,
        created_at: now,
        updated_at: now,
        status_changed_at: now,
        due_at: null,
        model_id: ids.uuid(),
        ...addressColumns(address),
        latitude: fields.latitude ?? null,
        longitude: fields.longitude ?? null,
        source: null,
        order_preferences: fields.order_preferences ?? null,
        go2scan_token_hash: null,
        go2scan_expires_at: null,
        go2scan_customer: null,
        go2scan_invitation_sent_at: null,
        go2scan_uploaded_at: null,
        delivered_products: [],
        pending_delivery_type: null,
        pending_products: null,
        lease_until: null,
        lease_owner: null,
        production_attempts: 0,
      };
    },
  };
}

export type NewOrder = ReturnType<typeof newOrderFactory>;
