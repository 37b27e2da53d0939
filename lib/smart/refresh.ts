import 'server-only';
import type { Env } from '../env';
import { AppError } from '../errors';
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
 * impossible.
 */
export async function ensureFreshToken(
  session: LaunchSession,
  reg: EhrRegistration,
  deps: RefreshDeps,
): Promise<LaunchSession> {
  if (!needsRefresh(session, deps.now)) return session;
  if (!session.refreshToken) return renew(session, reg, deps);
  const running = inFlight.get(session.launchId);
  if (running) return running;
  const task = deps.coordinate
    ? deps.coordinate(session.launchId, (latest) => renew(latest, reg, deps))
    : renew(session, reg, deps);
  inFlight.set(session.launchId, task);
  // Keep the result briefly so requests racing the refresh reuse it.
  const forget = () => setTimeout(() => inFlight.delete(session.launchId), 5_000).unref();
  task.then(forget, forget);
  return task;
}

/** Refreshes the session's tokens unless they are (by now) fresh enough. */
async function renew(
  session: LaunchSession,
  reg: EhrRegistration,
  deps: RefreshDeps,
): Promise<LaunchSession> {
  if (!needsRefresh(session, deps.now)) return session;
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
    throw new AppError(
      'session-expired',
      'Your session with the EHR could not be renewed. Please relaunch the app from your EHR.',
      { cause: e },
    );
  }
}
