// Offset paging as the Integrate API does it: ask with `limit` and `offset`, read
// `pagination.next_offset`, stop when `pagination.has_more` is false.

export interface Pagination {
  has_more: boolean;
  limit: number;
  next_offset: number;
  previous_offset: number;
}

export interface Page<T> {
  pagination: Pagination;
  items: T[];
}

export interface PageParams {
  limit?: number;
  offset?: number;
}

export interface PaginateOptions {
  /** Items asked for per request (the API allows 1–100). Default: the list's own default (20). */
  pageSize?: number;
  /** Offset of the first page. Default 0. */
  startOffset?: number;
}

/** A list method: given a query with `limit` and `offset`, one page. */
export type ListFunction<Q extends PageParams, T> = (query: Q) => Promise<Page<T>>;

/** Every page of a list, for callers that work a page at a time. */
export async function* pages<Q extends PageParams, T>(
  list: ListFunction<Q, T>,
  query?: Omit<Q, 'limit' | 'offset'>,
  options: PaginateOptions = {},
): AsyncGenerator<Page<T>, void, undefined> {
  let offset = options.startOffset ?? 0;
  for (;;) {
    const page = await list({ ...query, offset, ...(options.pageSize !== undefined ? { limit: options.pageSize } : {}) } as Q);
    yield page;
    const next = page.pagination.next_offset;
    // A page that says "more" but cannot move forward would loop for ever: stop instead.
    if (!page.pagination.has_more || typeof next !== 'number' || next <= offset) return;
    offset = next;
  }
}

/**
 * Every item of a list, page after page, fetched as the iteration asks for them.
 *
 *     for await (const order of paginate(client.listOrders, { status: ['Ready'] })) …
 */
export async function* paginate<Q extends PageParams, T>(
  list: ListFunction<Q, T>,
  query?: Omit<Q, 'limit' | 'offset'>,
  options: PaginateOptions = {},
): AsyncGenerator<T, void, undefined> {
  for await (const page of pages(list, query, options)) yield* page.items;
}
