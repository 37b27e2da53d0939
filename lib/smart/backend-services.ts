import 'server-only';
import * as oidc from 'openid-client';
import { AppError } from '../errors';
import { processSingleton } from '../process-singleton';
import { discover, type SmartConfiguration } from './discovery';
import { oauthConfiguration, tokenFailure, type OAuthDeps, type TokenFailureWords } from './oauth-client';
import type { EhrRegistration } from './registrations';

/**
 * SMART Backend Services: an access token for server-side work with no user present (the audit
 * console's lookups at alert time). client_credentials grant, authenticated with private_key_jwt
 * signed by the app's own key (the one served at /.well-known/jwks.json), scopes from the
 * registration's `backendServices`. Tokens are cached per registration until shortly before they
 * expire; concurrent callers share one request. Tokens never leave the server and are never logged.
 */

/** Renew this long before the EHR's expiry, so a token is never used in its last moments. */
export const RENEW_BEFORE_MS = 60_000;
/** Assumed lifetime when the EHR does not say (SMART recommends at most five minutes). */
const DEFAULT_LIFETIME_S = 300;

export interface BackendToken {
  readonly accessToken: string;
  /** Epoch milliseconds after which the cached token is not used any more. */
  readonly renewAt: number;
  readonly scope?: string;
}

export interface BackendTokenDeps extends OAuthDeps {
  readonly now?: () => number;
  /** SMART discovery for the registration (default: the app's cached discovery). */
  readonly discover?: (reg: EhrRegistration) => Promise<SmartConfiguration>;
}

interface Entry {
  readonly key: string;
  readonly token: Promise<BackendToken>;
}

/** Per process, keyed by registration id; holds tokens only, never request data. */
const cache = processSingleton('backend-services-tokens', () => new Map<string, Entry>());

/** Whether the app can read this EHR without a user: open servers, or backend services configured. */
export function canReadWithoutUser(reg: EhrRegistration): boolean {
  return reg.client.type === 'none' || reg.backendServices !== undefined;
}

/**
 * A bearer token for the registration's FHIR base, or undefined for an open server (which needs
 * none). Throws AppError when the registration has no backend services or the EHR refuses.
 */
export async function backendAccessToken(
  reg: EhrRegistration,
  deps: BackendTokenDeps,
): Promise<string | undefined> {
  if (reg.client.type === 'none') return undefined;
  const services = reg.backendServices;
  if (!services)
    throw new AppError('launch-failed', `The EHR "${reg.label}" has no SMART Backend Services client.`);
  const now = deps.now ?? Date.now;
  const key = `${reg.issuer}\u0000${services.clientId}\u0000${services.scopes}`;
  const hit = cache.get(reg.id);
  if (hit && hit.key === key) {
    try {
      const token = await hit.token;
      if (token.renewAt > now()) return token.accessToken;
    } catch {
      /* the shared request failed: ask again below */
    }
  }
  // Another caller may have started a new request while this one waited.
  const current = cache.get(reg.id);
  if (current && current !== hit && current.key === key) return (await current.token).accessToken;
  const token = requestToken(reg, services, deps, now);
  const entry: Entry = { key, token };
  cache.set(reg.id, entry);
  token.catch(() => {
    if (cache.get(reg.id) === entry) cache.delete(reg.id);
  });
  return (await token).accessToken;
}

const WORDS = (reg: EhrRegistration): TokenFailureWords => ({
  refused: (code) => `The EHR "${reg.label}" refused the backend services token request (${code}).`,
  unavailable: `The EHR "${reg.label}" did not answer the token request.`,
  notJson: `The EHR "${reg.label}" answered without a usable access token.`,
  unusable: `The EHR "${reg.label}" answered without a usable access token.`,
  idToken: `The EHR "${reg.label}" answered without a usable access token.`,
});

async function requestToken(
  reg: EhrRegistration,
  services: NonNullable<EhrRegistration['backendServices']>,
  deps: BackendTokenDeps,
  now: () => number,
): Promise<BackendToken> {
  const config = await (deps.discover ?? ((r: EhrRegistration) => discover(r, { fetch: deps.fetch })))(reg);
  const started = now();
  let tokens: Awaited<ReturnType<typeof oidc.clientCredentialsGrant>>;
  try {
    const oauth = await oauthConfiguration(
      reg,
      config,
      { type: 'private_key_jwt', clientId: services.clientId },
      deps,
    );
    tokens = await oidc.clientCredentialsGrant(oauth, {
      scope: services.scopes,
      ...(services.resourceIndicator ? { resource: reg.issuer } : {}),
    });
  } catch (e) {
    throw tokenFailure(e, WORDS(reg));
  }
  const lifetimeMs = (tokens.expires_in ?? DEFAULT_LIFETIME_S) * 1000;
  // Short-lived tokens are renewed at half their life rather than not cached at all.
  const margin = Math.min(RENEW_BEFORE_MS, lifetimeMs / 2);
  return {
    accessToken: tokens.access_token,
    renewAt: started + lifetimeMs - margin,
    ...(tokens.scope !== undefined ? { scope: tokens.scope } : {}),
  };
}

export function clearBackendTokenCache(): void {
  cache.clear();
}
