import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { appendFailureCode } from '../audit/errors';
import type { AuditInput } from '../audit/types';
import { consoleUserIdOf } from '../console/console-audit';
import { accountAcceptsSession } from '../console/session-policy';
import { AppError, isAppError } from '../errors';
import { isFhirRequestError } from '../fhir/errors';
import type { FhirContext } from '../fhir/types';
import { clientAddress, requestId } from '../http/request';
import { jsonError, jsonResponse } from '../http/responses';
import { auditedPatient } from '../smart/audited-patient';
import { auditedOAuth } from '../smart/audited-oauth';
import { recordRefusal } from './refusals';
import { readCookies } from '../smart/cookies';
import type { AppDeps } from '../smart/launch-flow';
import { discover } from '../smart/discovery';
import { ensureFreshToken } from '../smart/refresh';
import { fhirServerConfig, findById, type EhrRegistration } from '../smart/registrations';
import {
  clearSessionCookie,
  isLaunchId,
  isBound,
  readSession,
  renewLocked,
  launchCookieName,
  type BoundSession,
  type SessionState,
  type LaunchSession,
} from '../smart/session';

/**
 * Every route that discloses patient data goes through here: the launch's
 * session (idle and absolute limits), the patient it is bound to, a fresh
 * token, then the work, then the audit record — and only once that record is
 * committed does any patient data leave the server.
 */

export type RouteDeps = AppDeps;

export interface LaunchRequest<S extends LaunchSession = BoundSession> {
  readonly session: S;
  readonly registration: EhrRegistration;
  readonly fhir: FhirContext;
  /** The audited reference of the launch's patient (absent while none is chosen). */
  readonly patientReference: S extends BoundSession ? string : string | undefined;
}

/**
 * What a route discloses, for the audit record. `patient` is the launch's own
 * unless a disclosure names another (a patient search records each patient returned).
 */
export type Disclosure = Pick<
  AuditInput,
  'action' | 'resourceTypes' | 'resourceRefs' | 'query' | 'detail' | 'patient' | 'patientIdentity'
>;

export interface RouteResult {
  readonly body: unknown;
  /** One record, or one per patient disclosed; every one is committed before the body leaves. */
  readonly disclosure: Disclosure | readonly Disclosure[];
  readonly status?: number;
}

function setCookies(values: readonly string[]): Headers {
  const headers = new Headers();
  for (const v of values) headers.append('set-cookie', v);
  return headers;
}

const SESSION_ENDED = 'Your session has ended. Please relaunch the app from your EHR.';

function sessionAudit(
  session: LaunchSession,
  reg: Pick<EhrRegistration, 'id' | 'issuer'> & { readonly client?: EhrRegistration['client'] },
  req: { readonly sourceIp: string; readonly requestId: string | undefined },
) {
  return {
    tenant: reg.id,
    user: session.user,
    ...(session.patient !== undefined ? { patient: auditedPatient(reg.issuer, session.patient) } : {}),
    sessionId: session.sid,
    launchId: session.launchId,
    sourceIp: req.sourceIp,
    // BALP: the request the logs name, and the OAuth client the EHR issued the token to (never the token).
    ...(req.requestId ? { requestId: req.requestId } : {}),
    ...auditedOAuth(session, reg),
  } as const;
}

/** The FHIR request a failed attempt was making, when the EHR's error names it: a failure records its query too. */
function attemptedRequest(e: unknown): Pick<AuditInput, 'query' | 'resourceTypes'> {
  const query = isFhirRequestError(e) ? e.query : undefined;
  if (query === undefined) return {};
  const type = /^([A-Z][A-Za-z]+)(?:[/?]|$)/.exec(query)?.[1];
  return { query, ...(type ? { resourceTypes: [type] } : {}) };
}

const CANCEL_GRACE_MS = 2_000;
/** A launch's cookie used this long after the launch ended is recorded as refused (openActiveLaunch). */
const LATE_AFTER_END_MS = 60_000;
const CANCEL_POLL_MS = 200;

/** When the launch ended, if it did (undefined too when the store cannot say). */
async function endedAt(launchId: string, deps: RouteDeps): Promise<number | undefined> {
  const [summary] = await deps.launches.summaries([launchId]).catch(() => []);
  return summary?.endedAt;
}

