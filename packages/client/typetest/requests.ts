// Compile-time checks: `npm run typetest -w @casa-integrate/client` (tsc --noEmit). Every
// `@ts-expect-error` line must fail to compile — a wrong field name or enum value in a request —
// and tsc fails if one of them compiles. The lines without it must compile.
import { CasaClient, type OrderStatusEvent, type User, type WebhookTrigger } from '../src/index.js';

declare const client: CasaClient;

export async function companies(): Promise<void> {
  await client.updateWebhooks({ webhook_urls: ['https://example.com/hook'], webhook_triggers: ['moved_to_ready', 'moved_to_failed'] });
  // @ts-expect-error: an unknown trigger
  await client.updateWebhooks({ webhook_urls: ['https://example.com/hook'], webhook_triggers: ['moved_to_delivered'] });
  // @ts-expect-error: a misspelt field (webhook_url)
  await client.updateWebhooks({ webhook_url: ['https://example.com/hook'], webhook_triggers: [] });
  // @ts-expect-error: a required field missing
  await client.updateWebhooks({ webhook_urls: [] });
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

export function webhooks(event: OrderStatusEvent): void {
  if (event.current_status === 'Ready' && event.product_type === 'products_2d') return;
  // @ts-expect-error: not a status
  if (event.current_status === 'Delivered') return;
  // @ts-expect-error: not a product type
  if (event.product_type === 'products_4d') return;
}
