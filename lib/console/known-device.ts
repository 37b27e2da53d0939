import 'server-only';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A browser an account has signed in from before (OWASP's device cookies, "Slow Down Online Guessing Attacks with
 * Device Cookies"). Failed sign-ins slow an account down, and a handful of addresses guessing at it could keep
 * its turns taken for as long as they went on; its owner, back at a browser it used before, is neither slowed nor
 * queued behind them. The cookie names the account and is signed with SESSION_SECRET, so it is no credential: the
 * password (and code) are still checked, and guesses from a known browser still count against its address.
 */
export const KNOWN_DEVICE_COOKIE = 'console.known-device';

/** How long a browser stays known without signing in again. */
export const KNOWN_DEVICE_DAYS = 180;

const accountOf = (username: string) => username.trim().toLowerCase();

function mac(secret: string, username: string, nonce: string): string {
  return createHmac('sha256', secret)
    .update(`known-device\0${accountOf(username)}\0${nonce}`)
    .digest('base64url');
}

/** A new cookie value for a browser that just signed in to `username`. */
export function knownDeviceValue(secret: string, username: string): string {
  const nonce = randomBytes(16).toString('base64url');
  return `${nonce}.${mac(secret, username, nonce)}`;
}

/** Whether `value` was issued to this browser for `username`. */
export function isKnownDevice(secret: string, username: string, value: string | undefined): boolean {
  const [nonce, sent, ...rest] = (value ?? '').split('.');
  if (!nonce || !sent || rest.length > 0) return false;
  const expected = Buffer.from(mac(secret, username, nonce));
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The value of one cookie in a Cookie header, if present (never throws on another site's malformed cookies). */
export function cookieFrom(header: string | null | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
