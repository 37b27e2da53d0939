import 'server-only';
import * as oidc from 'openid-client';
import type { Env } from '../env';
import { AppError } from '../errors';
import { readTextLimited } from '../http/limited-body';
import { clientSigningKey } from './client-key';
import type { SmartConfiguration } from './discovery';
import type { EhrRegistration } from './registrations';

/**
 * The app's OAuth client for one EHR, built on openid-client: client authentication, grants and
 * revocation. Discovery stays ours (lib/smart/discovery.ts): SMART servers publish
 * `.well-known/smart-configuration` under the FHIR base, often with no `issuer` or with one that
 * is not the FHIR base, which OpenID discovery would refuse.
 */

/** How the app authenticates at an EHR's token endpoint. */
export type OAuthClient =
  | { readonly type: 'public'; readonly clientId: string }
  | {
      readonly type: 'client_secret_basic' | 'client_secret_post';
      readonly clientId: string;
      readonly clientSecret: string;
    }
  | { readonly type: 'private_key_jwt'; readonly clientId: string };

export interface OAuthDeps {
  /** The app's private key (PKCS#8 PEM) for private_key_jwt. */
  readonly clientKeyPem: string;
  readonly fetch?: typeof fetch;
  /** Token endpoint timeout (default 10 s). */
  readonly timeoutMs?: number;
  /** Whether plain-http EHR endpoints are accepted (development, tests and the built-in sandbox). */
  readonly allowHttp?: boolean;
}

const TIMEOUT_MS = 10_000;

/**
 * Plain-http EHRs are accepted outside production, and for the built-in sandbox EHR (no
 * EHR_REGISTRATIONS file); a production deployment's registered EHRs must use https.
 */
export function httpEhrsAllowed(env: Pick<Env, 'NODE_ENV' | 'EHR_REGISTRATIONS'>): boolean {
  return env.NODE_ENV !== 'production' || env.EHR_REGISTRATIONS === undefined;
}

/** The OAuth dependencies a flow derives from the app's environment. */
export function oauthDepsFrom(
  env: Env,
  extra: Omit<OAuthDeps, 'clientKeyPem' | 'allowHttp'> = {},
): OAuthDeps {
  return { clientKeyPem: env.secrets.smartClientKey, allowHttp: httpEhrsAllowed(env), ...extra };
}

/**
 * The `iss` an id_token from this EHR must carry: the SMART configuration's `issuer`; when it
 * names none, the registration's `idTokenIssuer` (Oracle Health) or else the FHIR base.
 */
export function expectedIdTokenIssuer(reg: EhrRegistration, config: SmartConfiguration): string {
  return config.issuer ?? reg.idTokenIssuer ?? reg.issuer;
}

async function clientAuthentication(
  client: OAuthClient,
  tokenEndpoint: string,
  deps: OAuthDeps,
): Promise<oidc.ClientAuth> {
  switch (client.type) {
    case 'public':
      return oidc.None();
    case 'client_secret_basic':
      return basicAuthentication(client.clientSecret);
    case 'client_secret_post':
      return oidc.ClientSecretPost(client.clientSecret);
    case 'private_key_jwt':
      return oidc.PrivateKeyJwt(await clientSigningKey(deps.clientKeyPem), {
        // SMART (Epic, Oracle Health) wants the token endpoint as the assertion's audience.
        [oidc.modifyAssertion]: (header, payload) => {
          header.typ = 'JWT';
          payload.aud = tokenEndpoint;
        },
      });
  }
}

/**
 * client_secret_basic with the id and secret percent-encoded as URI components. openid-client's
 * own also encodes `-`, `_`, `.`, `~` and `*`, which conformant servers decode but EHRs that take
 * the Basic credentials literally would not (Epic client ids are UUIDs with dashes); this way a
 * plain id reaches every server unchanged.
 */
function basicAuthentication(clientSecret: string): oidc.ClientAuth {
  return (_as, client, _body, headers) => {
    const credentials = `${encodeURIComponent(client.client_id)}:${encodeURIComponent(clientSecret)}`;
    headers.set('authorization', `Basic ${Buffer.from(credentials).toString('base64')}`);
  };
}

