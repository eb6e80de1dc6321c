import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { ROLES } from '../../../domain/catalog.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../../services/users/passwords.js';
import { Message, Nullable, PaginatedOf, PaginationQuery, StringEnum, Uuid, standardErrors } from '../../schemas/common.js';
import { sendSerializedOnce } from '../../serialize-once.js';
import { User } from './user-schemas.js';

const Email = Type.String({ format: 'email', maxLength: 254 });
const Password = Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX });
const PersonName = Nullable(Type.String({ maxLength: 200 }));

const CreateUserBody = Type.Object({
  email: Email,
  role: StringEnum(ROLES),
  office_id: Type.Optional(Uuid),
  password: Type.Optional(Password),
  name: Type.Optional(PersonName),
  surname: Type.Optional(PersonName),
});

const CreatedUser = Type.Object({ email: Type.String(), id: Uuid, message: Type.String(), role: StringEnum(ROLES) });

const UpdateUserBody = Type.Object({
  name: Type.Optional(PersonName),
  surname: Type.Optional(PersonName),
  role: Type.Optional(StringEnum(ROLES)),
  office_id: Type.Optional(Uuid),
});

const ListUsersQuery = Type.Object({
  ...PaginationQuery,
  role: Type.Optional(Type.Array(StringEnum(ROLES), { description: 'Repeat for several roles' })),
  office_id: Type.Optional(Uuid),
});

export const usersRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'users'> }> = async (app, { services }) => {
  app.get(
    '/users',
    {
      schema: {
        operationId: 'listUsers',
        tags: ['Users'],
        summary: 'List all users',
        description: 'List all users in the company account, newest first.',
        querystring: ListUsersQuery,
        response: { 200: PaginatedOf(User), ...standardErrors },
      },
    },
    async (request, reply) => {
      const { limit = 20, offset = 0, role, office_id } = request.query;
      return sendSerializedOnce(
        reply,
        await services.users.list(request.auth.companyId, { limit, offset }, { roles: role, officeId: office_id }),
      );
    },
  );

  app.post(
    '/users',
    {
      schema: {
        operationId: 'createUser',
        tags: ['Users'],
        summary: 'Add new user',
        description:
          'Adds a user to the company account. Without `password`, an invitation email with a single-use link (valid 7 days) is sent and the user finishes it before first login. Emails are unique across the system, case-insensitively (409 otherwise).',
        body: CreateUserBody,
        response: { 200: CreatedUser, ...standardErrors },
      },
    },
    async (request) => services.users.create(request.auth.companyId, request.body),
  );

  app.post(
    '/users/change-password',
    {
      schema: {
        operationId: 'changePassword',
        tags: ['Users'],
        summary: 'Change user password',
        body: Type.Object({ email: Email, old_password: Type.String({ maxLength: 1024 }), new_password: Password }),
        response: { 200: Message, ...standardErrors },
      },
    },
    async (request) => services.users.changePassword(request.auth.companyId, request.body),
  );

  app.post(
    '/users/reset-password',
    {
      schema: {
        operationId: 'resetPassword',
        tags: ['Users'],
        summary: 'Send password reset link',
        description: 'Emails the user a single-use link to choose a new password, valid 1 hour; older reset links stop working.',
        body: Type.Object({ email: Email }),
        response: { 200: Message, ...standardErrors },
      },
    },
    async (request) => services.users.sendPasswordReset(request.auth.companyId, request.body.email),
  );

  app.get(
    '/users/:email',
    {
      schema: {
        operationId: 'getUserByEmail',
        tags: ['Users'],
        summary: 'Get user by email',
        params: Type.Object({ email: Type.String() }),
        response: { 200: User, ...standardErrors },
      },
    },
    async (request) => services.users.getByEmail(request.auth.companyId, request.params.email),
  );

  app.patch(
    '/users/:user_id',
    {
      schema: {
        operationId: 'updateUser',
        tags: ['Users'],
        summary: 'Update user details',
        description:
          'Changes any of `name`, `surname` (null clears), `role` and `office_id`. The last Manager of a company cannot be demoted (409).',
        params: Type.Object({ user_id: Type.String() }),
        body: UpdateUserBody,
        response: { 200: User, ...standardErrors },
      },
    },
    async (request) => services.users.update(request.auth.companyId, request.params.user_id, request.body),
  );

  app.delete(
    '/users/:user_id',
    {
      schema: {
        operationId: 'deleteUser',
        tags: ['Users'],
        summary: 'Delete user',
        description: 'Deletes the user. Their orders remain with the company, with no owner. The last Manager cannot be deleted (409).',
        params: Type.Object({ user_id: Type.String() }),
        response: { 200: Message, ...standardErrors },
      },
    },
    async (request) => services.users.remove(request.auth.companyId, request.params.user_id),
  );
};
