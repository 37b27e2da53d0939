/**
 * The FHIR server's view of a bearer token: looked up in oidc-provider's own token store, so a
 * revoked, expired or unknown token is simply not found. User-facing launches yield access tokens
 * bound to a grant (user, patient, FHIR base); SMART Backend Services yield client credentials
 * tokens, bound only to the FHIR base, with system/ scopes and no patient.
 */
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { FaultSpec, TokenGrant, TokenValidator } from '../contract';
import { parseFaults } from '../launch/faults';

const extraSchema = z.object({
  aud: z.string(),
  grantId: z.string(),
  fhirUser: z.string().optional(),
  patient: z.string().optional(),
  encounter: z.string().optional(),
  faults: z.array(z.unknown()).optional(),
});

export function createTokenValidator(provider: Provider): TokenValidator {
  return async (accessToken) => {
    // Token ids are URL-safe strings; anything else cannot be ours and is not worth a lookup.
    if (!/^[A-Za-z0-9_-]{16,256}$/.test(accessToken)) return undefined;
    const token = await provider.AccessToken.find(accessToken);
    if (!token) return clientCredentialsGrant(provider, accessToken);
    if (token.isExpired || token.clientId === undefined) return undefined;
    const extra = extraSchema.safeParse(token.extra);
    if (!extra.success) return undefined;
    const faults: readonly FaultSpec[] = extra.data.faults ? revalidateFaults(extra.data.faults) : [];
    const grant: TokenGrant = {
      clientId: token.clientId,
      scopes: [...token.scopes],
      aud: extra.data.aud,
      grantId: extra.data.grantId,
      ...(extra.data.fhirUser === undefined ? {} : { user: extra.data.fhirUser }),
      ...(extra.data.patient === undefined ? {} : { patient: extra.data.patient }),
      ...(extra.data.encounter === undefined ? {} : { encounter: extra.data.encounter }),
      ...(faults.length ? { faults } : {}),
    };
    return grant;
  };
}

/** A SMART Backend Services token: system/ scopes only, for the one FHIR base it was issued for. */
async function clientCredentialsGrant(provider: Provider, value: string): Promise<TokenGrant | undefined> {
  const token = await provider.ClientCredentials.find(value);
  if (!token || token.isExpired || token.clientId === undefined) return undefined;
  const aud = typeof token.aud === 'string' ? token.aud : Array.isArray(token.aud) ? token.aud[0] : undefined;
  if (typeof aud !== 'string') return undefined;
  return {
    clientId: token.clientId,
    scopes: [...token.scopes].filter((s) => s.startsWith('system/')),
    aud,
    // No grant: each token stands alone (launch faults never apply to it).
    grantId: `client-credentials:${token.jti}`,
  };
}

function revalidateFaults(raw: readonly unknown[]): readonly FaultSpec[] {
  const parsed = parseFaults(JSON.stringify(raw));
  return parsed.ok ? parsed.faults : [];
}
