// Compile-time checks: `npm run typetest -w @casa-integrate/client` (tsc --noEmit). Every
// `@ts-expect-error` line must fail to compile — a wrong field name or enum value in a request —
// and tsc fails if one of them compiles. The lines without it must compile.
import { CasaClient, type Order, type OrderStatusEvent, type User, type WebhookTrigger } from '../src/index.js';

declare const client: CasaClient;

export async function companies(): Promise<void> {
  await client.updateWebhooks({ webhook_urls: ['https://example.com/hook'], webhook_triggers: ['moved_to_ready', 'moved_to_failed'] });
  // @ts-expect-error: an unknown trigger
  await client.updateWebhooks({ webhook_urls: ['https://example.com/hook'], webhook_triggers: ['moved_to_delivered'] });
  // @ts-expect-error: a misspelt field (webhook_url)
  await client.updateWebhooks({ webhook_url: ['https://example.com/hook'], webhook_triggers: [] });
  // @ts-expect-error: a single URL where a list is expected
  await client.updateWebhooks({ webhook_urls: 'https://example.com/hook' });
  const trigger: WebhookTrigger = 'moved_to_pending';
  // @ts-expect-error: not a trigger
  const wrong: WebhookTrigger = 'moved_to_new';
  void [trigger, wrong];
}

export async function users(): Promise<void> {
  await client.createUser({ email: 'a@example.com', role: 'Collaborator', password: 'long-enough', name: null });
  // @ts-expect-error: an unknown role
  await client.createUser({ email: 'a@example.com', role: 'Admin' });
  // @ts-expect-error: a misspelt field (officeId)
  await client.createUser({ email: 'a@example.com', role: 'User', officeId: 'x' });
  // @ts-expect-error: a role filter must be a list of roles
  await client.listUsers({ role: ['Owner'] });
  // @ts-expect-error: limit is a number
  await client.listOffices({ limit: '10' });
  const user: User = await client.getUserByEmail('a@example.com');
  // @ts-expect-error: responses are typed too
  const n: number = user.email;
  void n;
}

export async function orders(): Promise<void> {
  const owner_email = 'owner@example.com';
  await client.createDraft({ street: '615 Bourbon St', city: 'New Orleans', country: 'United States', owner_email, package_type: 'plus_3d', add_ons: ['gla', '3d_cad_files'] });
  // @ts-expect-error: an unknown package type
  await client.createDraft({ street: '615 Bourbon St', city: 'New Orleans', country: 'United States', owner_email, package_type: 'gold' });
  // @ts-expect-error: an unknown add-on
  await client.createDraft({ street: '615 Bourbon St', city: 'New Orleans', country: 'United States', owner_email, add_ons: ['drone_video'] });
  // @ts-expect-error: postalCode is camelCase in the API
  await client.createDraft({ street: '615 Bourbon St', city: 'New Orleans', country: 'United States', owner_email, postal_code: '70130' });
  // @ts-expect-error: owner_email is required on a draft
  await client.createDraft({ street: '615 Bourbon St', city: 'New Orleans', country: 'United States' });
  await client.listOrders({ status: ['Ready', 'Fixing'], external_id: 'R4ER93', limit: 100 });
  // @ts-expect-error: statuses are capitalised
  await client.listOrders({ status: ['delivered'] });
  // @ts-expect-error: status takes a list
  await client.listOrders({ status: 'Ready' });
  await client.createChangeRequest('id', { message: 'Move the door', product_type: 'products_3d' });
  // @ts-expect-error: an unknown product type
  await client.createChangeRequest('id', { message: 'Move the door', product_type: 'products_4d' });
  // @ts-expect-error: the field is message
  await client.createChangeRequest('id', { comment: 'Move the door' });
  await client.upgradeOrder('id', { package_type: null, add_ons: ['gla'] });
  // @ts-expect-error: add_ons is required (an empty list buys none)
  await client.upgradeOrder('id', { package_type: 'plus' });
  await client.redeliverOrder('id', { style_template_id: 'blueprint', units: 'imperial' });
  // @ts-expect-error: an unknown unit system
  await client.redeliverOrder('id', { units: 'furlongs' });
  // @ts-expect-error: source is required on a redraw order
  await client.createRedrawOrder({ street: '1 Main St', city: 'Springfield', country: 'United States', info: 'x' });
  const order: Order = await client.getOrder('id');
  const pngs: string[] | undefined = order.delivery_assets.listing_floorplans?.png_urls;
  // @ts-expect-error: listing_floorplans may be null (not bought)
  const unchecked: string[] = order.delivery_assets.listing_floorplans.png_urls;
  void [pngs, unchecked];
}

export function webhooks(event: OrderStatusEvent): void {
  if (event.current_status === 'Ready' && event.product_type === 'products_2d') return;
  // @ts-expect-error: not a status
  if (event.current_status === 'Delivered') return;
  // @ts-expect-error: not a product type
  if (event.product_type === 'products_4d') return;
}
