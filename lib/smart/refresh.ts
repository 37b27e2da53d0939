import 'server-only';
import type { Env } from '../env';
import { AppError, isAppError } from '../errors';
import { processSingleton } from '../process-singleton';
import type { SmartConfiguration } from './discovery';
import type { EhrRegistration } from './registrations';
import type { LaunchSession } from './session';
import { oauthDepsFrom } from './oauth-client';
import { refreshTokens } from './tokens';

/**
 * Refresh this long before expiry, so a request never goes out with a token
 * about to lapse: a minute, or a quarter of a short-lived token's lifetime.
 */
const REFRESH_MARGIN_MS = 60_000;

/** One refresh in flight per launch: concurrent requests wait for the same one. */
const inFlight = processSingleton('token-refresh', () => new Map<string, Promise<LaunchSession>>());

export function needsRefresh(session: LaunchSession, now: number): boolean {
  if (session.expiresAt === undefined) return false;
  const lifetime =
    session.tokenObtainedAt === undefined ? Infinity : session.expiresAt - session.tokenObtainedAt;
  return session.expiresAt - now < Math.min(REFRESH_MARGIN_MS, lifetime / 4);
}

export interface RefreshDeps {
  readonly env: Env;
  /**
   * The access token the EHR just refused (a FHIR 401): renewed whatever its expiry says, unless the launch holds
   * another one by now (renewed meanwhile by a request of its own or another instance).
   */
  readonly rejected?: string;
  readonly discover: (reg: EhrRegistration) => Promise<SmartConfiguration>;
  readonly fetch?: typeof fetch;
  readonly now: number;
  /**
   * Serialises the refresh of one launch across app instances (a lock on the
   * launch in the shared store) and stores the result: `renew` gets the latest
   * session, refreshed meanwhile by another instance or not. Without it the
   * refresh is single-flight in this process only and the caller stores it.
   */
  readonly coordinate?: (
    launchId: string,
    renew: (latest: LaunchSession) => Promise<LaunchSession>,
  ) => Promise<LaunchSession>;
}

/**
 * Returns a session whose access token is good for at least a minute,
 * refreshing it when needed. Cerner-style servers return no new refresh token
 * on refresh: the old one is kept. Throws `session-expired` when refresh is
 * impossible (the EHR refused it, or the token expired with nothing to renew it), and `ehr-unavailable` when the
 * EHR could not be asked and the token has expired (or was refused); while it is still good, a refresh the EHR
 * could not answer leaves the session as it was.
 */
export async function ensureFreshToken(
  session: LaunchSession,
  reg: EhrRegistration,
  deps: RefreshDeps,
): Promise<LaunchSession> {
  if (!due(session, deps)) return session;
  if (!session.refreshToken) return renew(session, reg, deps);
  const running = inFlight.get(session.launchId);
  if (running) return running;
  const task = deps.coordinate
    ? deps.coordinate(session.launchId, (latest) => renew(latest, reg, deps))
    : renew(session, reg, deps);
  inFlight.set(session.launchId, task);
  // Keep new tokens briefly so requests racing the refresh reuse them. A refresh that failed, or that the EHR could
  // not answer (the old token kept), is forgotten at once: the next request asks the EHR again.
  const drop = () => {
    if (inFlight.get(session.launchId) === task) inFlight.delete(session.launchId);
  };
  const forget = () => setTimeout(drop, 5_000).unref();
  task.then((next) => (next.accessToken === session.accessToken ? drop() : forget()), drop);
  return task;
}

/** Whether the session's token is to be renewed now: near its expiry, or the one the EHR just refused. */
function due(session: LaunchSession, deps: RefreshDeps): boolean {
  return (
    needsRefresh(session, deps.now) || (deps.rejected !== undefined && session.accessToken === deps.rejected)
  );
}

/**
 * Whether a failed refresh says nothing of the refresh token: the token endpoint did not answer, answered 5xx, or
 * answered what is not a token response. A refusal (400 invalid_grant, 401 invalid_client: `launch-failed`) means
 * the EHR will not renew this launch.
 */
function transient(e: unknown): boolean {
  return isAppError(e) && (e.code === 'ehr-unavailable' || e.code === 'ehr-error');
}

/** Refreshes the session's tokens unless they are (by now) fresh enough. */
async function renew(
  session: LaunchSession,
  reg: EhrRegistration,
  deps: RefreshDeps,
): Promise<LaunchSession> {
  if (!due(session, deps)) return session;
  const refreshToken = session.refreshToken;
  if (!refreshToken) {
    if (session.expiresAt !== undefined && session.expiresAt <= deps.now) {
      throw new AppError(
        'session-expired',
        'Your session with the EHR has ended. Please relaunch the app from your EHR.',
      );
    }
    return session;
  }
  try {
    const config = await deps.discover(reg);
    const tokens = await refreshTokens(
      reg,
      config,
      refreshToken,
      oauthDepsFrom(deps.env, { fetch: deps.fetch }),
    );
    return {
      ...session,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? refreshToken,
      expiresAt: tokens.expires_in ? deps.now + tokens.expires_in * 1000 : undefined,
      tokenObtainedAt: deps.now,
      scope: tokens.scope ?? session.scope,
    };
  } catch (e) {
    if (transient(e)) {
      // The EHR's token endpoint is down or slow, not refusing: the launch goes on with its token while the EHR
      // still takes it, and is asked to renew it again on the next request.
      const stillGood =
        deps.rejected !== session.accessToken &&
        (session.expiresAt === undefined || session.expiresAt > deps.now);
      if (stillGood) return session;
      throw new AppError(
        'ehr-unavailable',
        'The EHR could not renew your session just now. Please try again in a moment.',
        { cause: e },
      );
    }
    throw new AppError(
      'session-expired',
      'Your session with the EHR could not be renewed. Please relaunch the app from your EHR.',
      { cause: e },
    );
  }
}
