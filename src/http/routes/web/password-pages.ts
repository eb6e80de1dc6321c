// `GET|POST /invite/{token}` and `GET|POST /reset-password/{token}`: set a password through an
// emailed link, with the users service checking and redeeming the link.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { RequestValidationError } from '../../../errors.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../../services/users/passwords.js';
import type { TokenState, UsersService } from '../../../services/users/users-service.js';
import { csrfTokenValid, issueCsrfToken } from '../../../web/csrf.js';
import { passwordFormPage, type PasswordPageKind } from '../../../web/pages/password-page.js';
import { noStore, sendNotice, sendPage } from './pages.js';

type Params = { Params: { token: string } };

const PATHS: Record<PasswordPageKind, string> = { invite: '/invite', reset: '/reset-password' };

const STATES: Record<PasswordPageKind, Record<Exclude<TokenState, 'valid'>, { status: number; title: string; message: string }>> = {
  invite: {
    unknown: {
      status: 404,
      title: 'This link is not valid',
      message: 'This invitation link is not valid. Check that you opened the whole link from the email.',
    },
    expired: {
      status: 410,
      title: 'This invitation has expired',
      message: 'Invitations work for 7 days. Ask a manager of your company to invite you again.',
    },
    used: {
      status: 410,
      title: 'This invitation was already used',
      message: 'Your password is already set. Sign in with it, or ask for a password reset if you forgot it.',
    },
  },
  reset: {
    unknown: {
      status: 404,
      title: 'This link is not valid',
      message: 'This password reset link is not valid. Check that you opened the whole link from the email.',
    },
    expired: {
      status: 410,
      title: 'This reset link has expired',
      message: 'Reset links work for one hour. Ask for a new password reset email.',
    },
    used: {
      status: 410,
      title: 'This reset link can no longer be used',
      message: 'It was already used, or a newer reset link was sent. Use the newest email, or ask for a new one.',
    },
  },
};

const DONE: Record<PasswordPageKind, { title: string; message: (email: string) => string }> = {
  invite: {
    title: 'Your password is set',
    message: (email) => `Your account ${email} is ready. You can now sign in with your new password.`,
  },
  reset: {
    title: 'Your password was changed',
    message: (email) => `The password of ${email} was changed. You can now sign in with your new password.`,
  },
};

function passwordProblem(err: RequestValidationError): string {
  const type = err.entries[0]?.type ?? '';
  if (type.endsWith('max_length')) return `The password may have at most ${PASSWORD_MAX} characters.`;
  return `The password must have at least ${PASSWORD_MIN} characters.`;
}

export const passwordPageRoutes: FastifyPluginAsync<{ users: UsersService }> = async (app, { users }) => {
  for (const kind of ['invite', 'reset'] as const) {
    const tokenKind = kind === 'invite' ? 'invite' : 'reset';
    const path = `${PATHS[kind]}/:token`;
    const stateNotice = (reply: FastifyReply, state: Exclude<TokenState, 'valid'>) => {
      const s = STATES[kind][state];
      return sendNotice(reply, s.status, s.title, s.message);
    };
    const form = (request: FastifyRequest<Params>, reply: FastifyReply, email: string, error?: string) =>
      sendPage(
        reply,
        passwordFormPage({
          kind,
          action: `${PATHS[kind]}/${encodeURIComponent(request.params.token)}`,
          email,
          csrfToken: issueCsrfToken(request, reply),
          ...(error ? { error } : {}),
        }),
        error ? 400 : 200,
      );

    app.get<Params>(path, { schema: { hide: true } }, async (request, reply) => {
      noStore(reply);
      const check = await users.checkToken(tokenKind, request.params.token);
      if (check.state !== 'valid') return stateNotice(reply, check.state);
      return form(request, reply, check.email!);
    });

    app.post<Params & { Body: Record<string, unknown> | undefined }>(path, { schema: { hide: true } }, async (request, reply) => {
      noStore(reply);
      const body = request.body ?? {};
      const check = await users.checkToken(tokenKind, request.params.token);
      if (check.state !== 'valid') return stateNotice(reply, check.state);
      if (!csrfTokenValid(request, body.csrf_token)) {
        return sendNotice(
          reply,
          403,
          'This form has expired',
          'For your security the form could not be accepted. Go back, reload the page and try again.',
        );
      }
      const password = typeof body.password === 'string' ? body.password : '';
      if (password !== body.password_confirm) return form(request, reply, check.email!, 'The two passwords do not match.');
      let result;
      try {
        result =
          kind === 'invite'
            ? await users.acceptInvitation(request.params.token, password)
            : await users.resetPasswordWithToken(request.params.token, password);
      } catch (err) {
        if (err instanceof RequestValidationError) return form(request, reply, check.email!, passwordProblem(err));
        throw err;
      }
      if (!result.ok) return stateNotice(reply, result.state);
      return sendNotice(reply, 200, DONE[kind].title, DONE[kind].message(result.email));
    });
  }
};
