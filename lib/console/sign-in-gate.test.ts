import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { env } from '../env';
import { KNOWN_DEVICE_COOKIE, knownDeviceIssuedAt } from './known-device';
import { passwordSignIn, rememberKnownDevice } from './sign-in-gate';

beforeAll(() => {
  vi.stubEnv('DATA_DIR', mkdtempSync(path.join(tmpdir(), 'console-gate-')));
  vi.stubEnv('APP_URL', 'https://chart.example.org');
});

const SIGN_IN = ['callback', 'credentials'];
const posted = (body: BodyInit, type: string) =>
  new Request('https://chart.example.org/api/auth/callback/credentials', {
    method: 'POST',
    headers: { 'content-type': type },
    body,
  });
const form = () =>
  posted(new URLSearchParams({ username: 'Alice', password: 'x' }), 'application/x-www-form-urlencoded');
const answer = (cookies: string[]) => {
  const headers = new Headers({ 'content-type': 'application/json' });
  for (const c of cookies) headers.append('set-cookie', c);
  return new Response(JSON.stringify({ url: '/console' }), { status: 200, headers });
};

describe('a browser becomes known to an account', () => {
  it('when its password sign-in opened a session, by a cookie only the sign-in route receives', async () => {
    const signIn = await passwordSignIn(form(), SIGN_IN);
    expect(signIn).toEqual({ username: 'Alice' });
    const res = rememberKnownDevice(
      signIn!.username,
      answer(['console.session-token=abc; Path=/; HttpOnly']),
    );
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${KNOWN_DEVICE_COOKIE}=`))!;
    expect(cookie).toMatch(
      /; Path=\/api\/auth\/callback\/credentials; Max-Age=15552000; HttpOnly; SameSite=Strict; Secure$/,
    );
    const value = /^[^=]+=([^;]+)/.exec(cookie)![1];
    const issued = knownDeviceIssuedAt(env().secrets.sessionSecret, 'alice', value);
    expect(issued).toBeGreaterThan(Date.now() - 60_000);
    expect(issued).toBeLessThanOrEqual(Date.now());
    // The session's own cookie and the answer's body pass through.
    expect(res.headers.getSetCookie()).toContain('console.session-token=abc; Path=/; HttpOnly');
    expect(await res.json()).toEqual({ url: '/console' });
    // Sent as JSON, the username is read the same.
    const json = posted(JSON.stringify({ username: 'alice', password: 'x' }), 'application/json');
    expect(await passwordSignIn(json, SIGN_IN)).toEqual({ username: 'alice' });
    // The body is still there for next-auth.
    expect(await json.json()).toEqual({ username: 'alice', password: 'x' });
    expect(await passwordSignIn(posted('{', 'application/json'), SIGN_IN)).toEqual({ username: undefined });
  });

  it('never after a refusal, nor on another route', async () => {
    const refused = rememberKnownDevice('alice', answer(['console.csrf-token=x; Path=/']));
    expect(refused.headers.getSetCookie().some((c) => c.startsWith(`${KNOWN_DEVICE_COOKIE}=`))).toBe(false);
    const cleared = rememberKnownDevice('alice', answer(['console.session-token=; Max-Age=0']));
    expect(cleared.headers.getSetCookie().some((c) => c.startsWith(`${KNOWN_DEVICE_COOKIE}=`))).toBe(false);
    const unnamed = rememberKnownDevice(undefined, answer(['console.session-token=abc; Path=/']));
    expect(unnamed.headers.getSetCookie().some((c) => c.startsWith(`${KNOWN_DEVICE_COOKIE}=`))).toBe(false);
    expect(await passwordSignIn(form(), ['session'])).toBeUndefined();
    expect(await passwordSignIn(new Request('https://chart.example.org/x'), SIGN_IN)).toBeUndefined();
  });
});
