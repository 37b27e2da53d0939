import 'server-only';
import type { Env } from '../env';
import { AppError } from '../errors';
import { processSingleton } from '../process-singleton';
import type { SmartConfiguration } from './discovery';
import type { EhrRegistration } from './registrations';
import type { LaunchSession } from './session';
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

/**
 * Returns a session whose access token is good for at least a minute,
 * refreshing it when needed. Cerner-style servers return no new refresh token
 * on refresh: the old one is kept. Throws `session-expired` when refresh is
 * impossible.
 */
export async function ensureFreshToken(
  session: LaunchSession,
  reg: EhrRegistration,
  deps: {
    env: Env;
    discover: (reg: EhrRegistration) => Promise<SmartConfiguration>;
    fetch?: typeof fetch;
    now: number;
  },
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
  const running = inFlight.get(session.launchId);
  if (running) return running;
  const task = (async () => {
    try {
      const config = await deps.discover(reg);
      const tokens = await refreshTokens(reg, config, refreshToken, {
        fetch: deps.fetch,
        clientKeyPem: deps.env.secrets.smartClientKey,
      });
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
        {
          cause: e,
        },
      );
    } finally {
      // Keep the result briefly so requests racing the refresh reuse it.
      setTimeout(() => inFlight.delete(session.launchId), 5_000).unref();
    }
  })();
  inFlight.set(session.launchId, task);
  return task;
}
