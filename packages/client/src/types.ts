// Named request and response types, all read from the generated `paths` of the server's OpenAPI
// document, so they change when the document changes and never by hand.
import type { paths } from './schema.generated.js';

export type { paths };

type JsonContent<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/** The 200 JSON body of an operation. */
export type ResponseOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: { 200: infer R } }
  ? JsonContent<R>
  : never;

/** The JSON request body of an operation. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: infer RB }
  ? JsonContent<NonNullable<RB>>
  : never;

/** The query parameters of an operation. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { parameters: { query?: infer Q } }
  ? NonNullable<Q>
  : never;

/** `{ message }`, the answer of calls that only confirm. */
export type MessageResponse = ResponseOf<'/users/{user_id}', 'delete'>;

// Company
export type Company = ResponseOf<'/companies/info', 'get'>;
export type CustomerType = Company['customer_type'];
export type UpdateWebhooksBody = BodyOf<'/companies/webhook', 'patch'>;
export type WebhookSettings = ResponseOf<'/companies/webhook', 'patch'>;
export type WebhookTrigger = WebhookSettings['webhook_triggers'][number];
export type CompanyPackage = ResponseOf<'/companies/package', 'get'>;
export type PackageType = CompanyPackage['package_type'];
export type AddOn = CompanyPackage['add_ons'][number];
export type MergeRequestBody = BodyOf<'/companies/merge-request', 'post'>;
export type MergeRequest = ResponseOf<'/companies/merge-request', 'post'>;

// Offices
export type Office = ResponseOf<'/offices', 'post'>;
export type CreateOfficeBody = BodyOf<'/offices', 'post'>;
export type ListOfficesQuery = QueryOf<'/offices', 'get'>;

// Users
export type User = ResponseOf<'/users/{email}', 'get'>;
export type Role = User['role'];
export type ListUsersQuery = QueryOf<'/users', 'get'>;
export type CreateUserBody = BodyOf<'/users', 'post'>;
export type CreatedUser = ResponseOf<'/users', 'post'>;
export type UpdateUserBody = BodyOf<'/users/{user_id}', 'patch'>;
export type ChangePasswordBody = BodyOf<'/users/change-password', 'post'>;
export type ResetPasswordBody = BodyOf<'/users/reset-password', 'post'>;

// Orders
export type Order = ResponseOf<'/orders/{id}', 'get'>;
export type OrderInfo = Order['info'];
export type OrderAddress = Order['address'];
export type DeliveryAssets = Order['delivery_assets'];
export type OrderListItem = ResponseOf<'/orders', 'get'>['items'][number];
export type ListOrdersQuery = QueryOf<'/orders', 'get'>;
export type OrderStatusFilter = NonNullable<ListOrdersQuery['status']>[number];
export type CreateRedrawOrderBody = BodyOf<'/orders', 'post'>;
export type UpgradeOrderBody = BodyOf<'/orders/{order_id}/post-purchase', 'post'>;
export type RedeliverOrderBody = BodyOf<'/orders/{order_id}/redeliver', 'post'>;

// Drafts and GoToScan
export type CreateDraftBody = BodyOf<'/orders/draft', 'post'>;
export type UpdateDraftBody = BodyOf<'/orders/draft/{order_id}', 'patch'>;
export type CreateGo2ScanOrderBody = BodyOf<'/orders/go2scan', 'post'>;

// Change requests
export type ChangeRequest = ResponseOf<'/orders/{order_id}/change-requests/{change_request_id}', 'get'>;
export type CreateChangeRequestBody = BodyOf<'/orders/{order_id}/change-requests', 'post'>;
export type ListChangeRequestsQuery = QueryOf<'/orders/{order_id}/change-requests', 'get'>;
