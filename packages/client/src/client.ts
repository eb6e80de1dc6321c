// CasaClient: one method per operation of the Integrate API, typed from the generated document.
import createClient, { type Client } from 'openapi-fetch';
import { CasaTimeoutError, errorFromResponse } from './errors.js';
import { paginate, pages, type ListFunction, type PageParams, type PaginateOptions, type Page } from './paginate.js';
import { createTransport, methodOfResponse, type TransportOptions } from './transport.js';
import type { paths } from './schema.generated.js';
import type * as T from './types.js';

export const DEFAULT_BASE_URL = 'https://app.cubi.casa/api/integrate/v3';

export interface CasaClientOptions extends TransportOptions {
  /** The company's api key (Settings → Company → Developers, or casa-integrate's operator API). */
  apiKey: string;
  /** Default `https://app.cubi.casa/api/integrate/v3`; for casa-integrate, `<its URL>/api/integrate/v3`. */
  baseUrl?: string;
  /** Extra headers sent on every call. */
  headers?: Record<string, string>;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's timeout for this call. */
  timeoutMs?: number;
  /** Overrides the client's retry count for this call. */
  retries?: number;
  /**
   * Sent as `Idempotency-Key` on a POST: the server answers a repeat with the first answer, so
   * the call is retried on 429/5xx/timeouts like a GET. Without it a POST is never repeated.
   */
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

/** Which HTTP operation each method calls; the type check below keeps it complete. */
export const OPERATIONS = {
  getCompanyInfo: 'GET /companies/info',
  updateWebhooks: 'PATCH /companies/webhook',
  deleteWebhooks: 'DELETE /companies/webhook',
  getCompanyPackage: 'GET /companies/package',
  sendMergeRequest: 'POST /companies/merge-request',
  listOffices: 'GET /offices',
  createOffice: 'POST /offices',
  listUsers: 'GET /users',
  createUser: 'POST /users',
  getUserByEmail: 'GET /users/{email}',
  updateUser: 'PATCH /users/{user_id}',
  deleteUser: 'DELETE /users/{user_id}',
  changePassword: 'POST /users/change-password',
  resetPassword: 'POST /users/reset-password',
  listOrders: 'GET /orders',
  getOrder: 'GET /orders/{id}',
  createRedrawOrder: 'POST /orders',
  upgradeOrder: 'POST /orders/{order_id}/post-purchase',
  redeliverOrder: 'POST /orders/{order_id}/redeliver',
  getCombinedPdf: 'GET /orders/{order_id}/combined-pdf',
  createDraft: 'POST /orders/draft',
  updateDraft: 'PATCH /orders/draft/{order_id}',
  deleteDraft: 'DELETE /orders/draft/{order_id}',
  createGo2ScanOrder: 'POST /orders/go2scan',
  createChangeRequest: 'POST /orders/{order_id}/change-requests',
  listChangeRequests: 'GET /orders/{order_id}/change-requests',
  getChangeRequest: 'GET /orders/{order_id}/change-requests/{change_request_id}',
} as const;

type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';
type DocumentOperation = {
  [P in keyof paths]: { [M in HttpMethod]: undefined extends paths[P][M] ? never : `${Uppercase<M>} ${P & string}` }[HttpMethod];
}[keyof paths];
type Uncovered = Exclude<DocumentOperation, (typeof OPERATIONS)[keyof typeof OPERATIONS]>;
/** Fails to compile, naming the operation, when the document has one that no method calls. */
const everyOperationHasAMethod: [Uncovered] extends [never] ? true : { missing: Uncovered } = true;
void everyOperationHasAMethod;

type Sent<D> = Promise<{ data?: D; error?: unknown; response: Response }>;

export class CasaClient {
  readonly baseUrl: string;
  /** The underlying openapi-fetch client, for calls this class does not wrap. */
  readonly api: Client<paths>;
  private readonly transportOptions: TransportOptions;
  private readonly transport: (input: Request) => Promise<Response>;

