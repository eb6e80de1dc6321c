// A company asks to merge into another through the customer API, as an integration does.
import assert from 'node:assert/strict';
import type { TestApp } from './app.js';

/** `POST /companies/merge-request` from `from` toward `target`'s Manager; answers the request's id. */
export async function requestMerge(
  ctx: TestApp,
  from: { headers: Record<string, string> },
  target: { managerEmail: string },
): Promise<string> {
  const res = await ctx.inject({
    method: 'POST',
    url: '/api/integrate/v3/companies/merge-request',
    headers: from.headers,
    payload: { email: target.managerEmail },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().id;
}
