import 'server-only';

/**
 * Brand logos on https hosts, served from the app's own origin (the page's
 * Content-Security-Policy allows images from the app only). Only the logo URLs
 * of the imported bundle are ever fetched: https, no redirects, an image type,
 * a size and time limit; each is fetched once per process.
 */

const TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml']);
export const MAX_LOGO_BYTES = 512 * 1024;
const TIMEOUT_MS = 5000;
const MAX_CACHED = 2000;

export interface Logo {
  readonly type: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

async function readLimited(body: ReadableStream<Uint8Array>): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_LOGO_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return all;
}

/** The image at an https URL, or undefined for anything else (not https, an error, not an image, too big). */
export async function fetchLogo(url: string, fetchImpl: typeof fetch = fetch): Promise<Logo | undefined> {
  if (!url.startsWith('https://')) return undefined;
  try {
    const res = await fetchImpl(url, {
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { accept: [...TYPES].join(', ') },
    });
    const type = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (!res.ok || res.body === null || type === undefined || !TYPES.has(type)) return undefined;
    const bytes = await readLimited(res.body);
    return bytes === undefined ? undefined : { type, bytes };
  } catch {
    return undefined;
  }
}

const cache = new Map<string, Promise<Logo | undefined>>();

/** fetchLogo once per URL and process; a failure is remembered too (a dead logo host is not asked per page view). */
export function cachedLogo(url: string): Promise<Logo | undefined> {
  let logo = cache.get(url);
  if (logo === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    logo = fetchLogo(url);
    cache.set(url, logo);
  }
  return logo;
}

/** Where the start page finds a brand's logo: an inlined image as it is, an https one through the app. */
export function logoSrc(logo: string | undefined, index: number): string | undefined {
  if (logo === undefined) return undefined;
  if (logo.startsWith('data:image/')) return logo;
  return logo.startsWith('https://') ? `/brands/logo/${index}` : undefined;
}