  constructor(options: CasaClientOptions) {
    if (!options.apiKey) throw new TypeError('CasaClient needs an apiKey.');
    const { apiKey, baseUrl, headers, ...transportOptions } = options;
    this.baseUrl = (baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.transportOptions = transportOptions;
    this.transport = createTransport(transportOptions);
    this.api = createClient<paths>({
      baseUrl: this.baseUrl,
      headers: { accept: 'application/json', ...headers, 'api-key': apiKey },
      fetch: this.transport,
    });
  }

  /** Every item of a list, following `next_offset` until `has_more` is false. */
  paginate<Q extends PageParams, I>(
    list: ListFunction<Q, I>,
    query?: Omit<Q, 'limit' | 'offset'>,
    options?: PaginateOptions,
  ): AsyncGenerator<I, void, undefined> {
    return paginate(list, query, options);
  }

  /** Every page of a list, one request each. */
  pages<Q extends PageParams, I>(
    list: ListFunction<Q, I>,
    query?: Omit<Q, 'limit' | 'offset'>,
    options?: PaginateOptions,
  ): AsyncGenerator<Page<I>, void, undefined> {
    return pages(list, query, options);
  }

  // Company

  /** `GET /companies/info` */
  readonly getCompanyInfo = (options?: CallOptions): Promise<T.Company> =>
    this.send(this.api.GET('/companies/info', this.init(options)), options);

  /** `PATCH /companies/webhook`: replaces every webhook URL and trigger. */
  readonly updateWebhooks = (body: T.UpdateWebhooksBody, options?: CallOptions): Promise<T.WebhookSettings> =>
    this.send(this.api.PATCH('/companies/webhook', { body, ...this.init(options) }), options);

  /** `DELETE /companies/webhook`: clears the URLs and triggers. */
  readonly deleteWebhooks = (options?: CallOptions): Promise<T.WebhookSettings> =>
    this.send(this.api.DELETE('/companies/webhook', this.init(options)), options);

  /** `GET /companies/package`: the default product of new orders. */
  readonly getCompanyPackage = (options?: CallOptions): Promise<T.CompanyPackage> =>
    this.send(this.api.GET('/companies/package', this.init(options)), options);

  /** `POST /companies/merge-request` */
  readonly sendMergeRequest = (body: T.MergeRequestBody, options?: CallOptions): Promise<T.MergeRequest> =>
    this.send(this.api.POST('/companies/merge-request', { body, ...this.init(options) }), options);

  // Offices

  /** `GET /offices` (one page; see `paginate`). */
  readonly listOffices = (query: T.ListOfficesQuery = {}, options?: CallOptions): Promise<Page<T.Office>> =>
    this.send(this.api.GET('/offices', { params: { query }, ...this.init(options) }), options);

  /** `POST /offices` */
  readonly createOffice = (body: T.CreateOfficeBody, options?: CallOptions): Promise<T.Office> =>
    this.send(this.api.POST('/offices', { body, ...this.init(options) }), options);

  // Users

  /** `GET /users` (one page; see `paginate`). */
  readonly listUsers = (query: T.ListUsersQuery = {}, options?: CallOptions): Promise<Page<T.User>> =>
    this.send(this.api.GET('/users', { params: { query }, ...this.init(options) }), options);

  /** `POST /users`: without a password the user gets an invitation email. */
  readonly createUser = (body: T.CreateUserBody, options?: CallOptions): Promise<T.CreatedUser> =>
    this.send(this.api.POST('/users', { body, ...this.init(options) }), options);

  /** `GET /users/{email}` */
  readonly getUserByEmail = (email: string, options?: CallOptions): Promise<T.User> =>
    this.send(this.api.GET('/users/{email}', { params: { path: { email } }, ...this.init(options) }), options);

  /** `PATCH /users/{user_id}` */
  readonly updateUser = (userId: string, body: T.UpdateUserBody, options?: CallOptions): Promise<T.User> =>
    this.send(this.api.PATCH('/users/{user_id}', { params: { path: { user_id: userId } }, body, ...this.init(options) }), options);

  /** `DELETE /users/{user_id}`: their orders stay, with no owner. */
  readonly deleteUser = (userId: string, options?: CallOptions): Promise<T.MessageResponse> =>
    this.send(this.api.DELETE('/users/{user_id}', { params: { path: { user_id: userId } }, ...this.init(options) }), options);

  /** `POST /users/change-password` */
  readonly changePassword = (body: T.ChangePasswordBody, options?: CallOptions): Promise<T.MessageResponse> =>
    this.send(this.api.POST('/users/change-password', { body, ...this.init(options) }), options);

  /** `POST /users/reset-password`: emails a single-use reset link. */
  readonly resetPassword = (body: T.ResetPasswordBody, options?: CallOptions): Promise<T.MessageResponse> =>
    this.send(this.api.POST('/users/reset-password', { body, ...this.init(options) }), options);

  // Orders

  /** `GET /orders` (one page, newest first, without `delivery_assets`; see `paginate`). */
  readonly listOrders = (query: T.ListOrdersQuery = {}, options?: CallOptions): Promise<Page<T.OrderListItem>> =>
    this.send(this.api.GET('/orders', { params: { query }, ...this.init(options) }), options);

  /** `GET /orders/{id}`: the order with its `delivery_assets`. */
  readonly getOrder = (id: string, options?: CallOptions): Promise<T.Order> =>
    this.send(this.api.GET('/orders/{id}', { params: { path: { id } }, ...this.init(options) }), options);

  /** `POST /orders`: a redraw order, drawn from an existing floor plan (`source`). */
  readonly createRedrawOrder = (body: T.CreateRedrawOrderBody, options?: CallOptions): Promise<T.Order> =>
    this.send(this.api.POST('/orders', { body, ...this.init(options) }), options);

  /** `POST /orders/{order_id}/post-purchase`: buy a higher package and/or add-ons. */
  readonly upgradeOrder = (orderId: string, body: T.UpgradeOrderBody, options?: CallOptions): Promise<T.Order> =>
    this.send(
      this.api.POST('/orders/{order_id}/post-purchase', { params: { path: { order_id: orderId } }, body, ...this.init(options) }),
      options,
    );

  /** `POST /orders/{order_id}/redeliver`: produce the 2D products again with other styling. */
  readonly redeliverOrder = (orderId: string, body: T.RedeliverOrderBody, options?: CallOptions): Promise<T.Order> =>
    this.send(
      this.api.POST('/orders/{order_id}/redeliver', { params: { path: { order_id: orderId } }, body, ...this.init(options) }),
      options,
    );

  /** `GET /orders/{order_id}/combined-pdf`: the PDF's bytes. */
  readonly getCombinedPdf = async (orderId: string, options?: CallOptions): Promise<Uint8Array> => {
    const init = this.init(options);
    const buffer = await this.send(
      this.api.GET('/orders/{order_id}/combined-pdf', {
        params: { path: { order_id: orderId } },
        parseAs: 'arrayBuffer',
        ...init,
        headers: { accept: 'application/pdf, application/json', ...init.headers },
      }),
      options,
    );
    return new Uint8Array(buffer);
  };

  // Drafts and GoToScan

  /** `POST /orders/draft`: a Draft order for `owner_email` to scan. */
  readonly createDraft = (body: T.CreateDraftBody, options?: CallOptions): Promise<T.Order> =>
    this.send(this.api.POST('/orders/draft', { body, ...this.init(options) }), options);

  /** `PATCH /orders/draft/{order_id}`: only while the order is a Draft. */
  readonly updateDraft = (orderId: string, body: T.UpdateDraftBody, options?: CallOptions): Promise<T.Order> =>
    this.send(
      this.api.PATCH('/orders/draft/{order_id}', { params: { path: { order_id: orderId } }, body, ...this.init(options) }),
      options,
    );

  /** `DELETE /orders/draft/{order_id}`: only while the order is a Draft. */
  readonly deleteDraft = (orderId: string, options?: CallOptions): Promise<T.MessageResponse> =>
    this.send(this.api.DELETE('/orders/draft/{order_id}', { params: { path: { order_id: orderId } }, ...this.init(options) }), options);

  /** `POST /orders/go2scan`: an order with a GoToScan link for the homeowner. */
  readonly createGo2ScanOrder = (body: T.CreateGo2ScanOrderBody, options?: CallOptions): Promise<T.Order> =>
    this.send(this.api.POST('/orders/go2scan', { body, ...this.init(options) }), options);

  // Change requests

  /** `POST /orders/{order_id}/change-requests`: only on Ready orders; the order moves to Fixing. */
  readonly createChangeRequest = (orderId: string, body: T.CreateChangeRequestBody, options?: CallOptions): Promise<T.ChangeRequest> =>
    this.send(
      this.api.POST('/orders/{order_id}/change-requests', { params: { path: { order_id: orderId } }, body, ...this.init(options) }),
      options,
    );

  /** `GET /orders/{order_id}/change-requests` (one page; see `paginate`). */
  readonly listChangeRequests = (
    orderId: string,
    query: T.ListChangeRequestsQuery = {},
    options?: CallOptions,
  ): Promise<Page<T.ChangeRequest>> =>
    this.send(
      this.api.GET('/orders/{order_id}/change-requests', { params: { path: { order_id: orderId }, query }, ...this.init(options) }),
      options,
    );

  /** `GET /orders/{order_id}/change-requests/{change_request_id}` */
  readonly getChangeRequest = (orderId: string, changeRequestId: string, options?: CallOptions): Promise<T.ChangeRequest> =>
    this.send(
      this.api.GET('/orders/{order_id}/change-requests/{change_request_id}', {
        params: { path: { order_id: orderId, change_request_id: changeRequestId } },
        ...this.init(options),
      }),
      options,
    );

  // Files

  /**
   * The bytes of a delivery-asset URL. The URLs are pre-signed, so no api-key is sent (they may
   * live on another host); timeouts and retries apply as to any GET.
   */
  readonly download = async (url: string, options: CallOptions = {}): Promise<Uint8Array> => {
    const fetchFile = this.init(options).fetch ?? this.transport;
    let response: Response;
    try {
      response = await fetchFile(new Request(url, { headers: options.headers, ...(options.signal ? { signal: options.signal } : {}) }));
    } catch (err) {
      if (err instanceof Error && err.name === 'TimeoutError')
        throw new CasaTimeoutError('GET', url, options.timeoutMs ?? this.transportOptions.timeoutMs ?? 30_000);
      throw err;
    }
    if (!response.ok) {
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      throw errorFromResponse(response, body, 'GET');
    }
    return new Uint8Array(await response.arrayBuffer());
  };

  /** The per-call part of an openapi-fetch request. */
  private init(options: CallOptions = {}): {
    signal?: AbortSignal;
    headers?: Record<string, string>;
    fetch?: (input: Request) => Promise<Response>;
  } {
    const headers = { ...options.headers, ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}) };
    const custom = options.timeoutMs !== undefined || options.retries !== undefined;
    return {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(custom
        ? {
            fetch: createTransport({
              ...this.transportOptions,
              timeoutMs: options.timeoutMs ?? this.transportOptions.timeoutMs,
              retries: options.retries ?? this.transportOptions.retries,
            }),
          }
        : {}),
    };
  }

  /**
   * The body of a 2xx; a typed CasaApiError for anything else. Public for calls made through
   * `api` directly: `await client.unwrap(client.api.GET('/offices'))`.
   */
  async unwrap<D>(sent: Sent<D>): Promise<D> {
    return this.send(sent);
  }

  private async send<D>(sent: Sent<D>, options: CallOptions = {}): Promise<D> {
    let result: Awaited<Sent<D>>;
    try {
      result = await sent;
    } catch (err) {
      // The body was still arriving when the attempt's timeout fired.
      if (err instanceof Error && err.name === 'TimeoutError') {
        throw new CasaTimeoutError('request', this.baseUrl, options.timeoutMs ?? this.transportOptions.timeoutMs ?? 30_000);
      }
      throw err;
    }
    if (!result.response.ok) throw errorFromResponse(result.response, result.error, methodOfResponse.get(result.response) ?? 'request');
    return result.data as D;
  }
}
