import 'server-only';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { AppError } from '../errors';
import type { SmartConfiguration } from './discovery';
import { oauthConfiguration, tokenFailure, type OAuthDeps, type TokenFailureWords } from './oauth-client';
import type { EhrRegistration } from './registrations';

/**
 * The user-facing grants of a SMART launch (authorization code with PKCE, refresh) and token
 * revocation, through openid-client. The id_token's signature is checked by ./id-token.ts.
 */

/** The token response fields the app uses (SMART App Launch 2.x). */
const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().positive().optional(),
  scope: z.string().optional(),
  refresh_token: z.string().min(1).optional(),
  id_token: z.string().min(1).optional(),
  patient: z.string().min(1).optional(),
  encounter: z.string().min(1).optional(),
  need_patient_banner: z.boolean().optional(),
  smart_style_url: z.url().optional(),
});

export type TokenResponse = z.infer<typeof TokenResponseSchema>;

const SIGN_IN: TokenFailureWords = {
  refused: (code) => `The EHR refused to complete sign-in (${code}). Please relaunch the app from your EHR.`,
  unavailable: 'The EHR did not answer the sign-in request in time. Please relaunch.',
  notJson: 'The EHR answered sign-in with something that is not JSON.',
  unusable: 'The EHR answered sign-in without a usable access token.',
  idToken: 'The identity token from the EHR could not be verified. Please relaunch.',
};

/** The registration's client, or an error for an open server (which issues no tokens). */
function userClient(reg: EhrRegistration) {
  if (reg.client.type === 'none')
    throw new AppError('launch-failed', 'This EHR is registered as an open server and issues no tokens.');
  return reg.client;
}

/** Runs a grant; its answer's SMART fields, or a clear error. */
async function grant(request: () => Promise<oidc.TokenEndpointResponse>): Promise<TokenResponse> {
  let tokens: oidc.TokenEndpointResponse;
  try {
    tokens = await request();
  } catch (e) {
    throw tokenFailure(e, SIGN_IN);
  }
  const parsed = TokenResponseSchema.safeParse(tokens);
  if (!parsed.success) throw new AppError('ehr-error', SIGN_IN.unusable);
  return parsed.data;
}

/** The authorization request's address at the EHR. */
export async function authorizationUrl(
  reg: EhrRegistration,
  config: SmartConfiguration,
  params: Record<string, string>,
  deps: OAuthDeps,
): Promise<URL> {
  const oauth = await oauthConfiguration(reg, config, userClient(reg), deps);
  try {
    return oidc.buildAuthorizationUrl(oauth, params);
  } catch (e) {
    throw tokenFailure(e, SIGN_IN);
  }
}

/**
 * Exchanges the authorization code. `state` was checked against the sealed pending
 * authorization and claimed once before this, and the EHR's `iss` response parameter
 * (RFC 9207) against the EHR's metadata (lib/smart/launch-flow.ts).
 */
export async function exchangeCode(
  reg: EhrRegistration,
  config: SmartConfiguration,
  args: { code: string; state: string; redirectUri: string; codeVerifier?: string },
  deps: OAuthDeps,
): Promise<TokenResponse> {
  const oauth = await oauthConfiguration(reg, config, userClient(reg), deps);
  const response = new URL(args.redirectUri);
  response.searchParams.set('code', args.code);
  response.searchParams.set('state', args.state);
  return grant(() =>
    oidc.authorizationCodeGrant(oauth, response, {
      expectedState: args.state,
      ...(args.codeVerifier ? { pkceCodeVerifier: args.codeVerifier } : {}),
    }),
  );
}

export async function refreshTokens(
  reg: EhrRegistration,
  config: SmartConfiguration,
  refreshToken: string,
  deps: OAuthDeps,
): Promise<TokenResponse> {
  const oauth = await oauthConfiguration(reg, config, userClient(reg), deps);
  return grant(() => oidc.refreshTokenGrant(oauth, refreshToken));
}

/** Best effort: tell the EHR a token is no longer needed (RFC 7009). Never throws. */
export async function revokeToken(
  reg: EhrRegistration,
  config: SmartConfiguration,
  token: string,
  deps: OAuthDeps,
): Promise<boolean> {
  if (!config.revocation_endpoint || reg.client.type === 'none') return false;
  try {
    const oauth = await oauthConfiguration(reg, config, reg.client, { timeoutMs: 5_000, ...deps });
    await oidc.tokenRevocation(oauth, token);
    return true;
  } catch {
    return false;
  }
}
