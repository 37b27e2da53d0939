import 'server-only';
import * as oidc from 'openid-client';
import { z } from 'zod';
import type { AuditInput, AuditLog } from '../audit/types';
import type { Logger } from 'pino';
import type { RequestCounter } from '../http/request-limits';
import type { Env } from '../env';
import { AppError, isAppError } from '../errors';
import type { Vendor } from '../fhir/types';
import { clientAddress, isFramedNavigation, requestId } from '../http/request';
import { errorPage, errorPageFor, redirect } from '../http/responses';
import { appCookieName, readCookies, serializeCookie } from './cookies';
import { discover, supportsPkceS256, type SmartConfiguration } from './discovery';
import { verifyIdToken } from './id-token';
import { findById, findByIssuer, type EhrRegistration } from './registrations';
import { expectedIdTokenIssuer, oauthDepsFrom } from './oauth-client';
import { randomId, sealRecord, unsealRecord } from './seal';
import type { LaunchStore } from '../state/launch-store';
import { auditedOAuth } from './audited-oauth';
import { auditedPatient } from './audited-patient';
import { beginSession } from './end-launch';
import type { LaunchSession } from './session';
import { redirectToSignInError } from './sign-in-error';
import { authorizationUrl, exchangeCode } from './tokens';
import { fhirUserName } from './user-name';

/**
 * The SMART App Launch flow, on the server: /launch → EHR authorize →
 * /callback → token exchange → a sealed per-launch session → the chart.
 * Plain Request → Response functions, so tests drive them without Next.
 */

/** What every launch-time and request-time flow of the app works with. */
export interface AppDeps {
  readonly env: Env;
  readonly audit: AuditLog;
  readonly registrations: readonly EhrRegistration[];
  /** Open and ended launches, and used `state` values: shared by every instance. */
  readonly launches: LaunchStore;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  /** Structured log for event codes; never given tokens or patient data. */
  readonly log?: Logger;
  /**
   * How long a request the browser cancelled waits for a sign-out on its heels before it is
   * recorded as cancelled (default 2 s): a sign-out cancels the page's requests as it is sent.
   */
  readonly cancelGraceMs?: number;
  /**
   * A console account as its sessions stand now, for open-server launches (lib/open-server),
   * which the console account that opened them is all that authenticates. Without it such a
   * launch is refused.
   */
  readonly consoleAccount?: (
    userId: string,
  ) => Promise<{ readonly disabled: boolean; readonly sessionsEndedAt?: string } | undefined>;
  /** Counts refusals per address (lib/api/launch-guard.ts); by default the app's request counter. */
  readonly limiter?: RequestCounter;
}

export interface FlowDeps extends AppDeps {
  /** Token endpoint timeout (default 10 s). */
  readonly tokenTimeoutMs?: number;
  /** Resolves the vendor when a registration does not name it. */
  readonly detectVendor?: (config: SmartConfiguration) => Vendor;
  /** Limit on reading the clinician's name from their fhirUser resource (default 2 s). */
  readonly userNameTimeoutMs?: number;
}

const PENDING_PURPOSE = 'pending-authorization';
const PENDING_TTL_SECONDS = 600;
const PendingSchema = z.object({
  state: z.string(),
  regId: z.string(),
  verifier: z.string().optional(),
  mode: z.enum(['ehr', 'patient', 'provider']),
  framed: z.boolean(),
});

const PENDING_PREFIX = 'sc_pa_';
/** `__Host-` over https (cookies.ts `appCookieName`): a sibling subdomain cannot plant its own sign-in for a callback. */
const pendingCookie = (env: Env, state: string) => appCookieName(env, `${PENDING_PREFIX}${state}`);
/**
 * Sign-ins one browser may have under way at once. Each holds a cookie of about 400 bytes for ten minutes, and any
 * page can start one (an EHR launch is another site's navigation by design): without a bound, a page that starts a
 * few dozen fills the browser's Cookie header past what the server reads, and every request of the app, sign-out
 * included, is refused for ten minutes. The oldest give way.
 */
export const MAX_PENDING_SIGN_INS = 5;
const STATE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