/** True once the launch is ended, checked every 200 ms for up to `ms`. */
async function endsWithin(launchId: string, deps: RouteDeps, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += CANCEL_POLL_MS) {
    await sleep(Math.min(CANCEL_POLL_MS, ms - waited));
    if (await deps.launches.isEnded(launchId).catch(() => false)) return true;
  }
  return false;
}

/** Moves the launch's idle clock; the answer to send instead when it was signed out or cannot be checked. */
export async function touchLaunch(
  launchId: string,
  deps: RouteDeps,
  now: number,
): Promise<Response | undefined> {
  let live: boolean;
  try {
    live = await deps.launches.touch(launchId, now);
  } catch {
    return jsonError(
      new AppError('unavailable', 'The app cannot check your session right now. Please try again shortly.'),
    );
  }
  return live ? undefined : signedOut();
}

/** Why a launch ended, as its user is told at their next request (the launch store keeps the reason). */
const ENDED_BECAUSE: Readonly<Record<string, string>> = {
  'idle-timeout': `You were signed out of this chart after a period of inactivity. ${SESSION_ENDED}`,
  expired: `This chart reached the time limit of a session. ${SESSION_ENDED}`,
  // lib/smart/end-launch.ts: the browser opened more charts than it keeps.
  displaced: `This chart was closed because many newer charts were opened in this browser. ${SESSION_ENDED}`,
  // The EHR refused to renew the launch's access (its refresh token revoked or expired).
  'token-refresh-failed': `The EHR no longer accepts this chart’s sign-in. ${SESSION_ENDED}`,
  // An open-server chart (lib/open-server): opened from the console, not the EHR.
  'console-session-ended':
    'Your audit console session has ended, and with it this chart. Sign in to the console to open it again.',
};

/** The answer to a request for a launch that has ended: why it ended, as far as the store says. */
function signedOut(reason?: string, headers?: Headers): Response {
  const message =
    (reason !== undefined ? ENDED_BECAUSE[reason] : undefined) ??
    `You signed out of this chart. ${SESSION_ENDED}`;
  return jsonError(new AppError('session-expired', message), headers);
}

/**
 * A request another site made to a launch's route (sign-out, keep-alive, a view report, choosing
 * or searching the patient, reading chart data): refused, and recorded as the attempted forgery it is.
 */
export async function refuseCrossSite(req: Request, launchId: string, deps: RouteDeps): Promise<Response> {
  await recordRefusal(deps, {
    action: 'access-denied',
    outcome: '8',
    outcomeDesc: 'cross-site-request',
    tenant: 'app',
    ...(isLaunchId(launchId) ? { launchId } : {}),
    sourceIp: clientAddress(req, deps.env),
    requestId: requestId(req),
  });
  return jsonError(new AppError('forbidden', 'Cross-site requests are not accepted.'));
}

/** Runs a data route for a launch bound to its patient; a launch without one is refused. */
export function withLaunch(
  req: Request,
  launchId: string,
  deps: RouteDeps,
  run: (ctx: LaunchRequest) => Promise<RouteResult>,
): Promise<Response> {
  return guard(req, launchId, deps, (ctx) => {
    if (!isBound(ctx.session)) throw new AppError('forbidden', 'Choose a patient for this launch first.');
    return run(ctx as LaunchRequest);
  });
}

/** Runs a route that a launch may use before its patient is chosen (finding and choosing the patient). */
export function withUnboundLaunch(
  req: Request,
  launchId: string,
  deps: RouteDeps,
  run: (ctx: LaunchRequest<LaunchSession>) => Promise<RouteResult>,
): Promise<Response> {
  return guard(req, launchId, deps, run);
}

/** Records a refusal; refusals carry no patient data, so one stands even when it cannot be recorded. */
function recorder(deps: RouteDeps): (input: AuditInput) => Promise<void> {
  return async (input) => {
    try {
      await deps.audit.record(input);
    } catch {
      /* the refusal stands */
    }
  };
}

/**
 * The launch's session if it is active, else the answer the browser gets: no
 * session (recorded as a denied access, unless the launch ended within the
 * minute), signed out, or past the idle or absolute limit (recorded as a
 * session timeout, and the launch ended).
 */
