import 'server-only';
import { z } from 'zod';
import { AppError } from '../errors';
import { clientAssertion } from './client-key';
import type { SmartConfiguration } from './discovery';
import type { EhrRegistration } from './registrations';

/** What every OAuth token response must carry: a bearer access token, its lifetime and scopes. */
export const BearerTokenSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z
    .string()
    .refine((t) => t.toLowerCase() === 'bearer', { message: 'token_type must be Bearer' }),
  expires_in: z.coerce.number().positive().optional(),
  scope: z.string().optional(),
});

/** The token response fields the app uses (SMART App Launch 2.x). */
const TokenResponseSchema = BearerTokenSchema.extend({
  refresh_token: z.string().min(1).optional(),
  id_token: z.string().min(1).optional(),
  patient: z.string().min(1).optional(),
  encounter: z.string().min(1).optional(),
  need_patient_banner: z.boolean().optional(),
  smart_style_url: z.url().optional(),
});

export type TokenResponse = z.infer<typeof TokenResponseSchema>;

const TIMEOUT_MS = 10_000;

/**
 * What an OAuth error answer may tell the user: its `error` code, or the
 * HTTP status. The description may echo request input, so it stays out.
 */
export function oauthErrorCode(status: number, body: string): string {
  try {
    const err = JSON.parse(body) as { error?: unknown };
    if (typeof err.error === 'string') return err.error;
  } catch {
    /* a non-JSON error body: the status says enough */
  }
  return `HTTP ${status}`;
}

export interface TokenRequestDeps {
  readonly fetch?: typeof fetch;
  readonly clientKeyPem: string;
  readonly timeoutMs?: number;
}

async function postToken(
  reg: EhrRegistration,
  config: SmartConfiguration,
  params: Record<string, string>,
  deps: TokenRequestDeps,
): Promise<TokenResponse> {
  const body = new URLSearchParams(params);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  const client = reg.client;
  switch (client.type) {
    case 'public':
      body.set('client_id', client.clientId);
      break;
    case 'client_secret_basic':
      headers.authorization = `Basic ${Buffer.from(
        `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`,
      ).toString('base64')}`;
      break;
    case 'private_key_jwt':
      body.set('client_id', client.clientId);
      body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      body.set(
        'client_assertion',
        await clientAssertion(deps.clientKeyPem, client.clientId, config.token_endpoint),
      );
      break;
    case 'none':
      throw new AppError('launch-failed', 'This EHR is registered as an open server and issues no tokens.');
  }
  let res: Response;
  try {
    res = await (deps.fetch ?? fetch)(config.token_endpoint, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(deps.timeoutMs ?? TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (e) {
    throw new AppError(
      'ehr-unavailable',
      'The EHR did not answer the sign-in request in time. Please relaunch.',
      {
        cause: e,
      },
    );
  }
  const text = await res.text();
  if (!res.ok) {
    const code = oauthErrorCode(res.status, text);
    throw new AppError(
      res.status >= 500 ? 'ehr-error' : 'launch-failed',
      `The EHR refused to complete sign-in (${code}). Please relaunch the app from your EHR.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AppError('ehr-error', 'The EHR answered sign-in with something that is not JSON.', {
      cause: e,
    });
  }
  const parsed = TokenResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('ehr-error', 'The EHR answered sign-in without a usable access token.');
  }
  return parsed.data;
}

export function exchangeCode(
  reg: EhrRegistration,
  config: SmartConfiguration,
  args: { code: string; redirectUri: string; codeVerifier?: string },
  deps: TokenRequestDeps,
): Promise<TokenResponse> {
  const params: Record<string, string> = {
    grant_type: 'authorization_code',
    code: args.code,
    redirect_uri: args.redirectUri,
  };
  if (args.codeVerifier) params.code_verifier = args.codeVerifier;
  return postToken(reg, config, params, deps);
}

export function refreshTokens(
  reg: EhrRegistration,
  config: SmartConfiguration,
  refreshToken: string,
  deps: TokenRequestDeps,
): Promise<TokenResponse> {
  return postToken(reg, config, { grant_type: 'refresh_token', refresh_token: refreshToken }, deps);
}

/** Best effort: tell the EHR a token is no longer needed (RFC 7009). Never throws. */
export async function revokeToken(
  reg: EhrRegistration,
  config: SmartConfiguration,
  token: string,
  deps: TokenRequestDeps,
): Promise<boolean> {
  if (!config.revocation_endpoint || reg.client.type === 'none') return false;
  try {
    const body = new URLSearchParams({ token });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (reg.client.type === 'client_secret_basic') {
      headers.authorization = `Basic ${Buffer.from(
        `${encodeURIComponent(reg.client.clientId)}:${encodeURIComponent(reg.client.clientSecret)}`,
      ).toString('base64')}`;
    } else {
      body.set('client_id', reg.client.clientId);
      if (reg.client.type === 'private_key_jwt') {
        body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
        body.set(
          'client_assertion',
          await clientAssertion(deps.clientKeyPem, reg.client.clientId, config.revocation_endpoint),
        );
      }
    }
    const res = await (deps.fetch ?? fetch)(config.revocation_endpoint, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(5_000),
    });
    return res.ok;
  } catch {
    return false;
  }
}
