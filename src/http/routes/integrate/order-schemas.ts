// Schemas of the order object (CONTRACT 5.1 and 6) and of the flat order bodies.
import { Type } from 'typebox';
import { ADD_ONS, PACKAGE_TYPES } from '../../../domain/catalog.js';
import { ORDER_STATUSES } from '../../../domain/order-lifecycle.js';
import { LANGUAGE_TAG_PATTERN, STYLE_TEMPLATES, UNITS } from '../../../domain/order-style.js';
import { EpochSeconds, HttpUrl, Nullable, StringEnum } from '../../schemas/common.js';

const Urls = Type.Array(Type.String());

const ListingFloorplans = Type.Object({
  jpg_urls: Urls,
  jpg_urls_dim: Urls,
  png_urls: Urls,
  png_urls_dim: Urls,
  svg_urls: Urls,
  svg_urls_dim: Urls,
  pdf_urls: Urls,
  pdf_urls_dim: Urls,
  zip_urls: Urls,
  zip_urls_dim: Urls,
});

export const DeliveryAssets = Type.Object(
  {
    listing_floorplans: Nullable(ListingFloorplans),
    home_report: Nullable(Type.Object({ pdf_urls: Urls })),
    tour: Nullable(Type.Object({ link: Nullable(Type.String()), mls_compliance_link: Nullable(Type.String()), type: Type.String() })),
    floorplans_3d: Nullable(Type.Object({ gltf_urls: Urls, viewer_url: Nullable(Type.String()) })),
    video_3d: Nullable(Type.Object({ mp4_urls: Urls })),
    gla_package: Nullable(Type.Object({ pdf_urls: Urls, json_urls: Urls })),
    snapshot: Nullable(Type.Object({ image_urls: Urls, pdf_urls: Urls })),
    property_data: Nullable(Type.Object({ json_urls: Urls })),
    cad_files: Nullable(Type.Object({ dxf_urls: Urls })),
  },
  { description: 'Every key present; null when not bought; empty lists until delivered' },
);

export const StyleTemplate = Type.Object({
  style_template_id: StringEnum(STYLE_TEMPLATES),
  units: StringEnum(UNITS),
  label_language: Type.String(),
  show_dimensions: Type.Boolean(),
});

const Go2scanInfo = Type.Object({
  link: Nullable(Type.String(), { description: 'The link with its token: only in the answer that creates it' }),
  expires_at: EpochSeconds,
  customer: Nullable(Type.Object({ name: Nullable(Type.String()), email: Nullable(Type.String()), phone: Nullable(Type.String()) })),
  invitation_sent_at: Nullable(EpochSeconds),
  uploaded_at: Nullable(EpochSeconds),
});

const OrderInfo = Type.Object({
  status: StringEnum(ORDER_STATUSES),
  created_by: Type.String(),
  owner_email: Nullable(Type.String()),
  location: Type.String(),
  order_type: Type.String(),
  first_delivered_at: Nullable(EpochSeconds),
  created_at: EpochSeconds,
  is_scan_order: Type.Boolean(),
  total_scanned_area: Type.Number(),
  go2scan: Nullable(Go2scanInfo),
  external_id: Nullable(Type.String()),
  add_info: Type.String(),
  style_template: Nullable(StyleTemplate),
  product: Type.Object({
    package_type: Type.String(),
    add_ons: Type.Array(Type.String()),
    over_limits: Type.Array(Type.String()),
    purchasable_add_ons: Type.Array(Type.String()),
  }),
});

const OrderAddress = Type.Object({
  full_address: Type.String(),
  street: Type.String(),
  number: Nullable(Type.String()),
  suite: Nullable(Type.String()),
  city: Type.String(),
  state: Nullable(Type.String()),
  postalCode: Nullable(Type.String()),
  country: Type.String(),
  latitude: Nullable(Type.Number()),
  longitude: Nullable(Type.Number()),
});

