import 'server-only';
import type { Env } from '../env';

/** Set by the app's own HTTP server from the socket; any inbound copy is stripped first. */
export const PEER_ADDRESS_HEADER = 'x-chart-peer-address';

/**
 * The client's network address for the audit record and the rate limits. Behind a trusted proxy
 * (TRUST_PROXY=true) the last X-Forwarded-For entry, the address that proxy saw: a proxy that appends (nginx's
 * `$proxy_add_x_forwarded_for`, most cloud load balancers) keeps whatever the client sent before it, so the first
 * entry would be the client's choice. Otherwise the socket address our server saw. A client cannot choose what is
 * recorded.
 */
export function clientAddress(req: Request, env: Pick<Env, 'trustProxy'>): string {
  if (env.trustProxy) {
    const forwarded = req.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim();
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
 * Whether one of our own pages asked (Fetch Metadata `same-origin`), or the address was typed by hand
 * (`none`), or the client sends no Fetch Metadata (curl, older browsers: judged by the session alone).
 * Another site's page, even one of the same site on another port (an EHR beside the app), did not.
 */
export function isOwnPageRequest(req: Request): boolean {
  const site = req.headers.get('sec-fetch-site');
  return site === null || site === 'same-origin' || site === 'none';
}

/**
 * Whether a request for a page of the chart may be answered: one of our own pages or the address bar
 * (isOwnPageRequest), or a navigation of a window or frame from anywhere (the EHR's launch redirects to the chart,
 * and frames it, from its own site). Another site's fetch, image, script or object is not: rendering the chart
 * reads the record from the EHR, records it as the clinician's disclosure and keeps an idle launch open.
 */
export function isChartPageLoad(headers: Headers): boolean {
  const site = headers.get('sec-fetch-site');
  if (site === null || site === 'same-origin' || site === 'none') return true;
  const dest = headers.get('sec-fetch-dest');
  return (
    headers.get('sec-fetch-mode') === 'navigate' &&
    (dest === 'document' || dest === 'iframe' || dest === 'frame')
  );
}

/**
 * A page load into another site's frame (or a frame of a page of our own site on another origin). The EHR
 * frames the launches that began in its frame; a launch begun in a window of its own is never framed, so such
 * a load of its chart is another site's, made with the clinician's cookie.
 */
export function isFrameLoad(headers: Headers): boolean {
  const site = headers.get('sec-fetch-site');
  const dest = headers.get('sec-fetch-dest');
  return (
    (dest === 'iframe' || dest === 'frame') && site !== null && site !== 'same-origin' && site !== 'none'
  );
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

/** The largest JSON body the page's own small requests (a view report, a sign-out) ever need. */
export const SMALL_BODY_BYTES = 4096;

/**
 * A small JSON body: its value (undefined when absent or not JSON), or `too-large` once more than
 * `limit` bytes arrive, when reading stops: nothing larger is held in memory or parsed.
 */
export async function readSmallJson(req: Request, limit = SMALL_BODY_BYTES): Promise<unknown> {
  const body = await readSmallBody(req, limit);
  if (body === TOO_LARGE || body === undefined) return body;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** A small form post (`application/x-www-form-urlencoded`): its fields, or `too-large` as readSmallJson. */
export async function readSmallForm(
  req: Request,
  limit = SMALL_BODY_BYTES,
): Promise<URLSearchParams | typeof TOO_LARGE> {
  const body = await readSmallBody(req, limit);
  if (body === TOO_LARGE) return body;
  return new URLSearchParams(body?.toString('utf8') ?? '');
}

async function readSmallBody(req: Request, limit: number): Promise<Buffer | undefined | typeof TOO_LARGE> {
  if (Number(req.headers.get('content-length') ?? 0) > limit) return TOO_LARGE;
  if (!req.body) return undefined;
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export const TOO_LARGE = Symbol('too-large');