export async function openActiveLaunch(
  req: Request,
  launchId: string,
  deps: RouteDeps,
  now: number,
): Promise<Response | { readonly session: LaunchSession; readonly registration: EhrRegistration }> {
  const sourceIp = clientAddress(req, deps.env);
  const safeRecord = recorder(deps);
  let state: SessionState;
  try {
    state = await readSession(readCookies(req), launchId, deps, now);
  } catch {
    deps.log?.error({ event: 'state-unavailable', requestId: requestId(req) }, 'launch store');
    return jsonError(
      new AppError('unavailable', 'The app cannot check your session right now. Please try again shortly.'),
    );
  }
  if (state.status === 'none') {
    // A request of a tab that crossed the sign-out of another (which clears every launch cookie of the browser)
    // goes without its cookie. Within a minute of the launch's end, as with the cookie (below), that is no attempt
    // to record: the ending was recorded, and the answer says signed out.
    const ended = isLaunchId(launchId) ? await endedAt(launchId, deps) : undefined;
    if (ended !== undefined && now - ended <= LATE_AFTER_END_MS) return signedOut();
    await recordRefusal(deps, {
      action: 'access-denied',
      outcome: '4',
      outcomeDesc: 'no-session',
      tenant: 'app',
      // Only a well-formed launch id reaches the audit record; anything else is recorded as absent.
      ...(isLaunchId(launchId) ? { launchId } : {}),
      sourceIp,
    });
    return jsonError(new AppError('session-expired', SESSION_ENDED));
  }
  if (state.status === 'ended') {
    // The launch's own cookie after its end. Within a minute of it, the page's own requests that crossed the
    // sign-out (the ending itself was recorded). Later, a tab left behind or a cookie replayed: recorded under the
    // launch as a refusal (rate-limited like the others).
    if (now - state.endedAt <= LATE_AFTER_END_MS) return signedOut(state.reason);
    const reg = findById(state.session.regId, deps.registrations) ?? {
      id: state.session.regId,
      issuer: state.session.iss,
    };
    await recordRefusal(deps, {
      ...sessionAudit(state.session, reg, { sourceIp, requestId: requestId(req) }),
      action: 'access-denied',
      outcome: '4',
      outcomeDesc: 'launch-ended',
    });
    return signedOut(state.reason);
  }
  if (state.status === 'active') {
    const ended = await endedWithConsoleSession(req, state.session, deps, now);
    if (ended) return ended;
  }
  const registration = findById(state.session.regId, deps.registrations);
  if (state.status !== 'active' || !registration) {
    const reg = registration ?? { id: state.session.regId, issuer: state.session.iss };
    await safeRecord({
      ...sessionAudit(state.session, reg, { sourceIp, requestId: requestId(req) }),
      action: 'session-timeout',
      outcome: '0',
      detail: state.status,
    });
    await deps.launches.end(launchId, now, state.status).catch(() => undefined);
    return jsonError(
      new AppError('session-expired', SESSION_ENDED),
      setCookies([clearSessionCookie(state.session, deps.env)]),
    );
  }
  return { session: state.session, registration };
}

/**
 * The chart page opened without an active launch, treated as the data routes treat such a request: a launch past
 * its limits is ended and recorded; a handle that opens no launch, and a launch's own cookie used well after its
 * end, are recorded as refused. A browser with no handle for the launch at all (the chart's address opened again
 * after its sign-out cleared it: history, a bookmark) has nothing to record. Never throws: the page says the
 * session ended either way.
 */
export async function recordChartPageWithoutLaunch(
  req: Request,
  launchId: string,
  state: SessionState,
  deps: RouteDeps,
  now: number,
): Promise<void> {
  if (state.status === 'active') return;
  if (state.status === 'none' && !readCookies(req).has(launchCookieName(deps.env, launchId))) return;
  try {
    await openActiveLaunch(req, launchId, deps, now);
  } catch {
    /* the page says the session ended either way */
  }
}

/**
 * An open-server launch has no EHR token: the console account that opened it
 * is all that authenticates it. It lasts only while that account may still
 * use the console (not disabled, not signed out and its sessions not ended by
 * an admin since the launch began), read on every request from the account
 * store that every instance shares. The answer to send when it may not;
 * undefined for any other launch.
 */
