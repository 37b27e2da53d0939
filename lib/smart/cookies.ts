import 'server-only';

/** Cookie reading and writing on plain Request/Response objects, so flows stay testable outside Next. */

export function readCookies(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  const header = req.headers.get('cookie');
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    const value = part.slice(i + 1).trim();
    if (name) out.set(name, decodeURIComponent(value));
  }
  return out;
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

/** Browsers drop cookies over about 4 KB; long EHR tokens are split across numbered cookies. */
const CHUNK = 3600;

export function serializeChunked(
  name: string,
  value: string,
  opts: CookieOptions,
  existing: Map<string, string>,
): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < value.length; i += CHUNK) chunks.push(value.slice(i, i + CHUNK));
  const out = chunks.map((c, i) => serializeCookie(`${name}.${i}`, c, opts));
  // Expire chunks a longer earlier value left behind.
  for (let i = chunks.length; existing.has(`${name}.${i}`); i++) {
    out.push(serializeCookie(`${name}.${i}`, '', { ...opts, maxAgeSeconds: 0 }));
  }
  return out;
}

export function readChunked(cookies: Map<string, string>, name: string): string | undefined {
  let value = '';
  for (let i = 0; cookies.has(`${name}.${i}`); i++) value += cookies.get(`${name}.${i}`);
  return value || undefined;
}

export function clearChunked(name: string, opts: CookieOptions, existing: Map<string, string>): string[] {
  const out: string[] = [];
  for (let i = 0; existing.has(`${name}.${i}`); i++)
    out.push(serializeCookie(`${name}.${i}`, '', { ...opts, maxAgeSeconds: 0 }));
  return out;
}
