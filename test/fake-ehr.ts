import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { AuditLog } from '../lib/audit/types';
import { buildEnv } from '../lib/env';
import { beginLaunch, completeLaunch, type FlowDeps } from '../lib/smart/launch-flow';
import { parseRegistrations } from '../lib/smart/registrations';
import type { LaunchStore } from '../lib/state/launch-store';

/**
 * A deliberately misbehaving EHR for failure tests: a real HTTP server whose
 * token endpoint can answer as told (success, 400, 500, 503, hang, bad id_token).
 * Happy paths are tested against the sandbox EHR instead.
 */
export type TokenBehaviour =
  | 'ok'
  | 'error-400'
  | 'error-500'
  | 'error-503'
  | 'hang'
  | 'bad-signature'
  | 'wrong-audience'
  | 'wrong-issuer'
  | 'fhir-base-issuer'
  | 'no-patient'
  | 'not-json'
  /** A token response padded past 2 MiB. */
  | 'huge';

export interface FakeEhr {
  readonly url: string;
  readonly fhirBase: string;
  tokenBehaviour: TokenBehaviour;
  /** When false, the SMART configuration names no `issuer`. */
  configIssuer: boolean;
  /** When true, the configuration says authorization responses carry `iss` (RFC 9207). */
  sendsIss: boolean;
  readonly tokenRequests: URLSearchParams[];
  /** The Authorization header of each token request (client_secret_basic), in order. */
  readonly tokenAuthorizations: (string | undefined)[];
  /** Every path requested, in order. */
  readonly requests: string[];
  /** The `token` of each revocation request (RFC 7009), in order. */
  readonly revoked: string[];
  /** FHIR answers by path under the FHIR base (e.g. `AllergyIntolerance`), served with the access token. */
  readonly fhir: Map<string, unknown>;
  /** FHIR paths that fail instead: an HTTP status (with an OperationOutcome), or `hang` (no answer). */
  readonly fhirFaults: Map<string, number | 'hang'>;
  /** The `scope` of token responses. */
  grantedScope: string;
  /** The access token the token endpoint issues next (each one issued is accepted until removed from `accepted`). */
  issue: string;
  /** The access tokens the FHIR API accepts; one removed is answered 401 invalid_token (revoked). */
  readonly accepted: Set<string>;
  /** When set, token responses carry this refresh token. */
  refreshToken: string | undefined;
  /** The `expires_in` of token responses, in seconds. */
  expiresIn: number;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The scopes the fake EHR grants unless a test says otherwise. */
export const DEFAULT_SCOPE = 'launch openid fhirUser patient/Observation.rs';

export async function startFakeEhr(clientId: string): Promise<FakeEhr> {
  const good = await generateKeyPair('RS256');
  const rogue = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(good.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const hanging: ServerResponse[] = [];
  let url = '';
  const state: FakeEhr = {
    get url() {
      return url;
    },
    get fhirBase() {
      return `${url}/fhir`;
    },
    tokenBehaviour: 'ok',
    configIssuer: true,
    sendsIss: false,
    tokenRequests: [],
    tokenAuthorizations: [],
    requests: [],
    revoked: [],
    fhir: new Map(),
    fhirFaults: new Map(),
    grantedScope: DEFAULT_SCOPE,
    issue: 'fake-access-token-0001',
    accepted: new Set(['fake-access-token-0001']),
    refreshToken: undefined,
    expiresIn: 3600,
    close: async () => {
      for (const r of hanging) r.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const send = (res: ServerResponse, status: number, json: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(json));
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', url).pathname;
      state.requests.push(path);
      if (path === '/fhir/.well-known/smart-configuration') {
        return send(res, 200, {
          ...(state.configIssuer ? { issuer: url } : {}),
          ...(state.sendsIss ? { authorization_response_iss_parameter_supported: true } : {}),
          jwks_uri: `${url}/jwks`,
          authorization_endpoint: `${url}/authorize`,
          token_endpoint: `${url}/token`,
          revocation_endpoint: `${url}/revoke`,
          capabilities: ['launch-ehr', 'client-public', 'permission-v2'],
          code_challenge_methods_supported: ['S256'],
        });
      }
      if (path === '/jwks') return send(res, 200, { keys: [jwk] });
      if (path === '/revoke') {
        state.revoked.push(new URLSearchParams(await body(req)).get('token') ?? '');
        res.writeHead(200);
        return res.end();
      }
      if (path === '/token') {
        state.tokenRequests.push(new URLSearchParams(await body(req)));
        state.tokenAuthorizations.push(req.headers.authorization);
        const b = state.tokenBehaviour;
        if (b === 'hang') {
          hanging.push(res);
          return;
        }
        if (b === 'error-400')
          return send(res, 400, { error: 'invalid_grant', error_description: 'code expired' });
        if (b === 'error-500' || b === 'error-503') {
          res.writeHead(b === 'error-500' ? 500 : 503, { 'content-type': 'text/html' });
          return res.end(
            b === 'error-500' ? '<h1>Internal Server Error</h1>' : '<h1>Service Unavailable</h1>',
          );
        }
        if (b === 'huge')
          return send(res, 200, {
            access_token: state.issue,
            token_type: 'Bearer',
            padding: 'x'.repeat(2 * 1024 * 1024),
          });
        if (b === 'not-json') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          return res.end('access_token=abc');
        }
        const key = b === 'bad-signature' ? rogue.privateKey : good.privateKey;
        const idToken = await new SignJWT({ fhirUser: 'Practitioner/dr-1' })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(
            b === 'wrong-issuer' ? 'https://rogue.example' : b === 'fhir-base-issuer' ? state.fhirBase : url,
          )
          .setSubject('dr-1')
          .setAudience(b === 'wrong-audience' ? 'someone-else' : clientId)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(key);
        state.accepted.add(state.issue);
        return send(res, 200, {
          access_token: state.issue,
          ...(state.refreshToken !== undefined ? { refresh_token: state.refreshToken } : {}),
          token_type: 'Bearer',
          expires_in: state.expiresIn,
          scope: state.grantedScope,
          id_token: idToken,
          ...(b === 'no-patient' ? {} : { patient: 'p-1' }),
        });
      }
      const fault = path.startsWith('/fhir/') ? state.fhirFaults.get(path.slice('/fhir/'.length)) : undefined;
      if (fault === 'hang') {
        hanging.push(res);
        return;
      }
      if (fault !== undefined)
        return send(res, fault, {
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: fault === 403 ? 'forbidden' : 'exception' }],
        });
      const resource = path.startsWith('/fhir/') ? state.fhir.get(path.slice('/fhir/'.length)) : undefined;
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (resource !== undefined && bearer !== undefined && !state.accepted.has(bearer)) {
        res.writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': 'Bearer error="invalid_token"',
        });
        return res.end(
          JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] }),
        );
      }
      if (resource !== undefined && bearer !== undefined) return send(res, 200, resource);
      send(res, 404, { error: 'not found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** The app's flow dependencies wired to one fake EHR registered as `fake` (a public client, `test-client`). */
export function fakeEhrDeps(
  ehr: FakeEhr,
  opts: {
    readonly appUrl: string;
    readonly audit: AuditLog;
    readonly launches: LaunchStore;
    readonly registration?: Record<string, unknown>;
  },
): FlowDeps {
  return {
    env: buildEnv({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'fake-ehr-app-')), APP_URL: opts.appUrl }),
    audit: opts.audit,
    launches: opts.launches,
    registrations: parseRegistrations(
      [
        {
          id: 'fake',
          label: 'Fake EHR',
          issuer: ehr.fhirBase,
          vendor: 'generic',
          client: { type: 'public', clientId: 'test-client' },
          ...opts.registration,
        },
      ],
      'test',
    ),
  };
}

/** The cookie header a browser would send back, from a response's Set-Cookie headers. */
export function browserCookies(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((c) => !c.endsWith('='))
    .join('; ');
}

/** An EHR launch of the fake EHR through the app's real flow: the callback's response, as the browser gets it. */
export async function launchThroughCallback(ehr: FakeEhr, deps: FlowDeps, appUrl: string): Promise<Response> {
  const begun = await beginLaunch(
    new Request(`${appUrl}/launch?iss=${encodeURIComponent(ehr.fhirBase)}&launch=L-1`),
    deps,
  );
  const state = new URL(begun.headers.get('location')!).searchParams.get('state')!;
  return completeLaunch(
    new Request(`${appUrl}/callback?state=${state}&code=C-1`, { headers: { cookie: browserCookies(begun) } }),
    deps,
  );
}