async function audit(deps: FlowDeps, req: Request, input: Omit<AuditInput, 'sourceIp'>): Promise<void> {
  // Only codes and ids go to the log: never the user, the patient or the query.
  deps.log?.info(
    {
      event: input.action,
      outcome: input.outcome,
      reason: input.outcomeDesc,
      tenant: input.tenant,
      launchId: input.launchId,
      requestId: requestId(req),
    },
    'launch',
  );
  await deps.audit.record({ ...input, sourceIp: clientAddress(req, deps.env) });
}

/** Records a refusal; if even that fails, the refusal still stands (nothing was disclosed). */
async function auditRefusal(
  deps: FlowDeps,
  req: Request,
  input: Omit<AuditInput, 'sourceIp'>,
): Promise<void> {
  try {
    await audit(deps, req, input);
  } catch {
    // The audit store is down: the user still gets the refusal page, and no data.
    deps.log?.error({ event: 'audit-unavailable', during: input.action, requestId: requestId(req) }, 'audit');
  }
}

type PageRenderer = (
  status: number,
  title: string,
  message: string,
  headers?: HeadersInit,
) => Promise<Response>;
const renderPage: PageRenderer = async (status, title, message, headers) =>
  errorPage(status, title, message, headers);

/** A refused launch or callback: the refusal is recorded, and the page says what to do. */
async function refuseWith400(
  deps: FlowDeps,
  req: Request,
  outcome: AuditInput['outcome'],
  outcomeDesc: string,
  title: string,
  message: string,
  render: PageRenderer = renderPage,
  /** The EHR the refused sign-in was for, when this browser's own pending launch names it. */
  tenant = 'app',
): Promise<Response> {
  await auditRefusal(deps, req, { action: 'access-denied', outcome, outcomeDesc, tenant });
  return render(400, title, message);
}

/** The scopes a launch asks for: EHR launch, patient standalone, or a clinician signing in outside the EHR. */
function scopesFor(reg: EhrRegistration, mode: 'ehr' | 'patient' | 'provider'): string {
  return mode === 'ehr' ? reg.scopes : mode === 'provider' ? reg.providerScopes : reg.standaloneScopes;
}

const LaunchQuery = z.object({
  iss: z.string().max(2048).optional(),
  launch: z.string().min(1).max(4096).optional(),
  ehr: z.string().max(64).optional(),
  mode: z.enum(['patient', 'provider']).optional(),
});

export async function beginLaunch(req: Request, deps: FlowDeps): Promise<Response> {
  const url = new URL(req.url);
  const q = LaunchQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!q.success) {
    // An over-long `iss` is as much a forged launch as an unknown one: recorded alike.
    await auditRefusal(deps, req, {
      action: 'access-denied',
      outcome: '8',
      outcomeDesc: 'launch-malformed',
      tenant: 'app',
    });
    return errorPage(400, 'This launch link is not valid', 'The launch request has malformed parameters.');
  }
  const { iss, launch, ehr, mode } = q.data;

  let reg: EhrRegistration | undefined;
  let launchMode: 'ehr' | 'patient' | 'provider';
  if (iss !== undefined || launch !== undefined) {
    if (!iss || !launch) {
      return refuseWith400(
        deps,
        req,
        '4',
        !iss ? 'launch-without-iss' : 'iss-without-launch',
        'This launch link is incomplete',
        'An EHR launch needs both "iss" and "launch". Please relaunch from your EHR.',
      );
    }
    reg = findByIssuer(iss, deps.registrations);
    if (!reg) {
      // Which server claimed to launch the app, for the security review (sealed in the record, as queries are).
      await auditRefusal(deps, req, {
        action: 'access-denied',
        outcome: '8',
        outcomeDesc: 'unknown-issuer',
        tenant: 'app',
        query: `launch?iss=${encodeURIComponent(iss)}`,
      });
      return errorPage(
        400,
        'This EHR is not registered',
        'The EHR that sent you here is not registered with this app, so the launch was refused. Ask your administrator to register it.',
      );
    }
    launchMode = 'ehr';
  } else if (ehr) {
    reg = findById(ehr, deps.registrations);
    launchMode = mode ?? 'patient';
    if (!reg || !reg.standalone.includes(launchMode)) {
      await auditRefusal(deps, req, {
        action: 'access-denied',
        outcome: '4',
        outcomeDesc: 'unknown-ehr',
        tenant: 'app',
      });
      return errorPage(404, 'Unknown EHR', 'That EHR is not offered for sign-in here.');
    }
  } else {
    return redirect('/', 302);
  }

  if (reg.client.type === 'none') return redirect(`/open/${reg.id}`, 303);

  const tenant = reg.id;
  const refuseStart = async (outcomeDesc: string, e: unknown, title: string): Promise<Response> => {
    await auditRefusal(deps, req, { action: 'login', outcome: '8', outcomeDesc, tenant });
    return errorPageFor(e, title);
  };
  let config: SmartConfiguration;
  try {
    config = await discover(reg, { fetch: deps.fetch });
  } catch (e) {
    return refuseStart('discovery-failed', e, 'The EHR could not be reached');
  }

  const state = oidc.randomState();
  const usePkce = reg.pkce === 'S256' || supportsPkceS256(config);
  const verifier = usePkce ? oidc.randomPKCECodeVerifier() : undefined;
  const framed = isFramedNavigation(req);
  const pending = await sealRecord(
    { state, regId: reg.id, verifier, mode: launchMode, framed },
    deps.env.secrets.sessionSecret,
    PENDING_PURPOSE,
    PENDING_TTL_SECONDS,
  );

  const params: Record<string, string> = {
    response_type: 'code',
    redirect_uri: `${deps.env.APP_URL}/callback`,
    scope: scopesFor(reg, launchMode),
    state,
    aud: reg.issuer,
    ...(launch ? { launch } : {}),
    ...(verifier
      ? { code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }
      : {}),
  };
  let authorize: URL;
  try {
    authorize = await authorizationUrl(reg, config, params, oauthDepsFrom(deps.env));
  } catch (e) {
    return refuseStart('authorization-request-refused', e, 'Sign-in could not be started');
  }
  const headers = new Headers();
  for (const expired of await pendingBeyondBound(readCookies(req), deps, framed))
    headers.append('set-cookie', expired);
  headers.append(
    'set-cookie',
    serializeCookie(pendingCookie(deps.env, state), pending, {
      secure: deps.env.secureCookies,
      crossSite: framed,
      maxAgeSeconds: PENDING_TTL_SECONDS,
    }),
  );
  return redirect(authorize.toString(), 302, headers);
}