export const OrderListItem = Type.Object({ id: Type.String({ format: 'uuid' }), info: OrderInfo, address: OrderAddress });
export const Order = Type.Object({
  id: Type.String({ format: 'uuid' }),
  info: OrderInfo,
  address: OrderAddress,
  delivery_assets: DeliveryAssets,
});

const Text = (max: number) => Type.String({ maxLength: max });
const OptionalText = (max: number) => Type.Optional(Nullable(Text(max)));

/** The flat body of draft creation and update (KNOWN 2.6), in the documented field order. */
export const draftFields = {
  street: Type.String({ minLength: 1, maxLength: 200 }),
  suite: OptionalText(100),
  city: Type.String({ minLength: 1, maxLength: 100 }),
  state: OptionalText(100),
  country: Type.String({ minLength: 1, maxLength: 100 }),
  postalCode: OptionalText(20),
  info: OptionalText(5000),
  latitude: Type.Optional(Nullable(Type.Number({ minimum: -90, maximum: 90 }))),
  longitude: Type.Optional(Nullable(Type.Number({ minimum: -180, maximum: 180 }))),
  external_id: OptionalText(200),
  owner_email: Type.String({ format: 'email', maxLength: 254 }),
  package_type: Type.Optional(Nullable(StringEnum(PACKAGE_TYPES))),
  add_ons: Type.Optional(Nullable(Type.Array(StringEnum(ADD_ONS), { maxItems: ADD_ONS.length * 2 }))),
  order_preferences: Type.Optional(Nullable(Type.Object({}, { additionalProperties: true }))),
};

export const DraftBody = Type.Object(draftFields);

/** `POST /orders` (redraw): the live 400 listed street, city, country, info, source in this order. */
export const RedrawBody = Type.Object({
  street: draftFields.street,
  city: draftFields.city,
  country: draftFields.country,
  info: Type.String({ maxLength: 5000 }),
  source: Type.Union([HttpUrl, Type.Array(HttpUrl, { minItems: 1, maxItems: 10 })], { description: 'URL of the drawing, or 1–10 of them' }),
  suite: draftFields.suite,
  state: draftFields.state,
  postalCode: draftFields.postalCode,
  latitude: draftFields.latitude,
  longitude: draftFields.longitude,
  external_id: draftFields.external_id,
  owner_email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
  package_type: draftFields.package_type,
  add_ons: draftFields.add_ons,
  order_preferences: draftFields.order_preferences,
});

export const Go2scanBody = Type.Object({
  ...draftFields,
  owner_email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
  customer: Type.Optional(
    Nullable(
      Type.Object({
        name: OptionalText(200),
        email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
        phone: OptionalText(50),
      }),
    ),
  ),
  send_invitation: Type.Optional(Type.Boolean()),
});

export const PostPurchaseBody = Type.Object({
  package_type: Nullable(StringEnum(PACKAGE_TYPES)),
  add_ons: Type.Array(StringEnum(ADD_ONS), { maxItems: ADD_ONS.length }),
});

export const RedeliverBody = Type.Object({
  style_template_id: Type.Optional(StringEnum(STYLE_TEMPLATES)),
  add_info: Type.Optional(Text(5000)),
  units: Type.Optional(StringEnum(UNITS)),
  label_language: Type.Optional(Type.String({ pattern: LANGUAGE_TAG_PATTERN, maxLength: 35 })),
  show_dimensions: Type.Optional(Type.Boolean()),
});

export const ListOrdersQuery = {
  status: Type.Optional(Type.Array(StringEnum(ORDER_STATUSES))),
  external_id: Type.Optional(Type.String({ maxLength: 200 })),
  owner_email: Type.Optional(Type.String({ maxLength: 254 })),
  created_after: Type.Optional(Type.Number({ description: 'epoch seconds, inclusive' })),
  created_before: Type.Optional(Type.Number({ description: 'epoch seconds, exclusive' })),
};
