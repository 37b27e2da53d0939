import 'server-only';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AppError } from '../errors';
import { processSingleton } from '../process-singleton';
import type { SmartConfiguration } from './discovery';

/** Per process, one remote key set per EHR JWKS address (its keys and refetch cool-down). */
const jwksByUri = processSingleton('id-token-jwks', () => new Map<string, JWTVerifyGetKey>());

export interface IdentityClaims {
  /** fhirUser as an absolute URL at the EHR. */
  readonly fhirUser?: string;
  readonly subject: string;
  /** The issuer that signed the token (checked): with `subject`, who the EHR says the user is. */
  readonly issuer: string;
  readonly name?: string;
}

/**
 * Verifies an OpenID Connect id_token: signature against the EHR's JWKS (openid-client checks
 * the claims of a token response, not its id_token's signature), issuer (`expectedIdTokenIssuer`
 * in ./oauth-client.ts: never unchecked), audience (our client id), expiry. `fhirUser` may be
 * relative or absolute; it is returned absolute, resolved against the FHIR base.
 */
export async function verifyIdToken(
  idToken: string,
  config: SmartConfiguration,
  args: { clientId: string; fhirBase: string; issuer: string; jwks?: JWTVerifyGetKey },
): Promise<IdentityClaims> {
  let keySet = args.jwks;
  if (!keySet) {
    if (!config.jwks_uri)
      throw new AppError(
        'launch-failed',
        'The EHR sent an identity token but publishes no keys to check it.',
      );
    let remote = jwksByUri.get(config.jwks_uri);
    if (!remote) {
      remote = createRemoteJWKSet(new URL(config.jwks_uri), { timeoutDuration: 8_000 });
      jwksByUri.set(config.jwks_uri, remote);
    }
    keySet = remote;
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, keySet, {
      audience: args.clientId,
      issuer: args.issuer,
      clockTolerance: 60,
    }));
  } catch (e) {
    throw new AppError(
      'launch-failed',
      'The identity token from the EHR could not be verified. Please relaunch.',
      {
        cause: e,
      },
    );
  }
  if (!payload.sub) throw new AppError('launch-failed', 'The identity token from the EHR names no user.');
  const raw =
    typeof payload.fhirUser === 'string'
      ? payload.fhirUser
      : typeof payload.profile === 'string'
        ? payload.profile
        : undefined;
  return {
    subject: payload.sub,
    issuer: args.issuer,
    fhirUser: raw ? absoluteReference(raw, args.fhirBase) : undefined,
    name: displayName(payload),
  };
}

const text = (v: unknown): string => (typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : '');

/**
 * The user's name from the OpenID `profile` claims: `name`, else `given_name family_name`.
 * Undefined when the token has neither (the `profile` scope was not granted).
 */
export function displayName(claims: JWTPayload): string | undefined {
  return cleanName(
    text(claims.name) || [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' '),
  );
}

/** A name as the chart shows it: whitespace collapsed, at most 200 characters; undefined when empty. */
export function cleanName(name: unknown): string | undefined {
  const t = text(name);
  return t === '' ? undefined : t.slice(0, 200);
}

/** `Practitioner/123` → `${base}/Practitioner/123`; absolute URLs stay as they are. */
export function absoluteReference(ref: string, fhirBase: string): string {
  if (/^https?:\/\//i.test(ref)) return ref;
  return `${fhirBase.replace(/\/+$/, '')}/${ref.replace(/^\/+/, '')}`;
}
