// @casa-integrate/client: a typed client for the CubiCasa Integrate API v3.
export { CasaClient, DEFAULT_BASE_URL, OPERATIONS, type CasaClientOptions, type CallOptions } from './client.js';
export * from './errors.js';
export { paginate, pages, type Page, type PageParams, type Pagination, type PaginateOptions, type ListFunction } from './paginate.js';
export { createTransport, isRepeatable, retryDelayMs, type RetryOptions, type TransportOptions } from './transport.js';
export * from './types.js';
export * from './webhooks.js';
