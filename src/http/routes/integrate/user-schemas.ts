import { Type } from 'typebox';
import { ROLES } from '../../../domain/catalog.js';
import { EpochSeconds, Nullable, StringEnum } from '../../schemas/common.js';

/** The user item of `GET /users`, exactly. */
export const User = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Nullable(Type.String()),
  surname: Nullable(Type.String()),
  role: StringEnum(ROLES),
  email_confirmed: Type.Boolean(),
  created_at: EpochSeconds,
  office_id: Type.String({ format: 'uuid' }),
});
