/**
 * The sandbox EHR as one node:http server: `/oauth/*` (authorization server), `/interaction/*`
 * (its sign-in steps), `/${personality}/fhir/*` (FHIR API per personality, with the SMART
 * discovery document), and the sandbox's own launch pages and test endpoints.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPersonality, fhirBase } from './auth/bases';
import { createInteractionHandler } from './auth/interactions';
import { createAuthServer, INTERACTION_PATH, OAUTH_MOUNT } from './auth/provider';
import { SessionCodec } from './auth/sandbox-session';
import { smartConfiguration } from './auth/smart-configuration';
import { createTokenValidator } from './auth/token-validator';
import type { SandboxConfig } from './config';
import {
  PERSONALITIES,
  type FhirHandler,
  type OAuthEndpoints,
  type Personality,
  type SandboxDirectory,
  type TokenValidator,
} from './contract';
import { BodyTooLargeError } from './launch/body';
import { sendErrorPage, sendJson } from './launch/html';
import { LaunchStore } from './launch/launch-store';
import { createLaunchRoutes } from './launch/routes';

export interface FhirHandlerOptions {
  readonly baseUrl: string;
  readonly personality: Personality;
  readonly validateToken: TokenValidator;
  readonly oauth: OAuthEndpoints;
}

/** The FHIR side of the sandbox: who exists, and a handler per personality. */
export interface FhirBackend {
  readonly directory: SandboxDirectory;
  readonly createFhirHandler: (options: FhirHandlerOptions) => FhirHandler;
}

export interface RunningSandbox {
  /** The public base URL (with port 0, the loopback address and the port actually bound). */
  readonly url: string;
  readonly endpoints: OAuthEndpoints;
  readonly directory: SandboxDirectory;
  readonly close: () => Promise<void>;
}

const FHIR_PATH = /^\/([a-z]+)\/fhir(?=\/|\?|$)/;

/**
 * Starts the sandbox. `backend` defaults to the generated synthetic data and the sandbox FHIR
 * server; tests may pass their own. With `config.port` 0 the public URL follows the bound port.
 */
export async function startSandbox(config: SandboxConfig, backend?: FhirBackend): Promise<RunningSandbox> {
  const startedAt = new Date();
  const fhir = backend ?? (await (await import('./default-backend')).createDefaultBackend(config));
  let handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      const tooLarge = error instanceof BodyTooLargeError;
      if (!tooLarge)
        console.error('sandbox: request failed', error instanceof Error ? error.name : 'unknown');
      if (!res.headersSent)
        sendErrorPage(res, tooLarge ? 413 : 500, tooLarge ? 'Request too large.' : 'Internal error.');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const publicUrl =
    config.port === 0
      ? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
      : config.publicUrl;
  const effective: SandboxConfig = { ...config, publicUrl };

  const auth = await createAuthServer(effective, fhir.directory);
  const sessions = new SessionCodec();
  const launches = new LaunchStore();
  const validateToken = createTokenValidator(auth.provider);
  const interactions = createInteractionHandler({
    ...auth,
    config: effective,
    directory: fhir.directory,
    launches,
    sessions,
  });
  const launchRoutes = createLaunchRoutes({
    config: effective,
    directory: fhir.directory,
    launches,
    sessions,
    startedAt,
    tokenRequests: auth.tokenRequests,
  });
  const fhirHandlers = new Map(
    PERSONALITIES.map((personality) => [
      personality,
      fhir.createFhirHandler({
        baseUrl: fhirBase(publicUrl, personality),
        personality,
        validateToken,
        oauth: auth.endpoints,
      }),
    ]),
  );

  // An open FHIR base with no authorization, as the public HAPI server is: for QA's open-server
  // mode and for tests that check the screen against the data.
  const openBase = `${publicUrl}/open/fhir`;
  const openHandler = fhir.createFhirHandler({
    baseUrl: openBase,
    personality: 'generic',
    validateToken: async () => ({
      clientId: 'open',
      scopes: ['user/*.read'],
      aud: openBase,
      grantId: 'open',
    }),
    oauth: auth.endpoints,
  });

  handler = async (req, res) => {
    const rawUrl = req.url ?? '/';
    if (rawUrl === '/open/fhir' || rawUrl.startsWith('/open/fhir/') || rawUrl.startsWith('/open/fhir?')) {
      req.headers.authorization = 'Bearer open';
      return openHandler(req, res, rawUrl.slice('/open/fhir'.length));
    }
    const url = new URL(rawUrl, publicUrl);
    const path = url.pathname;
    if (path === OAUTH_MOUNT || path.startsWith(`${OAUTH_MOUNT}/`)) return auth.handle(req, res);
    if (path.startsWith(`${INTERACTION_PATH}/`))
      return interactions(req, res, path.slice(INTERACTION_PATH.length));
    const fhirMatch = FHIR_PATH.exec(rawUrl);
    if (fhirMatch) {
      const personality = fhirMatch[1];
      const fhirHandler = isPersonality(personality) ? fhirHandlers.get(personality) : undefined;
      if (!isPersonality(personality) || !fhirHandler)
        return sendJson(res, 404, { error: 'unknown FHIR base' });
      const subPath = rawUrl.slice(fhirMatch[0].length);
      if (subPath.split('?')[0] === '/.well-known/smart-configuration') {
        if (req.method !== 'GET') return sendJson(res, 405, { error: 'method not allowed' });
        return sendJson(res, 200, smartConfiguration(auth.endpoints, personality), {
          'access-control-allow-origin': '*',
        });
      }
      return fhirHandler(req, res, subPath);
    }
    if (await launchRoutes(req, res, url)) return;
    sendErrorPage(res, 404, 'Not found.');
  };

  return {
    url: publicUrl,
    endpoints: auth.endpoints,
    directory: fhir.directory,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
