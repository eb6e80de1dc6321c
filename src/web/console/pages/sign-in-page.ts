// Sign in to the console with the admin key (or the operator password when one is configured).
import { html } from '../../html.js';
import { consolePage, csrfField, notices } from '../console-layout.js';

export function signInPage(d: { csrfToken: string; next: string; passwordEnabled: boolean; error?: string; notice?: string }): string {
  const label = d.passwordEnabled ? 'Admin key or operator password' : 'Admin key';
  return consolePage({
    title: d.error ? 'Error: Sign in' : 'Sign in',
    section: null,
    csrfToken: null,
    main: html`<div class="narrow-block">
<h1>Sign in to the console</h1>
${notices({ notice: d.notice, error: d.error })}
<form class="card" method="post" action="/console/sign-in">
  ${csrfField(d.csrfToken)}
  <input type="hidden" name="next" value="${d.next}">
  <div class="field">
    <label for="secret">${label}</label>
    <p id="secret-hint" class="hint">The admin key was printed at the first start (or set with CASA_ADMIN_KEY).</p>
    <input type="password" id="secret" name="secret" autocomplete="current-password" required aria-describedby="secret-hint"${d.error ? html` aria-invalid="true"` : ''} autofocus>
  </div>
  <button type="submit">Sign in</button>
</form>
</div>`,
  });
}
