// Steps of the deliverables tests: order an order, deliver it, download what `delivery_assets` lists.
import assert from 'node:assert/strict';
import type { TestApp, TestCompany } from '../helpers/app.js';
import { call, createDraft, getOrder, ok, scan } from '../orders/order-helpers.js';

export const EVERY_ADD_ON = ['gla', '3d_cad_files', '3d_video', '6h_turnaround'];

/** A draft of `packageType` with every add-on, scanned (2,600 ft²) and delivered by the operator. */
export async function deliveredOrder(ctx: TestApp, company: TestCompany, packageType: string, addOns = EVERY_ADD_ON, sqft = 2600) {
  const draft = await createDraft(ctx, company, { package_type: packageType, add_ons: addOns });
  await scan(ctx, draft.id, { total_scanned_area: sqft });
  await ok(call(ctx, null, 'POST', `/admin/v1/orders/${draft.id}/deliver`));
  return getOrder(ctx, company, draft.id);
}

/** The path and query of a file URL the server handed out (the tests talk to it without a socket). */
export function localPath(ctx: TestApp, url: string): string {
  assert.ok(url.startsWith(`${ctx.config.publicUrl}/files/`), `not a file URL of this server: ${url}`);
  return url.slice(ctx.config.publicUrl.length);
}

export async function download(ctx: TestApp, url: string, headers: Record<string, string> = {}) {
  return ctx.inject({ method: 'GET', url: localPath(ctx, url), headers });
}

/** Every file URL in `delivery_assets`, with the product and list it sits in. */
export function fileUrls(assets: Record<string, Record<string, unknown> | null>): { product: string; field: string; url: string }[] {
  return Object.entries(assets).flatMap(([product, value]) =>
    value
      ? Object.entries(value).flatMap(([field, list]) =>
          Array.isArray(list) ? (list as string[]).map((url) => ({ product, field, url })) : [],
        )
      : [],
  );
}
