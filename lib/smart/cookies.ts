import 'server-only';
import type { Env } from '../env';

/** Cookie reading and writing on plain Request/Response objects, so flows stay testable outside Next. */

const HOST_PREFIX = '__Host-';

/** Whether the app is served over https, as its address says (the test the HSTS header goes by, proxy.ts). */
export function servedOverHttps(env: Pick<Env, 'APP_URL'>): boolean {
  return new URL(env.APP_URL).protocol === 'https:';
}

/**
 * The name of one of the app's own cookies, for setting and reading alike. Over https it carries the `__Host-`
 * prefix: a browser keeps such a cookie only when this very host set it Secure, with Path=/ and no Domain, so a
 * sibling subdomain cannot plant one on the parent domain for the app to read (cookie tossing: its own launch's
 * handle, or its own sign-in, under a name the app trusts). A cookie of the bare name is then not the app's and
 * is never read. Over plain http (local development) the prefix is refused by browsers, and the name stays bare.
 */
export function appCookieName(env: Pick<Env, 'APP_URL'>, name: string): string {
  return servedOverHttps(env) ? `${HOST_PREFIX}${name}` : name;
}

/** A cookie's name without the `__Host-` prefix, for code that reads names of either form. */
export function withoutHostPrefix(name: string): string {
  return name.startsWith(HOST_PREFIX) ? name.slice(HOST_PREFIX.length) : name;
}

/**
 * Parses the Cookie header; never throws. Cookies on a shared domain are not
 * ours to trust (an analytics cookie may hold a raw `%`): a value that does
 * not decode is kept as it arrived, and of duplicate names the first one (the
 * most specific, by RFC 6265 ordering) wins.
 */
export function readCookies(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  const header = req.headers.get('cookie');
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    const value = part.slice(i + 1).trim();
    if (name && !out.has(name)) out.set(name, safeDecode(value));
  }
  return out;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export interface CookieOptions {
  readonly maxAgeSeconds?: number;
  readonly secure: boolean;
  /** Framed by an EHR on another site: SameSite=None; Partitioned (CHIPS). */
  readonly crossSite: boolean;
}

/**
 * A Set-Cookie header for a host-only cookie of the whole app: Path=/ and never a Domain, as the `__Host-`
 * prefix requires (a `__Host-` cookie is always Secure too).
 */
export function serializeCookie(name: string, value: string, opts: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly'];
  if (opts.maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}`);
  // Cross-site cookies need Secure; browsers treat loopback http as secure.
  if (opts.secure || opts.crossSite || name.startsWith(HOST_PREFIX)) parts.push('Secure');
  if (opts.crossSite) parts.push('SameSite=None', 'Partitioned');
  else parts.push('SameSite=Lax');
  return parts.join('; ');
}
