// Console test steps: signing in through the form with `inject`, posting console forms with the
// session and CSRF cookies, and screenshots under test-results/console/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';

export const CONSOLE_SCREENSHOTS = path.resolve('test-results', 'console');

export interface ConsoleSession {
  cookie: string;
  csrf: string;
  session: string;
}

export function csrfFrom(body: string): string {
  const m = /name="csrf_token" value="([^"]+)"/.exec(body);
  assert.ok(m, 'a CSRF field on the page');
  return m[1]!;
}

/** Signs in through the sign-in form with `secret` (the admin key by default). */
export async function signIn(ctx: TestApp, secret = ctx.adminKey): Promise<ConsoleSession> {
  const page = await ctx.inject({ method: 'GET', url: '/console/sign-in' });
  assert.equal(page.statusCode, 200);
  const csrf = csrfFrom(page.body);
  const res = await ctx.inject({
    method: 'POST',
    url: '/console/sign-in',
    headers: { cookie: `casa_csrf=${csrf}` },
    payload: { csrf_token: csrf, secret, next: '/console/orders' },
  });
  assert.equal(res.statusCode, 303, res.body);
  const m = /casa_console=([^;]+)/.exec(String(res.headers['set-cookie']));
  assert.ok(m, 'a session cookie');
  return { cookie: `casa_csrf=${csrf}; casa_console=${m[1]}`, csrf, session: m[1]! };
}

export function get(ctx: TestApp, s: ConsoleSession | null, url: string) {
  return ctx.inject({ method: 'GET', url, headers: s ? { cookie: s.cookie } : {} });
}

/** Posts a console form; `csrf` overrides the token sent in the field (null: none). */
export function post(
  ctx: TestApp,
  s: ConsoleSession | null,
  url: string,
  fields: Record<string, string> = {},
  csrf: string | null | undefined = s?.csrf,
) {
  const payload = new URLSearchParams({ ...fields, ...(csrf ? { csrf_token: csrf } : {}) }).toString();
  return ctx.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(s ? { cookie: s.cookie } : {}) },
    payload,
  });
}

export async function consoleScreenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(CONSOLE_SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(CONSOLE_SCREENSHOTS, `${name}.png`), fullPage: true });
}