async function endedWithConsoleSession(
  req: Request,
  session: LaunchSession,
  deps: RouteDeps,
  now: number,
): Promise<Response | undefined> {
  const userId = consoleUserIdOf(session.user);
  if (userId === undefined) return undefined;
  let account: Awaited<ReturnType<NonNullable<RouteDeps['consoleAccount']>>>;
  try {
    account = await deps.consoleAccount?.(userId);
  } catch {
    deps.log?.error({ event: 'state-unavailable', requestId: requestId(req) }, 'console accounts');
    return jsonError(
      new AppError('unavailable', 'The app cannot check your session right now. Please try again shortly.'),
    );
  }
  if (accountAcceptsSession(account, session.createdAt)) return undefined;
  if (await deps.launches.end(session.launchId, now, 'console-session-ended').catch(() => false)) {
    await recorder(deps)({
      ...sessionAudit(
        session,
        findById(session.regId, deps.registrations) ?? { id: session.regId, issuer: session.iss },
        {
          sourceIp: clientAddress(req, deps.env),
          requestId: requestId(req),
        },
      ),
      action: 'logout',
      outcome: '0',
      detail: 'console-session-ended',
    });
  }
  return signedOut('console-session-ended', setCookies([clearSessionCookie(session, deps.env)]));
}

/** Whether the EHR refused the request's access token (FHIR 401). */
function tokenRefused(e: unknown): boolean {
  return isFhirRequestError(e) && e.kind === 'http' && e.httpStatus === 401;
}

/**
 * The launch's session with a token good for the request: renewed near its expiry, or (`rejected`) because the EHR
 * just refused it. A renewal the EHR refuses ends the launch, recorded; one it could not answer ends nothing (the
 * answer says to try again); either way the answer to send instead.
 */
async function freshSession(
  req: Request,
  session: LaunchSession,
  registration: EhrRegistration,
  deps: RouteDeps,
  now: number,
  rejected?: string,
): Promise<LaunchSession | Response> {
  const launchId = session.launchId;
  try {
    return await ensureFreshToken(session, registration, {
      env: deps.env,
      discover: (r) => discover(r, { fetch: deps.fetch }),
      fetch: deps.fetch,
      now,
      ...(rejected !== undefined ? { rejected } : {}),
      // One instance refreshes a launch at a time; the others wait and reuse its tokens.
      coordinate: (id, renew) => renewLocked(id, deps, now, renew),
    });
  } catch (e) {
    if (isAppError(e) && e.code === 'unavailable') return jsonError(e);
    // Signing out revokes the token: a refresh racing it fails, and that is no failure to record.
    if (await deps.launches.isEnded(launchId).catch(() => false)) return signedOut();
    const base = sessionAudit(session, registration, {
      sourceIp: clientAddress(req, deps.env),
      requestId: requestId(req),
    });
    if (isAppError(e) && e.code === 'ehr-unavailable') {
      // The EHR could not be asked to renew the token: this request failed, the launch goes on.
      deps.log?.warn(
        { event: 'token-refresh-unavailable', launchId, requestId: requestId(req) },
        'chart data',
      );
      await recorder(deps)({
        ...base,
        action: 'patient-query',
        outcome: '8',
        outcomeDesc: 'token-refresh-unavailable',
      });
      return jsonError(e);
    }
    deps.log?.warn({ event: 'token-refresh-refused', launchId, requestId: requestId(req) }, 'chart data');
    await recorder(deps)({
      ...base,
      action: 'session-timeout',
      outcome: '4',
      outcomeDesc: 'token-refresh-failed',
    });
    await deps.launches.end(launchId, now, 'token-refresh-failed').catch(() => undefined);
    return jsonError(e, setCookies([clearSessionCookie(session, deps.env)]));
  }
}

