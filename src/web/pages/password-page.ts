// The two pages that set a password through an emailed link: finishing an invitation and
// resetting a forgotten password. The rules are shown and checked again on the server.
import { PASSWORD_MAX, PASSWORD_MIN } from '../../services/users/passwords.js';
import { html } from '../html.js';
import { page } from '../layout.js';

export type PasswordPageKind = 'invite' | 'reset';

const TEXT = {
  invite: { title: 'Set your password', intro: 'Welcome! Choose a password to finish your invitation.', button: 'Set password' },
  reset: { title: 'Choose a new password', intro: 'Choose a new password for your account.', button: 'Change password' },
} as const;

export interface PasswordFormData {
  kind: PasswordPageKind;
  action: string;
  email: string;
  csrfToken: string;
  error?: string;
}

export function passwordFormPage(d: PasswordFormData): string {
  const t = TEXT[d.kind];
  return page({
    title: d.error ? `Error: ${t.title}` : t.title,
    scripts: ['password.js'],
    main: html`<h1>${t.title}</h1>
<p>${t.intro}</p>
<form id="password-form" class="card" action="${d.action}" method="post" novalidate>
  <input type="hidden" name="csrf_token" value="${d.csrfToken}">
  ${d.error ? html`<div id="form-error" class="error" role="alert">${d.error}</div>` : ''}
  <div class="field">
    <label for="email">Email</label>
    <input type="email" id="email" name="email" value="${d.email}" autocomplete="username" readonly>
  </div>
  <div class="field">
    <label for="password">New password</label>
    <p id="password-rules" class="hint">Between ${PASSWORD_MIN} and ${PASSWORD_MAX} characters.</p>
    <input type="password" id="password" name="password" autocomplete="new-password" required
      minlength="${PASSWORD_MIN}" maxlength="${PASSWORD_MAX}" aria-describedby="password-rules"${d.error ? html` aria-invalid="true"` : ''}>
  </div>
  <div class="field">
    <label for="password_confirm">Repeat the new password</label>
    <input type="password" id="password_confirm" name="password_confirm" autocomplete="new-password" required
      minlength="${PASSWORD_MIN}" maxlength="${PASSWORD_MAX}" aria-describedby="confirm-hint">
    <p id="confirm-hint" class="hint" aria-live="polite"></p>
  </div>
  <button type="submit">${t.button}</button>
</form>`,
  });
}
