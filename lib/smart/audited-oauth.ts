import { createHash } from 'node:crypto';
import type { AuditInput } from '../audit/types';
import type { EhrRegistration } from './registrations';
import type { LaunchSession } from './session';

/** A JWT's `jti` claim, read without checking the token: it only names the token in the audit record. */
function jwtId(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    const jti = (claims as { jti?: unknown } | null)?.jti;
    return typeof jti === 'string' && jti.length > 0 && jti.length <= 256 ? jti : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How the audit record names an access token (BALP OAUTHaccessTokenUse `policy`): its JWT ID as RFC 3553's URN
 * when the EHR issues JWTs that carry one, else the first 128 bits of its SHA-256, which ties the records of one
 * token together and gives no one the token.
 */
export function accessTokenId(token: string): string {
  const jti = jwtId(token);
  if (jti !== undefined) return `urn:ietf:params:oauth:jti:${jti}`;
  return `urn:smart-chart:token-sha256:${createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 32)}`;
}

/**
 * The OAuth context of a launch's access for its audit records (BALP OAUTHaccessTokenUse): the client the EHR issued
 * the token to, who the id_token says the user is, and the token's id. Identifiers only, never a token.
 */
export function auditedOAuth(
  session: Pick<LaunchSession, 'idIssuer' | 'idSubject' | 'accessToken'>,
  reg: { readonly client?: EhrRegistration['client'] },
): { readonly oauth?: NonNullable<AuditInput['oauth']> } {
  const clientId = reg.client && reg.client.type !== 'none' ? reg.client.clientId : undefined;
  const oauth = {
    ...(clientId !== undefined ? { clientId } : {}),
    ...(session.idSubject !== undefined
      ? {
          subject: session.idSubject,
          ...(session.idIssuer !== undefined ? { issuer: session.idIssuer } : {}),
        }
      : {}),
    ...(session.accessToken ? { tokenId: accessTokenId(session.accessToken) } : {}),
  };
  return Object.keys(oauth).length > 0 ? { oauth } : {};
}
