/**
 * A browserless OAuth client for integration tests: follows redirects by hand with
 * `redirect: 'manual'` and carries cookies itself, like a browser would for one origin.
 */
import { createHash, randomBytes } from 'node:crypto';

export class CookieJar {
  readonly #cookies = new Map<string, string>();

  capture(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a),
      );
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export interface Pkce {
  readonly verifier: string;
  readonly challenge: string;
}

export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function get(url: string, jar: CookieJar, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
  });
  jar.capture(response);
  return response;
}

export interface AuthorizeRequest {
  readonly authorizeUrl: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly aud: string;
  readonly launch?: string;
  readonly pkce?: Pkce;
}

export type AuthorizeOutcome =
  | { readonly kind: 'redirect'; readonly params: URLSearchParams; readonly state: string }
  /** The flow stopped at a page of the sandbox (login, patient picker, error). */
  | { readonly kind: 'page'; readonly response: Response; readonly url: string };

/** Follows redirects from `startUrl` until the client's redirect URI or a page is reached. */
export async function follow(
  startUrl: string,
  jar: CookieJar,
  redirectUri: string,
  init: RequestInit = {},
): Promise<AuthorizeOutcome> {
  let url = startUrl;
  let response = await get(url, jar, init);
  for (let hop = 0; hop < 10; hop += 1) {
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return { kind: 'page', response, url };
    url = new URL(location, url).href;
    if (url.startsWith(`${redirectUri}?`)) {
      const params = new URL(url).searchParams;
      return { kind: 'redirect', params, state: params.get('state') ?? '' };
    }
    response = await get(url, jar);
  }
  throw new Error('too many redirects');
}

export function authorizeUrl(request: AuthorizeRequest, state: string): string {
  const url = new URL(request.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', request.clientId);
  url.searchParams.set('redirect_uri', request.redirectUri);
  url.searchParams.set('scope', request.scope);
  url.searchParams.set('aud', request.aud);
  url.searchParams.set('state', state);
  if (request.launch) url.searchParams.set('launch', request.launch);
  if (request.pkce) {
    url.searchParams.set('code_challenge', request.pkce.challenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url.href;
}

export async function postForm(
  url: string,
  body: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export function basicAuth(clientId: string, secret: string): Record<string, string> {
  return {
    authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
  };
}
