import { describe, expect, it } from 'vitest';
import { cookieFrom, isKnownDevice, knownDeviceValue } from './known-device';

const SECRET = Buffer.alloc(32, 3).toString('base64');

describe('known device cookie', () => {
  it('is known only for the account it was issued for, under the secret it was signed with', () => {
    const value = knownDeviceValue(SECRET, 'Alice');
    expect(isKnownDevice(SECRET, 'alice', value)).toBe(true);
    expect(isKnownDevice(SECRET, ' ALICE ', value)).toBe(true);
    expect(isKnownDevice(SECRET, 'bob', value)).toBe(false);
    expect(isKnownDevice(Buffer.alloc(32, 4).toString('base64'), 'alice', value)).toBe(false);
    const [nonce, mac] = value.split('.');
    expect(isKnownDevice(SECRET, 'alice', `${nonce}x.${mac}`)).toBe(false);
    expect(isKnownDevice(SECRET, 'alice', `${nonce}.${mac}.x`)).toBe(false);
    expect(isKnownDevice(SECRET, 'alice', undefined)).toBe(false);
    expect(isKnownDevice(SECRET, 'alice', '')).toBe(false);
    // Each sign-in gets its own.
    expect(knownDeviceValue(SECRET, 'alice')).not.toBe(value);
  });

  it("finds its cookie among other sites' malformed ones", () => {
    expect(cookieFrom('_ga=100%; console.known-device=a.b; x=%zz', 'console.known-device')).toBe('a.b');
    expect(cookieFrom('other=1', 'console.known-device')).toBeUndefined();
    expect(cookieFrom(undefined, 'console.known-device')).toBeUndefined();
  });
});
