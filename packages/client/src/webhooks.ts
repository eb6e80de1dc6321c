// Receiving the order-status webhook: its typed payload, Standard Webhooks signature checks
// (https://www.standardwebhooks.com, with WebCrypto so it runs in Node, Deno, Bun and workers),
// and two tiny handlers: one for Node's `http` and one for Fetch-style `Request`s.

export const ORDER_STATUSES = ['New', 'Draft', 'Pending', 'Ready', 'Fixing', 'Failed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const WEBHOOK_PRODUCT_TYPES = ['products_2d', 'products_3d', 'tour'] as const;
export type WebhookProductType = (typeof WEBHOOK_PRODUCT_TYPES)[number];

/**
 * `new`: first delivery, or a move that delivers nothing; `fix`: a change request was delivered;
 * `update`: a re-delivery or an upgrade. CubiCasa documents only `new`, so other strings are let through.
 */
export type WebhookDeliveryType = 'new' | 'fix' | 'update' | (string & {});

/** The body of the order-status call (`POST` to each of the company's webhook URLs). */
export interface OrderStatusEvent {
  /** The order id. */
  id: string;
  current_status: OrderStatus;
  previous_status: OrderStatus | null;
  /** The id of the order's floor-plan model (null when the sender leaves it out). */
  model_id: string | null;
  /** Which product a `Ready` call is about. */
  product_type: WebhookProductType;
  delivery_type: WebhookDeliveryType;
}

/** What the transport said about one call, beside its payload. */
export interface WebhookMeta {
  /** `webhook-id`: the same for every retry of one message, so use it to drop duplicates. */
  webhookId: string | null;
  /** `webhook-timestamp`, epoch seconds. */
  timestamp: number | null;
  /** Whether the signature was checked (a secret was given) and matched. */
  verified: boolean;
}

export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

export class WebhookPayloadError extends Error {
  override name = 'WebhookPayloadError';
}

/** A signing secret: `whsec_<base64>` as the operator API shows it, or the raw key bytes. */
export type WebhookSecret = string | Uint8Array;

export interface VerifyOptions {
  /** One secret, or several (during a rotation both old and new sign each message). */
  secret: WebhookSecret | WebhookSecret[];
  /** Largest accepted distance between `webhook-timestamp` and now, in seconds. Default 300. */
  toleranceS?: number;
  /** Current time in epoch seconds; defaults to the system clock. */
  nowS?: () => number;
}

/** Plain header records (Node's `req.headers`) or a Fetch `Headers`. */
export type HeadersInput = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeadersInput, name: string): string | null {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record[name] ?? Object.entries(record).find(([key]) => key.toLowerCase() === name)?.[1];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

const encoder = new TextEncoder();
const SECRET_PREFIX = 'whsec_';

function base64Decode(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

function secretKey(secret: WebhookSecret): Uint8Array<ArrayBuffer> {
  if (typeof secret !== 'string') return new Uint8Array(secret);
  const key = base64Decode(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  if (!key || key.length === 0) throw new TypeError('The webhook secret must be "whsec_" followed by base64.');
  return key;
}

function toBytes(payload: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return typeof payload === 'string' ? encoder.encode(payload) : new Uint8Array(payload);
}

/**
 * Checks the Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`)
 * against the raw body. Throws WebhookVerificationError when they do not prove the sender.
 */
export async function verifyWebhook(payload: string | Uint8Array, headers: HeadersInput, options: VerifyOptions): Promise<WebhookMeta> {
  const id = header(headers, 'webhook-id');
  const timestampText = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestampText || !signatures)
    throw new WebhookVerificationError('Missing webhook-id, webhook-timestamp or webhook-signature header.');
  if (!/^\d+$/.test(timestampText)) throw new WebhookVerificationError('Invalid webhook-timestamp header.');
  const timestamp = Number(timestampText);
  const now = options.nowS ? options.nowS() : Date.now() / 1000;
  const tolerance = options.toleranceS ?? 300;
  if (timestamp < now - tolerance) throw new WebhookVerificationError('Message timestamp too old.');
  if (timestamp > now + tolerance) throw new WebhookVerificationError('Message timestamp too new.');

  const prefix = encoder.encode(`${id}.${timestampText}.`);
  const body = toBytes(payload);
  const signed = new Uint8Array(prefix.length + body.length);
  signed.set(prefix);
  signed.set(body, prefix.length);

  const candidates = signatures
    .split(' ')
    .map((entry) => entry.split(','))
    .filter(([version, value]) => version === 'v1' && value)
    .map(([, value]) => base64Decode(value!))
    .filter((bytes): bytes is Uint8Array<ArrayBuffer> => bytes !== null);
  const secrets = Array.isArray(options.secret) ? options.secret : [options.secret];
  for (const secret of secrets) {
    const key = await crypto.subtle.importKey('raw', secretKey(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    for (const candidate of candidates) {
      // subtle.verify compares in constant time.
      if (await crypto.subtle.verify('HMAC', key, candidate, signed)) return { webhookId: id, timestamp, verified: true };
    }
  }
  throw new WebhookVerificationError('No matching signature found.');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(values: readonly T[], value: unknown, field: string, nullable = false): T | null {
  if (nullable && (value === null || value === undefined)) return null;
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  throw new WebhookPayloadError(`${field} must be one of ${values.join(', ')}${nullable ? ' or null' : ''}; got ${JSON.stringify(value)}.`);
}

/** The order-status payload from its raw body (or already parsed JSON), checked field by field. */
export function parseOrderStatusEvent(payload: string | Uint8Array | unknown): OrderStatusEvent {
  let value: unknown = payload;
  if (typeof payload === 'string' || payload instanceof Uint8Array) {
    try {
      value = JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(payload));
    } catch {
      throw new WebhookPayloadError('The webhook body is not JSON.');
    }
  }
  if (!isRecord(value)) throw new WebhookPayloadError('The webhook body is not a JSON object.');
  if (typeof value.id !== 'string' || value.id === '') throw new WebhookPayloadError('id must be the order id.');
  if (value.model_id !== undefined && value.model_id !== null && typeof value.model_id !== 'string')
    throw new WebhookPayloadError('model_id must be a string or null.');
  if (typeof value.delivery_type !== 'string') throw new WebhookPayloadError('delivery_type must be a string.');
  return {
    id: value.id,
    current_status: oneOf(ORDER_STATUSES, value.current_status, 'current_status')!,
    previous_status: oneOf(ORDER_STATUSES, value.previous_status, 'previous_status', true),
    model_id: (value.model_id as string | null | undefined) ?? null,
    product_type: oneOf(WEBHOOK_PRODUCT_TYPES, value.product_type, 'product_type')!,
    delivery_type: value.delivery_type,
  };
}

export interface ReceiveOptions extends Partial<VerifyOptions> {}

/**
 * Verifies (when a secret is given) and parses one call. For frameworks of your own: hand it the
 * raw body, exactly as received, and the request headers.
 */
export async function receiveWebhook(
  payload: string | Uint8Array,
  headers: HeadersInput,
  options: ReceiveOptions = {},
): Promise<{ event: OrderStatusEvent; meta: WebhookMeta }> {
  let meta: WebhookMeta;
  if (options.secret !== undefined) {
    meta = await verifyWebhook(payload, headers, options as VerifyOptions);
  } else {
    const timestamp = header(headers, 'webhook-timestamp');
    meta = {
      webhookId: header(headers, 'webhook-id'),
      timestamp: timestamp && /^\d+$/.test(timestamp) ? Number(timestamp) : null,
      verified: false,
    };
  }
  return { event: parseOrderStatusEvent(payload), meta };
}

export interface WebhookHandlerOptions extends ReceiveOptions {
  /** Called once per accepted call; the sender gets 200 when it resolves, 500 (and retries) when it throws. */
  onEvent: (event: OrderStatusEvent, meta: WebhookMeta) => void | Promise<void>;
  /** Largest accepted body. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Told about every call that was refused or whose onEvent threw. */
  onError?: (error: unknown) => void;
}

interface HandlerAnswer {
  status: number;
  body: string;
}

async function answer(
  method: string | undefined,
  headers: HeadersInput,
  body: Uint8Array | null,
  options: WebhookHandlerOptions,
): Promise<HandlerAnswer> {
  if (method !== 'POST') return { status: 405, body: 'Method not allowed' };
  if (body === null) return { status: 413, body: 'Payload too large' };
  let received: { event: OrderStatusEvent; meta: WebhookMeta };
  try {
    received = await receiveWebhook(body, headers, options);
  } catch (err) {
    options.onError?.(err);
    if (err instanceof WebhookVerificationError) return { status: 401, body: 'Invalid signature' };
    if (err instanceof WebhookPayloadError) return { status: 400, body: 'Invalid payload' };
    throw err;
  }
  try {
    await options.onEvent(received.event, received.meta);
  } catch (err) {
    options.onError?.(err);
    return { status: 500, body: 'Handler failed' };
  }
  return { status: 200, body: 'OK' };
}

async function readLimited(chunks: AsyncIterable<Uint8Array | string>, limit: number): Promise<Uint8Array | null> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    size += bytes.length;
    if (size > limit) return null;
    parts.push(bytes);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    body.set(part, at);
    at += part.length;
  }
  return body;
}

async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** What the Node handler needs of `http.IncomingMessage`. */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  method?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** What the Node handler needs of `http.ServerResponse`. */
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

/**
 * A request listener for `http.createServer` (or a route of Express/Fastify given the raw
 * request): `http.createServer(createNodeWebhookHandler({ secret, onEvent }))`.
 */
export function createNodeWebhookHandler(options: WebhookHandlerOptions): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void> {
  return async (req, res) => {
    let result: HandlerAnswer;
    try {
      const body = req.method === 'POST' ? await readLimited(req, options.maxBodyBytes ?? 64 * 1024) : new Uint8Array();
      result = await answer(req.method, req.headers, body, options);
    } catch (err) {
      options.onError?.(err);
      result = { status: 500, body: 'Handler failed' };
    }
    res.statusCode = result.status;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end(result.body);
  };
}

/**
 * A handler for Fetch-style runtimes (Deno, Bun, Cloudflare Workers, Next.js route handlers, …):
 * `export const POST = createFetchWebhookHandler({ secret, onEvent })`.
 */
export function createFetchWebhookHandler(options: WebhookHandlerOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    let result: HandlerAnswer;
    try {
      const limit = options.maxBodyBytes ?? 64 * 1024;
      const body = request.method === 'POST' && request.body ? await readLimited(streamChunks(request.body), limit) : new Uint8Array();
      result = await answer(request.method, request.headers, body, options);
    } catch (err) {
      options.onError?.(err);
      result = { status: 500, body: 'Handler failed' };
    }
    return new Response(result.body, { status: result.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  };
}
