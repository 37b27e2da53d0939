import 'server-only';
import type { AuditLog } from '../audit/types';
import { recordConsole } from './console-audit';
import {
  accountAcceptsSession,
  touchToken,
  type ConsoleTokenTimes,
  type SessionLimits,
} from './session-policy';
import type { ConsoleUserStore } from './users';

/**
 * The console token after a request: renewed while it is active and its
 * account still accepts it, marked expired for good otherwise — idle, too
 * old, account disabled, or signed out (on any app server: the account store
 * holds the time).
 */
export async function renewConsoleToken<T extends ConsoleTokenTimes>(
  token: T,
  users: Pick<ConsoleUserStore, 'get'>,
  now: number,
  limits: SessionLimits,
): Promise<T & ConsoleTokenTimes> {
  const touched = touchToken(token, now, limits);
  if (touched.expired || touched.uid === undefined) return { ...touched, expired: true };
  const account = await users.get(touched.uid);
  return accountAcceptsSession(account, touched.authTime) ? touched : { ...touched, expired: true };
}

/**
 * A console sign-out: every session of the account begun until now is
 * refused from now on (so a copied cookie is worthless too), then the
 * sign-out is recorded as `console-logout`. The account store is written
 * first: a sign-out that cannot be recorded still ends the sessions.
 */
export async function signOutConsole(
  deps: { readonly users: Pick<ConsoleUserStore, 'endSessions'>; readonly audit: AuditLog },
  input: { readonly userId: string; readonly sourceIp?: string; readonly now: number },
): Promise<void> {
  await deps.users.endSessions(input.userId, new Date(input.now));
  await recordConsole(deps.audit, {
    action: 'console-logout',
    userId: input.userId,
    ...(input.sourceIp !== undefined ? { sourceIp: input.sourceIp } : {}),
  });
}
