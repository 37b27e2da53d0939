/**
 * The statically registered SMART clients. `smart-chart*` are the chart app's three registrations
 * for user-facing launches (one per client authentication method) and its SMART Backend Services
 * client (`smart-chart-backend`: client_credentials with private_key_jwt, system/ scopes only,
 * used by the audit console); `sandbox-test-*` return to the sandbox's own callback page so tests
 * and people can run a flow without the app.
 */
import type { ClientMetadata } from 'oidc-provider';
import type { SandboxConfig } from '../config';

export const CLIENT_IDS = {
  public: 'smart-chart',
  confidential: 'smart-chart-confidential',
  jwt: 'smart-chart-jwt',
  backend: 'smart-chart-backend',
  testPublic: 'sandbox-test-public',
  testConfidential: 'sandbox-test-confidential',
} as const;

/** Where the `sandbox-test-*` clients return to. */
export function testCallbackUrl(publicUrl: string): string {
  return `${publicUrl}/_sandbox/callback`;
}

export function appRedirectUri(appUrl: string): string {
  return `${appUrl}/callback`;
}

export function appJwksUri(appUrl: string): string {
  return `${appUrl}/.well-known/jwks.json`;
}

/**
 * The system/ scopes each backend services client may be granted (SMART v1 and v2 spellings).
 * Kept here rather than in the client's `scope` metadata, which oidc-provider limits to its
 * fixed scope list.
 */
export const SYSTEM_SCOPES: Readonly<Record<string, readonly string[]>> = {
  [CLIENT_IDS.backend]: [
    'system/Patient.read',
    'system/Practitioner.read',
    'system/Patient.rs',
    'system/Practitioner.rs',
  ],
};

export function staticClients(
  config: Pick<SandboxConfig, 'appUrl' | 'publicUrl' | 'clientSecret'>,
): ClientMetadata[] {
  const common = {
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  } satisfies Partial<ClientMetadata>;
  const app = { ...common, redirect_uris: [appRedirectUri(config.appUrl)] };
  const test = { ...common, redirect_uris: [testCallbackUrl(config.publicUrl)] };
  return [
    {
      ...app,
      client_id: CLIENT_IDS.public,
      client_name: 'SMART chart (public)',
      token_endpoint_auth_method: 'none',
    },
    {
      ...app,
      client_id: CLIENT_IDS.confidential,
      client_name: 'SMART chart (client secret)',
      client_secret: config.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      ...app,
      client_id: CLIENT_IDS.jwt,
      client_name: 'SMART chart (private key JWT)',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: appJwksUri(config.appUrl),
    },
    {
      // SMART Backend Services: no user, no redirect, no refresh token.
      client_id: CLIENT_IDS.backend,
      client_name: 'SMART chart (backend services)',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: appJwksUri(config.appUrl),
    },
    {
      ...test,
      client_id: CLIENT_IDS.testPublic,
      client_name: 'Sandbox test (public)',
      token_endpoint_auth_method: 'none',
    },
    {
      ...test,
      client_id: CLIENT_IDS.testConfidential,
      client_name: 'Sandbox test (client secret)',
      client_secret: config.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ];
}
