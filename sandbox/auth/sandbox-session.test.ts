import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE, SessionCodec, parseUserReference } from './sandbox-session';

const requestWithCookie = (cookie: string) => ({ headers: { cookie } }) as IncomingMessage;

describe('SessionCodec', () => {
  it('round-trips a session through the cookie', () => {
    const codec = new SessionCodec();
    const setCookie = codec.setCookie({ user: 'Practitioner/dr-1', patient: 'p-1' }, false);
    expect(setCookie).toContain('HttpOnly');
    const value = setCookie.split(';')[0]!.split('=')[1];
    expect(codec.read(requestWithCookie(`other=1; ${SESSION_COOKIE}=${value}`))).toEqual({
      user: 'Practitioner/dr-1',
      patient: 'p-1',
    });
  });

  it('refuses a forged or foreign cookie', () => {
    const codec = new SessionCodec();
    const other = new SessionCodec();
    const forged = Buffer.from(JSON.stringify({ user: 'Patient/victim' })).toString('base64url');
    expect(codec.decode(`${forged}.AAAA`)).toBeUndefined();
    expect(codec.decode(other.encode({ user: 'Patient/p-1' }))).toBeUndefined();
    expect(codec.decode('garbage')).toBeUndefined();
  });

  it('accepts only Practitioner or Patient references', () => {
    expect(parseUserReference('Patient/abc-1')).toBe('Patient/abc-1');
    expect(parseUserReference('Organization/x')).toBeUndefined();
    expect(parseUserReference('Patient/../x')).toBeUndefined();
  });
});
