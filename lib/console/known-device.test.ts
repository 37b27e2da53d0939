import { describe, expect, it } from 'vitest';
import {
  cookieFrom,
  KNOWN_DEVICE_DAYS,
  knownDeviceIssuedAt,
  knownDeviceValue,
  stillKnownDevice,
} from './known-device';

const SECRET = Buffer.alloc(32, 3).toString('base64');

describe('known device cookie', () => {
  it('is known only for the account it was issued for, under the secret it was signed with', () => {
    const at = Date.UTC(2026, 5, 1);
    const value = knownDeviceValue(SECRET, 'Alice', at);
    const issued = (v: string | undefined, name = 'alice', secret = SECRET) =>
      knownDeviceIssuedAt(secret, name, v, at + 1000);
    expect(issued(value)).toBe(at);
    expect(issued(value, ' ALICE ')).toBe(at);
    expect(issued(value, 'bob')).toBeUndefined();
    expect(issued(value, 'alice', Buffer.alloc(32, 4).toString('base64'))).toBeUndefined();
    const [time, nonce, mac] = value.split('.');
    expect(issued(`${time}.${nonce}x.${mac}`)).toBeUndefined();
    expect(issued(`${time}.${nonce}.${mac}.x`)).toBeUndefined();
    // The issue time is signed: a browser cannot make its cookie younger.
    expect(issued(`${at + 5000}.${nonce}.${mac}`)).toBeUndefined();
    // The earlier form, without an issue time, is not known.
    expect(issued(`${nonce}.${mac}`)).toBeUndefined();
    expect(issued(undefined)).toBeUndefined();
    expect(issued('')).toBeUndefined();
    // Each sign-in gets its own.
    expect(knownDeviceValue(SECRET, 'alice', at)).not.toBe(value);
  });

  it('is forgotten after its days, and by an account whose sessions were ended since', () => {
    const at = Date.UTC(2026, 0, 1);
    const value = knownDeviceValue(SECRET, 'alice', at);
    const day = 86_400_000;
    expect(knownDeviceIssuedAt(SECRET, 'alice', value, at + KNOWN_DEVICE_DAYS * day)).toBe(at);
    expect(knownDeviceIssuedAt(SECRET, 'alice', value, at + KNOWN_DEVICE_DAYS * day + 1)).toBeUndefined();
    // Issued in the future (beyond a minute of clock difference between servers): not known.
    expect(knownDeviceIssuedAt(SECRET, 'alice', value, at - 120_000)).toBeUndefined();
    expect(stillKnownDevice(at, {})).toBe(true);
    expect(stillKnownDevice(at, { sessionsEndedAt: new Date(at - 1).toISOString() })).toBe(true);
    expect(stillKnownDevice(at, { sessionsEndedAt: new Date(at).toISOString() })).toBe(false);
    expect(stillKnownDevice(at, { sessionsEndedAt: new Date(at + day).toISOString() })).toBe(false);
    expect(stillKnownDevice(at, undefined)).toBe(false);
    expect(stillKnownDevice(undefined, {})).toBe(false);
  });

  it("finds its cookie among other sites' malformed ones", () => {
    expect(cookieFrom('_ga=100%; console.known-device=a.b; x=%zz', 'console.known-device')).toBe('a.b');
    expect(cookieFrom('other=1', 'console.known-device')).toBeUndefined();
    expect(cookieFrom(undefined, 'console.known-device')).toBeUndefined();
  });
});
