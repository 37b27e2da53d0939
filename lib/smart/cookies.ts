import 'server-only';

/** Cookie reading and writing on plain Request/Response objects, so flows stay testable outside Next. */

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
  readonly path?: string;
}

export function serializeCookie(name: string, value: string, opts: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${opts.path ?? '/'}`, 'HttpOnly'];
  if (opts.maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}`);
  // Cross-site cookies need Secure; browsers treat loopback http as secure.
  if (opts.secure || opts.crossSite) parts.push('Secure');
  if (opts.crossSite) parts.push('SameSite=None', 'Partitioned');
  else parts.push('SameSite=Lax');
  return parts.join('; ');
}