/**
 * Expiries for this browser's pending sign-in cookies beyond the newest MAX_PENDING_SIGN_INS - 1 (the new one makes
 * the bound), and for any that no longer open (expired, or sealed with another key). The sign-ins they held fail at
 * their callback as a state that does not match, and the clinician is asked to launch again.
 */
async function pendingBeyondBound(
  cookies: Map<string, string>,
  deps: FlowDeps,
  framed: boolean,
): Promise<string[]> {
  const own = appCookieName(deps.env, PENDING_PREFIX);
  const held = await Promise.all(
    [...cookies]
      .filter(([name]) => name.startsWith(own))
      .map(async ([name, value]) => {
        const record = await unsealRecord(value, deps.env.secrets.sessionSecret, PENDING_PURPOSE);
        const parsed = PendingSchema.safeParse(record);
        const issued = typeof record?.iat === 'number' ? record.iat : undefined;
        return { name, issued, framed: parsed.success ? parsed.data.framed : framed, opens: parsed.success };
      }),
  );
  const kept = new Set(
    held
      .filter((p) => p.opens && p.issued !== undefined)
      .sort((a, b) => b.issued! - a.issued! || a.name.localeCompare(b.name))
      .slice(0, MAX_PENDING_SIGN_INS - 1)
      .map((p) => p.name),
  );
  return held
    .filter((p) => !kept.has(p.name))
    .map((p) =>
      serializeCookie(p.name, '', { secure: deps.env.secureCookies, crossSite: p.framed, maxAgeSeconds: 0 }),
    );
}

const CallbackQuery = z.object({
  state: z.string().max(128).optional(),
  code: z.string().min(1).max(4096).optional(),
  error: z.string().max(256).optional(),
});

/**
 * RFC 9207: the authorization server names itself in its response (`iss`), so a response another server produced
 * (a mix-up among the registered EHRs) is refused before its code is sent anywhere. The name must be the issuer of
 * the EHR's metadata; it must be there when the metadata says the EHR sends it. The pending sign-in alone does not
 * prove this: it names the EHR the launch began with, not the one that answered.
 */
