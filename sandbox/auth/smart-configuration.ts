/**
 * `.well-known/smart-configuration` per personality (SMART App Launch 2.x, and SMART Backend
 * Services through `client-confidential-asymmetric` and the client_credentials grant). All
 * personalities share one authorization server; Oracle Health (Cerner) advertises SMART v1 permissions only,
 * as its production server does, so apps choose v1 scopes there.
 */
import type { OAuthEndpoints, Personality } from '../contract';
import { STATIC_SCOPES } from './scopes';

const CAPABILITIES = [
  'launch-ehr',
  'launch-standalone',
  'client-public',
  'client-confidential-symmetric',
  'client-confidential-asymmetric',
  'context-ehr-patient',
  'context-ehr-encounter',
  'context-standalone-patient',
  'context-banner',
  'context-style',
  'sso-openid-connect',
  'permission-offline',
  'permission-online',
  'permission-patient',
  'permission-user',
  'permission-v1',
  'permission-v2',
] as const;

const EXAMPLE_RESOURCE_SCOPES_V1 = [
  'patient/*.read',
  'user/*.read',
  'patient/Observation.read',
  'patient/Condition.read',
  'patient/Patient.read',
  'system/Patient.read',
  'system/Practitioner.read',
];
const EXAMPLE_RESOURCE_SCOPES_V2 = [
  'patient/*.rs',
  'user/*.rs',
  'patient/Observation.rs',
  'patient/Condition.rs',
  'patient/Patient.r',
  'system/Patient.rs',
  'system/Practitioner.rs',
];

export interface SmartConfiguration {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly token_endpoint_auth_methods_supported: readonly string[];
  readonly token_endpoint_auth_signing_alg_values_supported: readonly string[];
  readonly grant_types_supported: readonly string[];
  readonly scopes_supported: readonly string[];
  readonly response_types_supported: readonly string[];
  readonly code_challenge_methods_supported: readonly string[];
  readonly capabilities: readonly string[];
  readonly revocation_endpoint: string;
  readonly introspection_endpoint: string;
}

export function smartConfiguration(endpoints: OAuthEndpoints, personality: Personality): SmartConfiguration {
  const v1Only = personality === 'cerner';
  const capabilities = v1Only ? CAPABILITIES.filter((c) => c !== 'permission-v2') : [...CAPABILITIES];
  return {
    issuer: endpoints.issuer,
    jwks_uri: endpoints.jwks,
    authorization_endpoint: endpoints.authorize,
    token_endpoint: endpoints.token,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384', 'RS256', 'ES256'],
    // client_credentials: SMART Backend Services (private_key_jwt, system/ scopes).
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    scopes_supported: [
      ...STATIC_SCOPES,
      ...EXAMPLE_RESOURCE_SCOPES_V1,
      ...(v1Only ? [] : EXAMPLE_RESOURCE_SCOPES_V2),
    ],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities,
    revocation_endpoint: endpoints.revoke,
    introspection_endpoint: endpoints.introspect,
  };
}
