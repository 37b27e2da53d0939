import 'server-only';
import type { AuditStore } from '../audit/store';
import type { AuditLog } from '../audit/types';
import type { Env } from '../env';
import { AppError } from '../errors';
import { jsonError } from '../http/responses';
import { clientAddress } from '../http/request';
import { recordRefusal } from '../api/refusals';
import { CONSOLE_TENANT, recordRoleRefusal } from './console-audit';
import { env } from '../env';
import { registrations, type EhrRegistration } from '../smart/registrations';
import { getLaunchStore, type LaunchStore } from '../state';
import { consoleUsers, getAuditLog, signInThrottle } from './deps';
import type { SignInThrottle } from './sign-in-throttle';
import { currentConsoleUser } from './require-user';
import { hasRole, type ConsoleRole } from './roles';
import type { ConsoleUser, ConsoleUserStore } from './users';

/**
 * The console's route wiring: what its route handlers need, the production wiring of it, and the
 * guard every handler starts with. The process-wide handles it draws on (account store, sign-in
 * throttle) are in ./deps.ts, apart because the sign-in options, which this wiring reaches through
 * the current user, need them too.
 */

/** What the console's route handlers need; production wiring in `consoleRouteDeps()`, fakes in tests. */
export interface ConsoleRouteDeps {
  readonly env: Env;
  readonly audit: AuditLog & {
    readonly store: Pick<AuditStore, 'query' | 'verify' | 'treeHead' | 'findPatients'>;
  };
  readonly currentUser: () => Promise<ConsoleUser | undefined>;
  readonly users: Pick<
    ConsoleUserStore,
    | 'create'
    | 'update'
    | 'list'
    | 'get'
    | 'endSessions'
    | 'resetPassword'
    | 'changePassword'
    | 'enrolSecondFactor'
    | 'resetSecondFactor'
  >;
  /** This app server's sign-in throttle, for an admin's unlock. */
  readonly signInThrottle?: Pick<SignInThrottle, 'clearAccount'>;
  readonly registrations: readonly EhrRegistration[];
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

export type GuardResult =
  | { readonly user: ConsoleUser }
  /** `lacksRole`: a signed-in user refused for want of the role, the one refusal the console records. */
  | { readonly response: Response; readonly lacksRole?: true };

/** For route handlers: 401 without a console session, 403 without the role. */
export function guardConsoleUser(user: ConsoleUser | undefined, role: ConsoleRole): GuardResult {
  if (!user)
    return { response: jsonError(new AppError('unauthenticated', 'Sign in to the audit console first.')) };
  if (user.mustChangePassword)
    return {
      response: jsonError(new AppError('forbidden', 'Choose a new password first, at /console/password.')),
    };
  if (user.mustEnrolSecondFactor)
    return {
      response: jsonError(
        new AppError('forbidden', 'Set up your second factor first, at /console/second-factor.'),
      ),
    };
  if (!hasRole(user.role, role))
    return {
      response: jsonError(new AppError('forbidden', 'Your console role does not allow this.')),
      lacksRole: true,
    };
  return { user };
}

/**
 * The answer to another site's request to a console route (a forged form or fetch riding an officer's session):
 * refused before the session is read, and recorded under the console with the path asked for, within the refusal
 * limit per address (lib/api/refusals.ts).
 */
export async function refuseConsoleCrossSite(
  req: Request,
  deps: Pick<ConsoleRouteDeps, 'audit' | 'env' | 'now'>,
): Promise<Response> {
  await recordRefusal(deps, {
    action: 'access-denied',
    outcome: '8',
    outcomeDesc: 'cross-site-request',
    tenant: CONSOLE_TENANT,
    detail: `path:${new URL(req.url).pathname.slice(0, 200)}`,
    sourceIp: clientAddress(req, deps.env),
  });
  return jsonError(new AppError('forbidden', 'Cross-site requests are not accepted.'));
}

/**
 * guardConsoleUser for a route's request, recording a refusal for want of the role: who, what they asked for
 * (the route's path, never its query) and from where. A visitor without a console session is refused as before,
 * unrecorded: the sign-in page's own traffic would bury the log.
 */
export async function guardConsoleRoute(
  req: Request,
  deps: Pick<ConsoleRouteDeps, 'audit' | 'currentUser' | 'env'>,
  role: ConsoleRole,
): Promise<GuardResult> {
  const user = await deps.currentUser();
  const guard = guardConsoleUser(user, role);
  if ('lacksRole' in guard && user)
    await recordRoleRefusal(deps.audit, user, role, new URL(req.url).pathname, clientAddress(req, deps.env));
  return guard;
}

/** The production wiring of the console's routes. */
export async function consoleRouteDeps(): Promise<ConsoleRouteDeps & { readonly launches: LaunchStore }> {
  return {
    env: env(),
    audit: await getAuditLog(),
    currentUser: currentConsoleUser,
    users: await consoleUsers(),
    signInThrottle: signInThrottle(),
    registrations: registrations(),
    launches: await getLaunchStore(),
  };
}
