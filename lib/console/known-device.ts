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

function mac(secret: string, username: string, issued: string, nonce: string): string {
  return createHmac('sha256', secret)
    .update(`known-device\0${accountOf(username)}\0${issued}\0${nonce}`)
    .digest('base64url');
}

/** A new cookie value for a browser that just signed in to `username`, at `nowMs`. */
export function knownDeviceValue(secret: string, username: string, nowMs: number = Date.now()): string {
  const issued = String(Math.floor(nowMs));
  const nonce = randomBytes(16).toString('base64url');
  return `${issued}.${nonce}.${mac(secret, username, issued, nonce)}`;
}

/**
 * When `value` was issued to this browser for `username` (epoch milliseconds), or undefined when it was not, or
 * is older than KNOWN_DEVICE_DAYS: the cookie's own Max-Age is the browser's to keep, this bound the server's.
 * Whether the account still knows the browser is the sign-in's question (`stillKnownDevice`).
 */
export function knownDeviceIssuedAt(
  secret: string,
  username: string,
  value: string | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  const [issued, nonce, sent, ...rest] = (value ?? '').split('.');
  if (!issued || !/^\d{1,15}$/.test(issued) || !nonce || !sent || rest.length > 0) return undefined;
  const expected = Buffer.from(mac(secret, username, issued, nonce));
  const given = Buffer.from(sent);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const at = Number(issued);
  return at <= nowMs + 60_000 && nowMs - at <= KNOWN_DEVICE_DAYS * 86_400_000 ? at : undefined;
}

/**
 * A browser stays known to an account only while the account's sessions have not been ended since the cookie
 * was issued: a password change or reset and an admin's "end sessions" all end them, so a browser that knew the
 * old password (or that an admin signed out) is slowed down like any other until it signs in again.
 */
export function stillKnownDevice(
  issuedAtMs: number | undefined,
  account: { readonly sessionsEndedAt?: string | undefined } | undefined,
): boolean {
  if (issuedAtMs === undefined || account === undefined) return false;
  const ended = account.sessionsEndedAt === undefined ? undefined : Date.parse(account.sessionsEndedAt);
  return ended === undefined || (Number.isFinite(ended) && issuedAtMs > ended);
}

/** The value of one cookie in a Cookie header, if present (never throws on another site's malformed cookies). */
export function cookieFrom(header: string | null | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
