import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEnv } from '../env';
import { redirectToSignInError, signInErrorPage, SIGN_IN_ERROR_PATH } from './sign-in-error';

const envAt = (APP_URL: string) =>
  buildEnv({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sign-in-error-')), APP_URL });
const https = envAt('https://chart.example.org');
const http = envAt('http://localhost:3000');

/** The redirect's cookie and the page the browser then gets with it. */
async function followed(env: typeof https, framed: boolean, rename = (name: string) => name) {
  const redirected = await redirectToSignInError(env, framed, 403, 'Access was not granted', 'Relaunch.');
  const set = redirected.headers.getSetCookie()[0]!;
  const [name, value] = set.split(';')[0]!.split('=') as [string, string];
  const page = await signInErrorPage(
    new Request(`${env.APP_URL}${SIGN_IN_ERROR_PATH}`, {
      headers: { cookie: `${rename(name)}=${value}` },
    }),
    env,
  );
  return { set, page, cleared: page.headers.getSetCookie()[0]! };
}

/** A Set-Cookie header's attributes other than its value and Max-Age. */
const attributes = (c: string) =>
  c
    .split('; ')
    .slice(1)
    .filter((a) => !a.startsWith('Max-Age='));

describe('the sign-in error cookie', () => {
  it('over https is named __Host-sc_err, Secure, Path=/ and without Domain', async () => {
    const { set, page, cleared } = await followed(https, false);
    expect(set).toMatch(/^__Host-sc_err=/);
    expect(attributes(set)).toEqual(['Path=/', 'HttpOnly', 'Secure', 'SameSite=Lax']);
    expect(page.status).toBe(403);
    expect(cleared).toMatch(/^__Host-sc_err=;.*Max-Age=0/);
  });

  it('is cleared with the attributes it was set with when the EHR frames the app (partitioned)', async () => {
    const { set, page, cleared } = await followed(https, true);
    expect(attributes(set)).toEqual(['Path=/', 'HttpOnly', 'Secure', 'SameSite=None', 'Partitioned']);
    expect(page.status).toBe(403);
    expect(attributes(cleared)).toEqual(attributes(set));
  });

  it('over https is not read under the bare name a sibling subdomain can plant', async () => {
    const { page } = await followed(https, false, (name) => name.replace(/^__Host-/, ''));
    expect(page.status).toBe(400);
    expect(await page.text()).not.toContain('Access was not granted');
  });

  it('over plain http keeps the bare name', async () => {
    const { set, page, cleared } = await followed(http, false);
    expect(set).toMatch(/^sc_err=/);
    expect(page.status).toBe(403);
    expect(cleared).toMatch(/^sc_err=;/);
  });
});
