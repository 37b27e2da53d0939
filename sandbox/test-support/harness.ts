/**
 * Tests only: starts a sandbox on an ephemeral port with a small fixed directory and a stand-in
 * "app" server that publishes the private_key_jwt client's JWKS, and drives SMART flows.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { loadSandboxConfig } from '../config';
import type { DirectoryPatient, DirectoryPractitioner, Personality, TokenValidator } from '../contract';
import { startSandbox, type FhirBackend, type RunningSandbox } from '../server';
import {
  CookieJar,
  authorizeUrl,
  createPkce,
  follow,
  get,
  postForm,
  type AuthorizeOutcome,
  type Pkce,
} from './oauth-client';
import { createDefaultBackend } from '../default-backend';

export const TEST_SECRET = 'test-secret-0123456789';

export interface Harness {
  readonly sandbox: RunningSandbox;
  readonly appUrl: string;
  readonly redirectUri: string;
  readonly appPrivateKey: CryptoKey;
  readonly appKid: string;
  /** Two distinct patients and a clinician from the sandbox's synthetic directory. */
  readonly patientA: DirectoryPatient;
  readonly patientB: DirectoryPatient;
  readonly practitioner: DirectoryPractitioner;
  /** The validator the FHIR server was given, to inspect what a token stands for. */
  readonly validateToken: TokenValidator;
  readonly close: () => Promise<void>;
}

let backendOnce: Promise<FhirBackend> | undefined;

/** The synthetic data set is deterministic and read-only, so one per test file is enough. */
function sharedBackend(): Promise<FhirBackend> {
  backendOnce ??= createDefaultBackend({ largePatient: false });
  return backendOnce;
}

export interface HarnessOptions {
  /** More public keys for the stand-in app to publish (e.g. the chart app's own key in integration tests). */
  readonly extraAppKeys?: readonly JWK[];
  /** Another data set than the shared small one (e.g. with the 20,000-Observation patient). */
  readonly data?: { readonly largePatient?: boolean; readonly bundlesDir?: string };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { privateKey, publicKey } = await generateKeyPair('RS384');
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-app-key', alg: 'RS384', use: 'sig' };
  const keys = [publicJwk, ...(options.extraAppKeys ?? [])];
  const app: Server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json')
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  const config = loadSandboxConfig({
    SANDBOX_PORT: '0',
    SANDBOX_APP_URL: appUrl,
    SANDBOX_CLIENT_SECRET: TEST_SECRET,
  });
  const backend = options.data
    ? await createDefaultBackend({ largePatient: false, ...options.data })
    : await sharedBackend();
  let validateToken: TokenValidator | undefined;
  const sandbox = await startSandbox(config, {
    directory: backend.directory,
    createFhirHandler: (options) => {
      // The personality bases get the authorization server's validator (the open base has its own).
      if (options.baseUrl.endsWith(`/${options.personality}/fhir`)) validateToken = options.validateToken;
      return backend.createFhirHandler(options);
    },
  });
  const [patientA, patientB] = backend.directory.patients;
  const [practitioner] = backend.directory.practitioners;
  if (!patientA || !patientB || !practitioner || !validateToken)
    throw new Error('the sandbox directory needs two patients and a clinician');
  return {
    sandbox,
    appUrl,
    redirectUri: `${appUrl}/callback`,
    appPrivateKey: privateKey,
    appKid: 'test-app-key',
    patientA,
    patientB,
    practitioner,
    validateToken,
    close: async () => {
      await sandbox.close();
      await new Promise<void>((resolve) => app.close(() => resolve()));
    },
  };
}

export function fhirBaseOf(harness: Harness, personality: Personality): string {
  return `${harness.sandbox.url}/${personality}/fhir`;
}

/** Runs the non-interactive EHR launch and returns the launch code the app would receive. */
export async function ehrLaunchCode(
  harness: Harness,
  query: Record<string, string>,
): Promise<{ iss: string; launch: string }> {
  const response = await fetch(`${harness.sandbox.url}/launch/ehr?${new URLSearchParams(query)}`, {
    redirect: 'manual',
  });
  const location = new URL(response.headers.get('location') ?? '');
  return { iss: location.searchParams.get('iss') ?? '', launch: location.searchParams.get('launch') ?? '' };
}

export interface FlowOptions {
  readonly clientId?: string;
  readonly scope: string;
  readonly aud: string;
  readonly launch?: string;
  readonly jar?: CookieJar;
  readonly pkce?: Pkce | null;
}

/** Authorization request through to the redirect back to the app (or a sandbox page). */
export async function authorize(
  harness: Harness,
  options: FlowOptions,
): Promise<{ outcome: AuthorizeOutcome; pkce?: Pkce; jar: CookieJar }> {
  const jar = options.jar ?? new CookieJar();
  const pkce = options.pkce === null ? undefined : (options.pkce ?? createPkce());
  const url = authorizeUrl(
    {
      authorizeUrl: harness.sandbox.endpoints.authorize,
      clientId: options.clientId ?? 'smart-chart',
      redirectUri: harness.redirectUri,
      scope: options.scope,
      aud: options.aud,
      ...(options.launch ? { launch: options.launch } : {}),
      ...(pkce ? { pkce } : {}),
    },
    'state-123',
  );
  return { outcome: await follow(url, jar, harness.redirectUri), ...(pkce ? { pkce } : {}), jar };
}

export function codeOf(outcome: AuthorizeOutcome): string {
  if (outcome.kind !== 'redirect')
    throw new Error(`expected a redirect to the app, got a page (${outcome.response.status})`);
  const code = outcome.params.get('code');
  if (!code) throw new Error(`authorization failed: ${outcome.params.get('error') ?? 'no code'}`);
  return code;
}

export async function exchangePublic(harness: Harness, code: string, verifier: string) {
  return postForm(harness.sandbox.endpoints.token, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: harness.redirectUri,
    client_id: 'smart-chart',
    code_verifier: verifier,
  });
}

/** EHR launch with the public client, returning the token response. */
export async function launchAndExchange(
  harness: Harness,
  personality: Personality,
  patient: string,
  scope: string,
  /** More launch parameters, such as `faults`. */
  extra: Record<string, string> = {},
) {
  const { iss, launch } = await ehrLaunchCode(harness, {
    practitioner: harness.practitioner.id,
    patient,
    personality,
    banner: '1',
    ...extra,
  });
  const { outcome, pkce } = await authorize(harness, { scope, aud: iss, launch });
  return exchangePublic(harness, codeOf(outcome), pkce!.verifier);
}

export async function fhirGet(url: string, accessToken: string): Promise<number> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
  await response.body?.cancel();
  return response.status;
}

export { get };