/** An openid-client configuration for one EHR, from its SMART configuration. */
export async function oauthConfiguration(
  reg: EhrRegistration,
  config: SmartConfiguration,
  client: OAuthClient,
  deps: OAuthDeps,
): Promise<oidc.Configuration> {
  const algs = (config as Record<string, unknown>).id_token_signing_alg_values_supported;
  const server: oidc.ServerMetadata = {
    issuer: expectedIdTokenIssuer(reg, config),
    authorization_endpoint: config.authorization_endpoint,
    token_endpoint: config.token_endpoint,
    ...(config.revocation_endpoint ? { revocation_endpoint: config.revocation_endpoint } : {}),
    ...(config.jwks_uri ? { jwks_uri: config.jwks_uri } : {}),
    ...(Array.isArray(algs) ? { id_token_signing_alg_values_supported: algs as string[] } : {}),
  };
  const oauth = new oidc.Configuration(
    server,
    client.clientId,
    { [oidc.clockTolerance]: 60 },
    await clientAuthentication(client, config.token_endpoint, deps),
  );
  oauth.timeout = (deps.timeoutMs ?? TIMEOUT_MS) / 1000;
  const fetchImpl = deps.fetch ?? fetch;
  oauth[oidc.customFetch] = async (url, options) =>
    withinLimit(await fetchImpl(url, options as RequestInit), MAX_TOKEN_RESPONSE_BYTES);
  if (deps.allowHttp) oidc.allowInsecureRequests(oauth);
  return oauth;
}

/** Largest answer of a token or revocation endpoint read: a token response is a few KiB, a JWT-heavy one tens. */
const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;

/**
 * The response with its body read under the limit (readTextLimited), as openid-client then reads it: a runaway
 * answer is given up at the limit instead of held whole in memory.
 */
async function withinLimit(res: Response, maxBytes: number): Promise<Response> {
  const text = await readTextLimited(res, maxBytes);
  const headers = new Headers(res.headers);
  // The body is now the decoded text.
  headers.delete('content-encoding');
  headers.delete('content-length');
  const body = res.status === 204 || res.status === 304 ? null : text;
  return new Response(body, { status: res.status, statusText: res.statusText, headers });
}

/** What a failed token request tells the user, in the words of the flow that made it. */
export interface TokenFailureWords {
  /** The EHR answered with an OAuth error code or an HTTP status. */
  readonly refused: (code: string) => string;
  readonly unavailable: string;
  readonly notJson: string;
  readonly unusable: string;
  readonly idToken: string;
}

const CLAIM_CODES = new Set(['OAUTH_JWT_CLAIM_COMPARISON_FAILED', 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED']);

/**
 * A token request's failure as an AppError: an EHR that answers 5xx is an EHR error, one that
 * refuses (4xx) a failed launch, one that does not answer is unavailable. Only the OAuth error
 * code or the status reaches the message: the description may echo request input.
 */
export function tokenFailure(e: unknown, words: TokenFailureWords): AppError {
  if (e instanceof AppError) return e;
  const refused = (status: number, code: string) =>
    new AppError(status >= 500 ? 'ehr-error' : 'launch-failed', words.refused(code), { cause: e });
  if (e instanceof oidc.ResponseBodyError) return refused(e.status, e.error.replace(/[^\w.-]/g, ''));
  // openid-client's ClientError, or oauth4webapi's own error where openid-client passes it on as is.
  const code = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  if (code?.startsWith('OAUTH_')) {
    const cause = (e as Error).cause;
    if (code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' && cause instanceof Response)
      return refused(cause.status, `HTTP ${cause.status}`);
    if (code === 'OAUTH_TIMEOUT' || code === 'OAUTH_ABORT')
      return new AppError('ehr-unavailable', words.unavailable, { cause: e });
    if (code === 'OAUTH_RESPONSE_IS_NOT_JSON' || code === 'OAUTH_PARSE_ERROR')
      return new AppError('ehr-error', words.notJson, { cause: e });
    if (CLAIM_CODES.has(code)) return new AppError('launch-failed', words.idToken, { cause: e });
    if (code === 'OAUTH_HTTP_REQUEST_FORBIDDEN')
      return new AppError(
        'launch-failed',
        'This EHR is registered with a plain-http address; it needs https.',
        {
          cause: e,
        },
      );
    return new AppError('ehr-error', words.unusable, { cause: e });
  }
  // A network failure (fetch throws TypeError) or a timeout before any answer.
  const network = e instanceof TypeError && code === undefined;
  if (network || (e instanceof DOMException && /Timeout|Abort/.test(e.name)))
    return new AppError('ehr-unavailable', words.unavailable, { cause: e });
  return new AppError('ehr-error', words.unusable, { cause: e });
}
