import 'server-only';
import type { Env } from '../env';

/** Set by the app's own HTTP server from the socket; any inbound copy is stripped first. */
export const PEER_ADDRESS_HEADER = 'x-chart-peer-address';

/**
 * The client's network address for the audit record. Behind a trusted proxy
 * (TRUST_PROXY=true) the first X-Forwarded-For entry; otherwise the socket
 * address our server saw. A client cannot choose what is recorded.
 */
export function clientAddress(req: Request, env: Pick<Env, 'trustProxy'>): string {
  if (env.trustProxy) {
    const forwarded = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return req.headers.get(PEER_ADDRESS_HEADER) ?? 'unknown';
}

/** True when the browser loads this request inside a frame (an EHR embedding the app). */
export function isFramedNavigation(req: Request): boolean {
  return req.headers.get('sec-fetch-dest') === 'iframe';
}

/** Correlation id our server gave this request (see scripts/server.mjs). */
export function requestId(req: Request): string | undefined {
  return req.headers.get('x-chart-request-id') ?? undefined;
}

/**
 * A state-changing request comes from one of our own pages. Browsers send
 * `Origin: null` on form posts under `Referrer-Policy: no-referrer`, so an
 * absent or null Origin is accepted only with `Sec-Fetch-Site: same-origin`.
 */
export function isSameOriginRequest(req: Request, appUrl: string): boolean {
  const origin = req.headers.get('origin');
  if (origin !== null && origin !== 'null') return origin === new URL(appUrl).origin;
  return req.headers.get('sec-fetch-site') === 'same-origin';
}
