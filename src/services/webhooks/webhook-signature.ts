// Standard Webhooks signing (https://www.standardwebhooks.com): `v1,<base64 HMAC-SHA256>` over
// `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the base64-decoded part of `whsec_…`.
import crypto from 'node:crypto';

const PREFIX = 'whsec_';

export function generateWebhookSecret(): string {
  return PREFIX + crypto.randomBytes(32).toString('base64');
}

export function signWebhook(secret: string, msgId: string, timestampS: number, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
  const mac = crypto.createHmac('sha256', key).update(`${msgId}.${timestampS}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The `webhook-signature` header: one signature per active secret, space-separated. */
export function signatureHeader(secrets: string[], msgId: string, timestampS: number, body: string): string {
  return secrets.map((s) => signWebhook(s, msgId, timestampS, body)).join(' ');
}
