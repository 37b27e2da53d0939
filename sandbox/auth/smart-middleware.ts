/** Koa middleware around oidc-provider's own endpoints for SMART App Launch specifics. */
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { GrantContexts } from './grant-contexts';

type Next = () => Promise<unknown>;

/**
 * Maps a SMART authorization request onto oidc-provider's parameters (applied to the raw URL,
 * before oidc-provider parses it, so its mount-path bookkeeping stays intact):
 * - `aud` becomes the `resource` indicator (RFC 8707) unless the client sent one itself;
 * - OpenID Connect drops `offline_access` unless the request says `prompt=consent`, which SMART
 *   apps do not send. The sandbox runs its (silent) consent interaction anyway, so asking for
 *   that prompt changes nothing else.
 */
export function smartAuthorizationUrl(url: URL): URL {
  const mapped = new URL(url);
  const params = mapped.searchParams;
  const aud = params.get('aud');
  if (aud !== null && !params.has('resource')) params.set('resource', aud);
  if ((params.get('scope') ?? '').split(' ').includes('offline_access') && !params.has('prompt'))
    params.set('prompt', 'consent');
  return mapped;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Adds the SMART launch context to a successful token response (code and refresh grants). */
export function addSmartTokenResponse(grantContexts: GrantContexts) {
  return async (ctx: KoaContextWithOIDC, next: Next): Promise<void> => {
    await next();
    if (
      ctx.oidc?.route !== 'token' ||
      ctx.status !== 200 ||
      !isRecord(ctx.body) ||
      typeof ctx.body.access_token !== 'string'
    )
      return;
    const context = grantContexts.get(ctx.oidc.entities.AccessToken?.grantId);
    if (!context) return;
    const { refresh_token: refreshToken, ...body } = ctx.body;
    // Oracle Health (Cerner) does not rotate refresh tokens and answers a refresh without one;
    // the app keeps the refresh token it has.
    const unrotated = ctx.oidc.params?.grant_type === 'refresh_token' && context.personality === 'cerner';
    ctx.body = {
      ...body,
      ...(refreshToken === undefined || unrotated ? {} : { refresh_token: refreshToken }),
      ...(context.patient === undefined ? {} : { patient: context.patient }),
      ...(context.encounter === undefined ? {} : { encounter: context.encounter }),
      need_patient_banner: context.needPatientBanner,
      smart_style_url: context.smartStyleUrl,
    };
  };
}

/**
 * Counts the token endpoint's requests by grant type, answered or refused, so
 * tests can see how many refreshes reached the EHR (`GET /_sandbox/token-requests`).
 */
export function countTokenRequests(counts: Record<string, number>) {
  return async (ctx: KoaContextWithOIDC, next: Next): Promise<void> => {
    await next();
    if (ctx.oidc?.route !== 'token') return;
    const grant = ctx.oidc.params?.grant_type;
    const key = typeof grant === 'string' ? grant : 'unknown';
    counts[key] = (counts[key] ?? 0) + 1;
  };
}
