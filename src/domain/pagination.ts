// Offset pagination exactly as the contract decides.
export interface Page {
  limit: number;
  offset: number;
}

export interface Pagination {
  has_more: boolean;
  limit: number;
  next_offset: number;
  previous_offset: number;
}

export interface Paginated<T> {
  pagination: Pagination;
  items: T[];
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/**
 * `rows` holds up to limit + 1 rows read from the offset; the extra row only tells whether
 * more exist.
 */
export function paginate<T>(rows: T[], page: Page): Paginated<T> {
  return {
    pagination: {
      has_more: rows.length > page.limit,
      limit: page.limit,
      next_offset: page.offset + page.limit,
      previous_offset: Math.max(0, page.offset - page.limit),
    },
    items: rows.slice(0, page.limit),
  };
}