async function guard(
  req: Request,
  launchId: string,
  deps: RouteDeps,
  run: (ctx: LaunchRequest<LaunchSession>) => Promise<RouteResult>,
): Promise<Response> {
  const now = deps.now?.() ?? Date.now();
  const sourceIp = clientAddress(req, deps.env);
  const safeRecord = recorder(deps);
  const opened = await openActiveLaunch(req, launchId, deps, now);
  if (opened instanceof Response) return opened;
  const { registration, session: opening } = opened;
  const base = sessionAudit(opening, registration, { sourceIp, requestId: requestId(req) });
  const askedPatients = new URL(req.url).searchParams.getAll('patient');
  // Every `patient` parameter must name the launch's patient: `?patient=<own>&patient=<other>` is refused too.
  if (askedPatients.some((p) => p !== opening.patient)) {
    await safeRecord({
      ...base,
      action: 'access-denied',
      outcome: '8',
      outcomeDesc: 'patient-not-in-launch-context',
    });
    return jsonError(
      new AppError(
        'forbidden',
        'This launch is for a different patient. Relaunch from your EHR for this patient.',
      ),
    );
  }

  const renewed = await freshSession(req, opening, registration, deps, now);
  if (renewed instanceof Response) return renewed;
  // The patient is the launch store's (bound once, never resealed with the tokens).
  const withPatient = (s: LaunchSession): LaunchSession => ({
    ...s,
    ...(opening.patient !== undefined ? { patient: opening.patient } : {}),
    lastSeenAt: now,
  });
  let session = withPatient(renewed);
  // What follows is done with the token just checked (perhaps just renewed): its records name that token.
  let fresh = { ...base, ...auditedOAuth(session, registration) };
  const fhir: FhirContext = {
    server: fhirServerConfig(registration, session.vendor),
    accessToken: session.accessToken,
    patientId: session.patient ?? '',
    launchId,
    signal: req.signal,
    fetch: deps.fetch,
  };

  let result: RouteResult;
  try {
    try {
      result = await run({ session, registration, fhir, patientReference: base.patient });
    } catch (e) {
      // The EHR refused a token the clock says is good (revoked, the EHR restarted, clocks apart): renewed once,
      // and the work done again with the new one. Reads only, so doing it again discloses nothing twice.
      if (!tokenRefused(e) || session.refreshToken === undefined || req.signal.aborted) throw e;
      const again = await freshSession(req, session, registration, deps, now, session.accessToken);
      if (again instanceof Response) return again;
      session = withPatient(again);
      fresh = { ...base, ...auditedOAuth(session, registration) };
      result = await run({
        session,
        registration,
        fhir: { ...fhir, accessToken: session.accessToken },
        patientReference: base.patient,
      });
    }
  } catch (e) {
    if (await deps.launches.isEnded(launchId).catch(() => false)) return signedOut();
    if (req.signal.aborted) {
      // Signing out cancels the page's requests as it is sent, and the cancellations may arrive first:
      // a request cancelled by the sign-out is the sign-out's, and records nothing of its own.
      if (await endsWithin(launchId, deps, deps.cancelGraceMs ?? CANCEL_GRACE_MS)) return signedOut();
      // The browser went away (another page, a closed tab) and its request's EHR reads were cancelled with it:
      // nothing was disclosed, and the EHR is not at fault.
      deps.log?.info({ event: 'request-cancelled', launchId, requestId: requestId(req) }, 'chart data');
      await safeRecord({
        ...fresh,
        ...attemptedRequest(e),
        action: 'patient-query',
        outcome: '4',
        outcomeDesc: 'fetch-cancelled',
      });
      return jsonError(e);
    }
    const code = isAppError(e) ? e.code : 'internal';
    deps.log?.warn(
      { event: 'fetch-failed', errorCode: code, launchId, requestId: requestId(req) },
      'chart data',
    );
    await safeRecord(
      code === 'forbidden'
        ? {
            ...fresh,
            ...attemptedRequest(e),
            action: 'access-denied',
            outcome: '8',
            outcomeDesc: e instanceof AppError ? e.message : code,
          }
        : {
            ...fresh,
            ...attemptedRequest(e),
            action: 'patient-query',
            outcome: '8',
            outcomeDesc: `fetch-failed:${code}`,
          },
    );
    return jsonError(e);
  }

  // Nothing leaves for a launch that was signed out while this request ran.
  const refused = await touchLaunch(launchId, deps, now);
  if (refused) return refused;

  try {
    const disclosures = Array.isArray(result.disclosure) ? result.disclosure : [result.disclosure];
    // Submitted together, so the store commits them as one batch (group commit).
    await Promise.all(
      (disclosures as readonly Disclosure[]).map((d) => deps.audit.record({ ...fresh, ...d, outcome: '0' })),
    );
  } catch (e) {
    // Fail closed: without a committed audit record no patient data leaves the server. The log says why, by code.
    deps.log?.error(
      { event: 'audit-unavailable', launchId, requestId: requestId(req), cause: appendFailureCode(e) },
      'disclosure withheld',
    );
    return jsonError(
      new AppError(
        'audit-unavailable',
        'Patient data is unavailable because the audit log cannot record access right now.',
      ),
    );
  }
  return jsonResponse(result.body, result.status ?? 200);
}
