import 'server-only';
import type { AuditStore } from '../audit/store';
import type { AuditLog } from '../audit/types';
import type { Env } from '../env';
import { AppError } from '../errors';
import { jsonError } from '../http/responses';
import type { EhrRegistration } from '../smart/registrations';
import type { SignInThrottle } from './rate-limit';
import { hasRole, type ConsoleRole } from './roles';
import type { ConsoleUser, ConsoleUserStore } from './users';

/** What the console's route handlers need; production wiring in `consoleRouteDeps()`, fakes in tests. */
export interface ConsoleRouteDeps {
  readonly env: Env;
  readonly audit: AuditLog & {
    readonly store: Pick<AuditStore, 'query' | 'verify' | 'treeHead' | 'findPatients'>;
  };
  readonly currentUser: () => Promise<ConsoleUser | undefined>;
  readonly users: Pick<
    ConsoleUserStore,
    'create' | 'update' | 'list' | 'get' | 'endSessions' | 'resetPassword' | 'changePassword'
  >;
  /** This app server's sign-in throttle, for an admin's unlock. */
  readonly signInThrottle?: Pick<SignInThrottle, 'clearAccount'>;
  readonly registrations: readonly EhrRegistration[];
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

export type GuardResult = { readonly user: ConsoleUser } | { readonly response: Response };

/** For route handlers: 401 without a console session, 403 without the role. */
export function guardConsoleUser(user: ConsoleUser | undefined, role: ConsoleRole): GuardResult {
  if (!user)
    return { response: jsonError(new AppError('unauthenticated', 'Sign in to the audit console first.')) };
  if (user.mustChangePassword)
    return {
      response: jsonError(new AppError('forbidden', 'Choose a new password first, at /console/password.')),
    };
  if (!hasRole(user.role, role))
    return { response: jsonError(new AppError('forbidden', 'Your console role does not allow this.')) };
  return { user };
}