function responseIssuerProblem(config: SmartConfiguration, iss: readonly string[]): string | undefined {
  const sent = config.authorization_response_iss_parameter_supported === true;
  if (iss.length === 0) return sent ? 'iss-missing' : undefined;
  if (iss.length > 1) return 'iss-mismatch';
  if (config.issuer === undefined) return undefined;
  return iss[0] === config.issuer ? undefined : 'iss-mismatch';
}

export async function completeLaunch(req: Request, deps: FlowDeps): Promise<Response> {
  const now = deps.now?.() ?? Date.now();
  const url = new URL(req.url);
  // Every failure redirects to a page of its own, so the code and state leave the address bar.
  const framedRequest = isFramedNavigation(req);
  const page: PageRenderer = (status, title, message, headers) =>
    redirectToSignInError(deps.env, framedRequest, status, title, message, headers);
  const q = CallbackQuery.safeParse(Object.fromEntries(url.searchParams));
  const state = q.success ? q.data.state : undefined;
  if (!q.success || !state || !STATE_PATTERN.test(state)) {
    return refuseWith400(
      deps,
      req,
      '8',
      // A response with a state but malformed otherwise (an over-long code) is not one without a state.
      q.success || !url.searchParams.get('state') ? 'state-missing' : 'callback-malformed',
      'Sign-in could not be completed',
      'The sign-in response was missing its state. Please relaunch the app from your EHR.',
      page,
    );
  }
  const cookies = readCookies(req);
  const sealed = cookies.get(pendingCookie(deps.env, state));
  const pending = PendingSchema.safeParse(
    sealed ? await unsealRecord(sealed, deps.env.secrets.sessionSecret, PENDING_PURPOSE) : undefined,
  );
  // The browser that began this launch first: a callback URL seen elsewhere (a shared screen, a
  // log) opened in another browser must not use up the state of the one that began it.
  if (!pending.success || pending.data.state !== state) {
    return refuseWith400(
      deps,
      req,
      '8',
      'state-mismatch',
      'Sign-in could not be completed',
      'The sign-in response does not match a launch from this browser. Please relaunch the app from your EHR.',
      page,
    );
  }
  let firstUse: boolean;
  try {
    firstUse = await deps.launches.claimState(state, now + PENDING_TTL_SECONDS * 1000);
  } catch {
    deps.log?.error({ event: 'state-unavailable', requestId: requestId(req) }, 'launch store');
    return page(
      503,
      'Sign-in could not be completed',
      'The app cannot complete sign-in right now. Please try again shortly.',
    );
  }
  if (!firstUse) {
    return refuseWith400(
      deps,
      req,
      '8',
      'state-replayed',
      'Sign-in could not be completed',
      'This sign-in response was already used. Please relaunch the app from your EHR.',
      page,
      // The browser's own pending launch names the EHR: the refusal is filed under it (the console's alerts by EHR).
      findById(pending.data.regId, deps.registrations)?.id ?? 'app',
    );
  }
  const p = pending.data;
  const clearPending = serializeCookie(pendingCookie(deps.env, state), '', {
    secure: deps.env.secureCookies,
    crossSite: p.framed,
    maxAgeSeconds: 0,
  });
  const reg = findById(p.regId, deps.registrations);
  if (!reg || reg.client.type === 'none') {
    return page(400, 'Sign-in could not be completed', 'The EHR of this launch is no longer registered.', {
      'set-cookie': clearPending,
    });
  }
  const fail = async (outcomeDesc: string, e: unknown, title: string): Promise<Response> => {
    await auditRefusal(deps, req, { action: 'login', outcome: '8', outcomeDesc, tenant: reg.id });
    const err = isAppError(e) ? e : new AppError('internal', 'Something went wrong. Please try again.');
    return page(err.status, title, err.userMessage, { 'set-cookie': clearPending });
  };

  if (q.data.error) {
    await auditRefusal(deps, req, {
      action: 'login',
      outcome: '4',
      outcomeDesc: `authorization-error:${q.data.error.replace(/[^a-z_]/gi, '').slice(0, 40)}`,
      tenant: reg.id,
    });
    const denied = q.data.error === 'access_denied';
    return page(
      denied ? 403 : 400,
      denied ? 'Access was not granted' : 'Sign-in was refused',
      denied
        ? 'The EHR did not grant this app access. Relaunch and approve access to continue.'
        : 'The EHR refused the sign-in request. Please relaunch the app from your EHR.',
      { 'set-cookie': clearPending },
    );
  }
  if (!q.data.code)
    return fail(
      'code-missing',
      new AppError('launch-failed', 'The EHR sent no authorization code.'),
      'Sign-in could not be completed',
    );

  try {
    const config = await discover(reg, { fetch: deps.fetch });
    const mixedUp = responseIssuerProblem(config, url.searchParams.getAll('iss'));
    if (mixedUp)
      return await fail(
        mixedUp,
        new AppError(
          'bad-request',
          'The sign-in response did not come from the EHR this launch was started with. Please relaunch the app from your EHR.',
        ),
        'Sign-in could not be completed',
      );
    const clientId = reg.client.clientId;
    const tokens = await exchangeCode(
      reg,
      config,
      { code: q.data.code, state, redirectUri: `${deps.env.APP_URL}/callback`, codeVerifier: p.verifier },
      oauthDepsFrom(deps.env, { fetch: deps.fetch, timeoutMs: deps.tokenTimeoutMs }),
    );
    const wantsOpenId = (tokens.scope ?? scopesFor(reg, p.mode)).split(' ').includes('openid');
    if (wantsOpenId && !tokens.id_token)
      throw new AppError('launch-failed', 'The EHR did not send the identity token this app asked for.');
    const identity = tokens.id_token
      ? await verifyIdToken(tokens.id_token, config, {
          clientId,
          fhirBase: reg.issuer,
          issuer: expectedIdTokenIssuer(reg, config),
        })
      : undefined;
    // A clinician signing in outside the EHR may get no patient (Epic, Medplum): the app's own search
    // finds one. Any other launch without a patient cannot go on.
    if (!tokens.patient && p.mode !== 'provider') {
      throw new AppError(
        'launch-failed',
        'The EHR did not say which patient this launch is for. Please relaunch with a patient selected.',
      );
    }
    const vendor = reg.vendor ?? deps.detectVendor?.(config) ?? 'generic';
    // The name from the id_token; else, once per launch, from the fhirUser resource (./user-name.ts).
    const userName =
      identity?.name ??
      (identity?.fhirUser && tokens.access_token
        ? await fhirUserName({
            fhirUser: identity.fhirUser,
            fhirBase: reg.issuer,
            accessToken: tokens.access_token,
            scope: tokens.scope ?? scopesFor(reg, p.mode),
            ...(deps.fetch ? { fetch: deps.fetch } : {}),
            ...(deps.userNameTimeoutMs ? { timeoutMs: deps.userNameTimeoutMs } : {}),
            ...(deps.log ? { log: deps.log } : {}),
          })
        : undefined);
    const session: LaunchSession = {
      launchId: randomId(),
      sid: randomId(12),
      regId: reg.id,
      iss: reg.issuer,
      vendor,
      ...(tokens.patient ? { patient: tokens.patient } : {}),
      encounter: tokens.encounter,
      user: identity?.fhirUser,
      userName,
      ...(identity ? { idIssuer: identity.issuer, idSubject: identity.subject } : {}),
      needPatientBanner: tokens.need_patient_banner ?? true,
      mode: p.mode,
      styleUrl: tokens.smart_style_url,
      framed: p.framed,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: tokens.expires_in ? now + tokens.expires_in * 1000 : undefined,
      tokenObtainedAt: now,
      scope: tokens.scope ?? '',
      createdAt: now,
      lastSeenAt: now,
    };
    await audit(deps, req, {
      action: 'login',
      outcome: '0',
      tenant: reg.id,
      user: session.user,
      ...(session.userName ? { userName: session.userName } : {}),
      ...(session.patient !== undefined ? { patient: auditedPatient(reg.issuer, session.patient) } : {}),
      sessionId: session.sid,
      launchId: session.launchId,
      detail: p.mode,
      ...auditedOAuth(session, reg),
    });
    const headers = new Headers();
    headers.append('set-cookie', clearPending);
    for (const c of await beginSession(session, deps, cookies, now, clientAddress(req, deps.env)))
      headers.append('set-cookie', c);
    return redirect(`/chart/${session.launchId}`, 303, headers);
  } catch (e) {
    const code = e instanceof AppError ? e.code : 'internal';
    return fail(`token-exchange-failed:${code}`, e, 'Sign-in could not be completed');
  }
}
