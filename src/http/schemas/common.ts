// Schema pieces every route file shares.
import { Type, type TSchema, type Static } from 'typebox';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../../domain/pagination.js';

/** A string restricted to `values`, reported with pydantic's enum message. */
export function StringEnum<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export function Nullable<T extends TSchema>(schema: T, options: Record<string, unknown> = {}) {
  return Type.Union([schema, Type.Null()], options);
}

export const EpochSeconds = Type.Number({ description: 'Unix epoch seconds with a microsecond fraction' });
export const Uuid = Type.String({ format: 'uuid' });
export const HttpUrl = Type.String({ format: 'http-url', maxLength: 2048 });

export const Message = Type.Object({ message: Type.String() });

export const ValidationErrorBody = Type.Object(
  {
    validation_error: Type.Object({
      body_params: Type.Optional(
        Type.Array(Type.Object({ loc: Type.Array(Type.Union([Type.String(), Type.Integer()])), msg: Type.String(), type: Type.String() })),
      ),
      query_params: Type.Optional(
        Type.Array(Type.Object({ loc: Type.Array(Type.Union([Type.String(), Type.Integer()])), msg: Type.String(), type: Type.String() })),
      ),
      path_params: Type.Optional(
        Type.Array(Type.Object({ loc: Type.Array(Type.Union([Type.String(), Type.Integer()])), msg: Type.String(), type: Type.String() })),
      ),
    }),
  },
  { description: 'Validation error: one entry per failing field, pydantic-v1 wording' },
);

export const PaginationQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 })), // beyond it PostgreSQL answers an error
};

export const PaginationSchema = Type.Object({
  has_more: Type.Boolean(),
  limit: Type.Integer(),
  next_offset: Type.Integer(),
  previous_offset: Type.Integer(),
});

export function PaginatedOf<T extends TSchema>(item: T) {
  return Type.Object({ pagination: PaginationSchema, items: Type.Array(item) });
}

/** Error answers every api-key route may give; merged into each route's `response`. */
export const standardErrors = {
  400: Type.Union([ValidationErrorBody, Message]),
  401: Message,
  404: Message,
  409: Message,
  429: Message,
};

export const IdParam = (name: string) => Type.Object({ [name]: Type.String() });

export type Query<T extends TSchema> = Static<T>;
