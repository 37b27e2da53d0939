/**
 * The sandbox's SMART authorization server: oidc-provider configured for SMART App Launch 2.x.
 * Every authorization goes through the sandbox's interaction handler, which binds a context
 * (user, patient, FHIR base) to a fresh grant; tokens carry that context as extra claims.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import Provider, {
  errors,
  interactionPolicy,
  type Account,
  type Configuration,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import type { SandboxConfig } from '../config';
import type { OAuthEndpoints, SandboxDirectory } from '../contract';
import { appJwksUri, staticClients, SYSTEM_SCOPES } from './clients';
import { fhirBase, personalityForAud } from './bases';
import { GrantContexts, type GrantContext } from './grant-contexts';
import { createMemoryAdapterFactory } from './memory-adapter';
import { STATIC_SCOPES, wellFormedScopes } from './scopes';
import { addSmartTokenResponse, countTokenRequests, smartAuthorizationUrl } from './smart-middleware';

export const OAUTH_MOUNT = '/oauth';
export const INTERACTION_PATH = '/interaction';
/** Oracle Health (Cerner) issues 570-second access tokens. */
export const CERNER_ACCESS_TOKEN_TTL = 570;
const GRANT_TTL = 14 * 24 * 60 * 60;

export interface AuthServer {
  readonly provider: Provider;
  readonly endpoints: OAuthEndpoints;
  readonly grantContexts: GrantContexts;
  /** Token requests so far, by grant type. */
  readonly tokenRequests: Readonly<Record<string, number>>;
  /** Handles a request whose path starts with `/oauth`. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
}

export function oauthEndpoints(publicUrl: string): OAuthEndpoints {
  const issuer = `${publicUrl}${OAUTH_MOUNT}`;
  return {
    issuer,
    authorize: `${issuer}/auth`,
    token: `${issuer}/token`,
    revoke: `${issuer}/token/revocation`,
    introspect: `${issuer}/token/introspection`,
    jwks: `${issuer}/jwks`,
  };
}

function grantIdOf(ctx: KoaContextWithOIDC | undefined): string | undefined {
  const entities = ctx?.oidc?.entities;
  return (
    entities?.AccessToken?.grantId ?? entities?.RefreshToken?.grantId ?? entities?.AuthorizationCode?.grantId
  );
}

/** Extra claims stored with each access token: what the FHIR server needs to enforce it. */
function tokenClaims(context: GrantContext, grantId: string): Record<string, unknown> {
  return {
    aud: context.aud,
    fhirUser: context.user,
    grantId,
    ...(context.patient === undefined ? {} : { patient: context.patient }),
    ...(context.encounter === undefined ? {} : { encounter: context.encounter }),
    ...(context.faults?.length ? { faults: context.faults } : {}),
  };
}

export async function createAuthServer(
  config: SandboxConfig,
  directory: SandboxDirectory,
): Promise<AuthServer> {
  const endpoints = oauthEndpoints(config.publicUrl);
  const grantContexts = new GrantContexts(GRANT_TTL);
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingJwk = await exportJWK(privateKey);
  signingJwk.kid = await calculateJwkThumbprint(signingJwk);

  const findAccount = (ctx: KoaContextWithOIDC, sub: string): Account | undefined => {
    const [type, id] = sub.split('/');
    const person =
      type === 'Patient'
        ? directory.patients.find((p) => p.id === id)
        : type === 'Practitioner'
          ? directory.practitioners.find((p) => p.id === id)
          : undefined;
    if (!person) return undefined;
    return {
      accountId: sub,
      claims: () => {
        // fhirUser is absolute at the FHIR base the user launched against.
        const personality = grantContexts.get(grantIdOf(ctx))?.personality ?? 'generic';
        return { sub, fhirUser: `${fhirBase(config.publicUrl, personality)}/${sub}`, name: person.name };
      },
    };
  };

  const policy = interactionPolicy.base();
  // Without this check oidc-provider would skip the interaction (and so the context binding) for a
  // signed-in user whose request names only scopes it does not know, such as patient/*.read.
  policy
    .get('consent')
    ?.checks.add(
      new interactionPolicy.Check(
        'smart_context',
        'the SMART context must be bound to a new grant',
        (ctx) => !ctx.oidc.result?.consent?.grantId,
      ),
    );

  const configuration: Configuration = {
    adapter: createMemoryAdapterFactory(),
    clients: staticClients(config),
    jwks: { keys: [{ ...signingJwk, alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: [...STATIC_SCOPES],
    responseTypes: ['code'],
    claims: { openid: ['sub'], fhirUser: ['fhirUser'], profile: ['name'] },
    conformIdTokenClaims: false,
    extraParams: {
      launch: null,
      aud(ctx, value) {
        if (personalityForAud(config.publicUrl, value) === undefined) {
          throw new errors.InvalidRequest('aud must be the FHIR base URL of this server');
        }
        if (ctx.oidc.params?.resource !== value)
          throw new errors.InvalidRequest('resource, when given, must equal aud');
      },
    },
    pkce: { required: () => true },
    // oidc-provider refuses to fetch from loopback and private addresses (SSRF protection). The
    // chart app's JWKS usually lives on localhost, so exactly that one configured URL may.
    fetch: async (url, options) => {
      const href = typeof url === 'string' ? url : url instanceof URL ? url.href : url.url;
      if (href !== appJwksUri(config.appUrl)) return fetch(url, options);
      const { dispatcher: _ssrfGuard, ...rest } = (options ?? {}) as RequestInit & { dispatcher?: unknown };
      return fetch(url, rest);
    },
    enabledJWA: { clientAuthSigningAlgValues: ['RS256', 'RS384', 'ES256', 'ES384', 'PS256', 'PS384'] },
    features: {
      devInteractions: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) =>
          client.clientAuthMethod !== 'none' || token.clientId === client.clientId,
      },
      userinfo: { enabled: false },
      // SMART Backend Services (client_credentials with private_key_jwt), for system/ scopes.
      clientCredentials: { enabled: true },
      // SMART's `aud` is a resource indicator: the FHIR base the token is for. Scopes are checked
      // per resource, which lets resource scopes (patient/Observation.rs?…) pass unenumerated.
      resourceIndicators: {
        enabled: true,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx, resource) => {
          if (personalityForAud(config.publicUrl, resource) === undefined) {
            // SMART names this an invalid request when the target came from `aud`.
            throw ctx.oidc.params?.aud === resource
              ? new errors.InvalidRequest('aud must be the FHIR base URL of this server')
              : new errors.InvalidTarget();
          }
          const { entities, params } = ctx.oidc;
          if (params?.grant_type === 'client_credentials') {
            // SMART Backend Services: only the system/ scopes this client is registered for.
            const allowed = SYSTEM_SCOPES[ctx.oidc.client?.clientId ?? ''] ?? [];
            const asked = typeof params.scope === 'string' ? params.scope.split(' ') : [];
            const granted = asked.filter((s) => allowed.includes(s));
            if (granted.length === 0)
              throw new errors.InvalidScope('no requested scope is allowed for this client', asked.join(' '));
            return {
              scope: granted.join(' '),
              audience: resource,
              accessTokenFormat: 'opaque',
            };
          }
          const requested =
            typeof params?.scope === 'string'
              ? params.scope
              : (entities.AuthorizationCode?.scope ?? entities.RefreshToken?.scope ?? '');
          return {
            scope: wellFormedScopes(requested.split(' ')).join(' '),
            audience: resource,
            accessTokenFormat: 'opaque',
          };
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}`, policy },
    findAccount,
    loadExistingGrant: async (ctx) => {
      // Only the grant the interaction just created: each authorization binds its own context.
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    extraTokenClaims: async (ctx, token) => {
      const grantId = 'grantId' in token ? token.grantId : undefined;
      const context = grantContexts.get(grantId ?? grantIdOf(ctx));
      return context && grantId ? tokenClaims(context, grantId) : undefined;
    },
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') &&
      (code.scopes.has('offline_access') || code.scopes.has('online_access')),
    rotateRefreshToken: (ctx) =>
      grantContexts.get(ctx.oidc.entities.RefreshToken?.grantId)?.personality !== 'cerner',
    expiresWithSession: async () => false,
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
    ttl: {
      AccessToken: (_ctx, token) =>
        grantContexts.get(token.grantId)?.personality === 'cerner'
          ? CERNER_ACCESS_TOKEN_TTL
          : config.accessTokenTtl,
      ClientCredentials: config.accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 60 * 60,
      Interaction: 15 * 60,
      Session: 8 * 60 * 60,
      Grant: GRANT_TTL,
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Authorization error</title><h1>Authorization error</h1><p>${escape(String(out.error))}: ${escape(String(out.error_description ?? ''))}</p>`;
    },
  };

  const provider = new Provider(endpoints.issuer, configuration);
  const tokenRequests: Record<string, number> = {};
  provider.use(countTokenRequests(tokenRequests));
  provider.use(addSmartTokenResponse(grantContexts));
  const callback = provider.callback();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    // Mount below /oauth the way Express does: oidc-provider derives its URLs from originalUrl.
    let url = req.url ?? '/';
    if (req.method === 'GET' && url.startsWith(`${OAUTH_MOUNT}/auth?`)) {
      const mapped = smartAuthorizationUrl(new URL(url, endpoints.issuer));
      url = `${mapped.pathname}${mapped.search}`;
    }
    Object.assign(req, { originalUrl: url });
    req.url = url.slice(OAUTH_MOUNT.length) || '/';
    // The callback answers every request itself, errors included (rendered by renderError).
    void callback(req, res);
  };

  return { provider, endpoints, grantContexts, tokenRequests, handle };
}

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
