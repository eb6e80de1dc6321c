// Users of a company: the seven Users endpoints, the invitation and reset emails, and the
// single-use tokens behind their links (checked and redeemed by the web pages).
import { isUniqueViolation } from '../../db/dialect.js';
import { isUuid, secondsToUs, sha256Hex } from '../../domain/clock.js';
import type { Role } from '../../domain/catalog.js';
import { paginate, type Page } from '../../domain/pagination.js';
import { BadRequestError, ConflictError, NotFoundError, fieldError } from '../../errors.js';
import type { Db } from '../../db/dialect.js';
import type { UserRow, UserUpdate } from '../../db/schema.js';
import type { ServiceDeps } from '../deps.js';
import type { EmailsService } from '../emails/emails-service.js';
import { PASSWORD_MAX, PASSWORD_MIN, hashPassword, verifyPassword } from './passwords.js';
import { invitationEmail, passwordResetEmail } from './user-emails.js';
import { apiKeysRepo } from '../api-keys/api-keys-repo.js';
import { companyRepo } from '../company/company-repo.js';
import { officesRepo } from '../offices/offices-repo.js';
import { ordersRepo } from '../orders/orders-repo.js';
import { userView } from './user-view.js';
import { usersRepo, type TokenKind, type UserListFilter } from './users-repo.js';

export const INVITATION_TTL_S = 7 * 24 * 3600;
export const RESET_TTL_S = 3600;

export const MESSAGES = {
  duplicate: 'A user with this email already exists.',
  invited: 'Invitation email was sent to user email and needs to be finished before first login.',
  created: 'User was created.',
  deleted: 'User was deleted.',
  passwordChanged: 'Your password has been changed.',
  resetSent: 'Send reset password email successfully.',
  oldPasswordWrong: 'Old password is incorrect.',
  userNotFound: 'User not found.',
  officeNotFound: 'Office not found.',
  lastManagerDelete: 'The last Manager of the company cannot be deleted.',
  lastManagerDemote: 'The last Manager of the company cannot be demoted.',
} as const;

export interface CreateUserInput {
  email: string;
  role: Role;
  office_id?: string;
  password?: string;
  name?: string | null;
  surname?: string | null;
}

export interface UpdateUserInput {
  name?: string | null;
  surname?: string | null;
  role?: Role;
  office_id?: string;
}

export type TokenState = 'valid' | 'expired' | 'used' | 'unknown';

export interface TokenCheck {
  state: TokenState;
  /** The user's email while the link is valid; null otherwise. */
  email: string | null;
}

export type Redemption = { ok: true; email: string } | { ok: false; state: Exclude<TokenState, 'valid'> };

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,128}$/;

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function checkNewPassword(loc: string, password: string): void {
  if (password.length < PASSWORD_MIN)
    throw fieldError([loc], `ensure this value has at least ${PASSWORD_MIN} characters`, 'value_error.any_str.min_length');
  if (password.length > PASSWORD_MAX)
    throw fieldError([loc], `ensure this value has at most ${PASSWORD_MAX} characters`, 'value_error.any_str.max_length');
}

