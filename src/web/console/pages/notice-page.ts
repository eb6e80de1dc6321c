// A console page that only says something: sign in first, a refused form, an error.
import { html } from '../../html.js';
import { consolePage } from '../console-layout.js';

export function consoleNotice(title: string, message: string, link: string | null, csrfToken: string | null = null): string {
  return consolePage({
    title,
    section: null,
    csrfToken,
    main: html`<h1>${title}</h1>
<p class="notice">${message}</p>
${link ? html`<p><a href="${link}">${link === '/console/sign-in' ? 'Sign in' : 'Continue'}</a></p>` : ''}`,
  });
}