export function usersServiceFactory({
  db,
  dialect,
  clock,
  ids,
  config,
  reads,
  emails,
}: Pick<ServiceDeps, 'db' | 'dialect' | 'clock' | 'ids' | 'config' | 'reads'> & { emails: Pick<EmailsService, 'queue' | 'kick'> }) {
  /** A new single-use token for the user, stored only as its SHA-256; returns the link. */
  async function issueToken(
    tx: Db,
    companyId: string,
    userId: string,
    kind: TokenKind,
    ttlS: number,
  ): Promise<{ link: string; expiresAtUs: number }> {
    const token = ids.token(32);
    const now = clock.nowUs();
    const expiresAtUs = now + secondsToUs(ttlS);
    await usersRepo.forCompany(companyId).insertToken(tx, {
      id: ids.uuid(),
      user_id: userId,
      kind,
      token_hash: sha256Hex(token),
      expires_at: expiresAtUs,
      used_at: null,
      created_at: now,
    });
    const page = kind === 'invite' ? 'invite' : 'reset-password';
    return { link: `${config.publicUrl}/${page}/${token}`, expiresAtUs };
  }

  async function requireUser(tx: Db, companyId: string, userId: string): Promise<UserRow> {
    const user = isUuid(userId) ? await usersRepo.forCompany(companyId).findById(tx, userId) : undefined;
    if (!user) throw new NotFoundError(MESSAGES.userNotFound);
    return user;
  }

  async function requireOffice(tx: Db, companyId: string, officeId: string): Promise<void> {
    const found = isUuid(officeId) && (await officesRepo.forCompany(companyId).findById(tx, officeId));
    if (!found) throw new NotFoundError(MESSAGES.officeNotFound);
  }

  /** Finds the token's row and tells whether it can still be used. */
  async function inspect(tx: Db, kind: TokenKind, token: string) {
    if (!TOKEN_SHAPE.test(token)) return { state: 'unknown' as const, row: undefined };
    const row = await usersRepo.system.findTokenByHash(tx, sha256Hex(token));
    if (!row || row.kind !== kind) return { state: 'unknown' as const, row: undefined };
    if (row.used_at !== null) return { state: 'used' as const, row };
    if (row.expires_at <= clock.nowUs()) return { state: 'expired' as const, row };
    return { state: 'valid' as const, row };
  }

  /** Sets a new password through a link: the token dies, every other live link of the user too. */
  async function redeem(kind: TokenKind, token: string, password: string): Promise<Redemption> {
    checkNewPassword('password', password);
    const passwordHash = await hashPassword(password);
    return db.transaction().execute(async (tx): Promise<Redemption> => {
      const found = await inspect(tx, kind, token);
      if (found.state !== 'valid') return { ok: false, state: found.state };
      const now = clock.nowUs();
      if (!(await usersRepo.system.useToken(tx, found.row.id, now))) return { ok: false, state: 'used' };
      const user = await usersRepo.system.findById(tx, found.row.user_id);
      if (!user) return { ok: false, state: 'unknown' };
      const users = usersRepo.forCompany(user.company_id);
      // Following a link sent to the address proves the address, for a reset as for an invitation.
      await users.update(tx, user.id, { password_hash: passwordHash, email_confirmed: 1 });
      await users.killTokens(tx, user.id, ['invite', 'reset'], now);
      return { ok: true, email: user.email };
    });
  }

  return {
    async list(companyId: string, page: Page, filter: UserListFilter = {}) {
      const key = `users ${companyId} ${page.limit} ${page.offset} ${filter.roles?.join(',') ?? ''} ${filter.officeId ?? ''}`;
      // Reads the users table only: kept until a company, user or key changes, whatever orders do.
      return reads.read(
        key,
        async () => {
          const result = paginate(await usersRepo.forCompany(companyId).list(db, page, filter), page);
          return { pagination: result.pagination, items: result.items.map(userView) };
        },
        'identity',
      );
    },

    async getByEmail(companyId: string, email: string) {
      const user = await usersRepo.forCompany(companyId).findByEmail(db, normaliseEmail(email));
      if (!user) throw new NotFoundError(MESSAGES.userNotFound);
      return userView(user);
    },

    /** Creates an active user (with a password) or an invited one (an email with a 7-day link). */
    async create(companyId: string, input: CreateUserInput) {
      const email = normaliseEmail(input.email);
      if (input.password !== undefined) checkNewPassword('password', input.password);
      const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;
      const id = ids.uuid();
      try {
        await db.transaction().execute(async (tx) => {
          if (input.office_id !== undefined) await requireOffice(tx, companyId, input.office_id);
          if (await usersRepo.system.emailExists(tx, email)) throw new ConflictError(MESSAGES.duplicate);
          const company = await companyRepo.forCompany(companyId).get(tx);
          if (!company) throw new NotFoundError('Company not found.');
          const officeId = input.office_id ?? company.main_office_id;
          const user = {
            id,
            office_id: officeId,
            email,
            name: input.name ?? null,
            surname: input.surname ?? null,
            role: input.role,
            email_confirmed: passwordHash ? 1 : 0,
            password_hash: passwordHash,
            created_at: clock.nowUs(),
          };
          await usersRepo.forCompany(companyId).insert(tx, user);
          if (!passwordHash) {
            const { link, expiresAtUs } = await issueToken(tx, companyId, id, 'invite', INVITATION_TTL_S);
            await emails.queue(tx, {
              companyId,
              to: email,
              kind: 'invitation',
              ...invitationEmail({ companyName: company.name, role: input.role, name: user.name, link, expiresAtUs }),
            });
          }
        });
      } catch (err) {
        // Two requests for one new email at once: the unique index settles it.
        if (isUniqueViolation(err)) throw new ConflictError(MESSAGES.duplicate);
        throw err;
      }
      if (!passwordHash) void emails.kick();
      return { email, id, message: passwordHash ? MESSAGES.created : MESSAGES.invited, role: input.role };
    },

    async update(companyId: string, userId: string, input: UpdateUserInput) {
      const users = usersRepo.forCompany(companyId);
      return db.transaction().execute(async (tx) => {
        const demoting = input.role !== undefined && input.role !== 'Manager';
        const managers = demoting ? await users.lockManagerIds(tx, dialect) : [];
        const user = await requireUser(tx, companyId, userId);
        if (demoting && user.role === 'Manager' && managers.filter((id) => id !== user.id).length === 0) {
          throw new ConflictError(MESSAGES.lastManagerDemote);
        }
        if (input.office_id !== undefined) await requireOffice(tx, companyId, input.office_id);
        const values: Omit<UserUpdate, 'id' | 'company_id'> = {};
        if (input.name !== undefined) values.name = input.name;
        if (input.surname !== undefined) values.surname = input.surname;
        if (input.role !== undefined) values.role = input.role;
        if (input.office_id !== undefined) values.office_id = input.office_id;
        if (Object.keys(values).length === 0) return userView(user);
        await users.update(tx, user.id, values);
        return userView({ ...user, ...values } as UserRow);
      });
    },

    async remove(companyId: string, userId: string) {
      const users = usersRepo.forCompany(companyId);
      await db.transaction().execute(async (tx) => {
        const managers = await users.lockManagerIds(tx, dialect);
        const user = await requireUser(tx, companyId, userId);
        if (user.role === 'Manager' && managers.filter((id) => id !== user.id).length === 0) {
          throw new ConflictError(MESSAGES.lastManagerDelete);
        }
        await ordersRepo.forCompany(companyId).detachOwner(tx, user);
        // The user's keys keep working for the company and pass to its oldest other Manager (who new
        // keys are attributed to), so an order made with one always names who created it.
        const heir = (await users.managers(tx)).find((m) => m.id !== user.id)!;
        await apiKeysRepo.forCompany(companyId).reassignUser(tx, user.id, heir.id);
        await users.deleteTokens(tx, user.id);
        await users.delete(tx, user.id);
      });
      return { message: MESSAGES.deleted };
    },

    async changePassword(companyId: string, input: { email: string; old_password: string; new_password: string }) {
      const users = usersRepo.forCompany(companyId);
      const user = await users.findByEmail(db, normaliseEmail(input.email));
      if (!user) throw new NotFoundError(MESSAGES.userNotFound);
      if (!(await verifyPassword(user.password_hash, input.old_password))) throw new BadRequestError(MESSAGES.oldPasswordWrong);
      checkNewPassword('new_password', input.new_password);
      const passwordHash = await hashPassword(input.new_password);
      await db.transaction().execute(async (tx) => {
        await users.update(tx, user.id, { password_hash: passwordHash });
        // A changed password cancels reset links still in someone's mailbox.
        await users.killTokens(tx, user.id, ['reset'], clock.nowUs());
      });
      return { message: MESSAGES.passwordChanged };
    },

    /** Emails a 1-hour reset link; older reset links die. */
    async sendPasswordReset(companyId: string, email: string) {
      const users = usersRepo.forCompany(companyId);
      await db.transaction().execute(async (tx) => {
        const user = await users.findByEmail(tx, normaliseEmail(email));
        if (!user) throw new NotFoundError(MESSAGES.userNotFound);
        await users.killTokens(tx, user.id, ['reset'], clock.nowUs());
        const { link, expiresAtUs } = await issueToken(tx, companyId, user.id, 'reset', RESET_TTL_S);
        await emails.queue(tx, {
          companyId,
          to: user.email,
          kind: 'password_reset',
          ...passwordResetEmail({ name: user.name, link, expiresAtUs }),
        });
      });
      void emails.kick();
      return { message: MESSAGES.resetSent };
    },

    /** What a link's page shows: valid (with the email), expired, used (or replaced), or unknown. */
    async checkToken(kind: TokenKind, token: string): Promise<TokenCheck> {
      const found = await inspect(db, kind, token);
      if (found.state !== 'valid') return { state: found.state, email: null };
      const user = await usersRepo.system.findById(db, found.row.user_id);
      return user ? { state: 'valid', email: user.email } : { state: 'unknown', email: null };
    },

    /** Finishes an invitation: sets the password, confirms the email, kills the link. */
    acceptInvitation(token: string, password: string): Promise<Redemption> {
      return redeem('invite', token, password);
    },

    /** Sets a new password through a reset link, which then dies. */
    resetPasswordWithToken(token: string, password: string): Promise<Redemption> {
      return redeem('reset', token, password);
    },
  };
}

export type UsersService = ReturnType<typeof usersServiceFactory>;
