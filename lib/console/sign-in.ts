import 'server-only';
import type { AuditLog } from '../audit/types';
import { recordConsole } from './console-audit';
import type { FailureWindow } from './rate-limit';
import type { ConsoleUser, ConsoleUserStore } from './users';

export interface SignInDeps {
  readonly users: Pick<ConsoleUserStore, 'authenticate'>;
  readonly audit: AuditLog;
  readonly limiter: FailureWindow;
  readonly now?: () => number;
}

export type SignInResult =
  | { readonly ok: true; readonly user: ConsoleUser }
  | { readonly ok: false; readonly status: 401 | 429 | 503; readonly reason: string };

export const limiterKeys = (username: string, sourceIp: string): string[] => [
  `account:${username.trim().toLowerCase()}`,
  `address:${sourceIp}`,
];

/**
 * Username and password sign-in. Every attempt is audited (`console-login`,
 * outcome 4 with the reason on failure); an account or address with too many
 * recent failures is refused before the password is even checked. A typed
 * username that matches no account is not recorded: people type passwords
 * into the wrong field.
 */
export async function signInWithPassword(
  deps: SignInDeps,
  input: { readonly username: string; readonly password: string; readonly sourceIp: string },
): Promise<SignInResult> {
  const now = deps.now?.() ?? Date.now();
  const keys = limiterKeys(input.username, input.sourceIp);
  const record = async (
    outcome: '0' | '4',
    reason: string | undefined,
    user?: ConsoleUser,
  ): Promise<boolean> => {
    try {
      await recordConsole(deps.audit, {
        action: 'console-login',
        outcome,
        ...(reason !== undefined ? { outcomeDesc: reason } : {}),
        ...(user ? { userId: user.id } : {}),
        detail: 'password',
        sourceIp: input.sourceIp,
      });
      return true;
    } catch {
      return false;
    }
  };

  if (deps.limiter.blocked(keys, now)) {
    await record('4', 'rate-limited');
    return { ok: false, status: 429, reason: 'rate-limited' };
  }
  const result = await deps.users.authenticate(input.username, input.password);
  if (!result.ok) {
    deps.limiter.fail(keys, now);
    await record('4', result.reason, result.user);
    return { ok: false, status: 401, reason: result.reason };
  }
  // No session without its audit record: the console fails closed like the chart.
  if (!(await record('0', undefined, result.user)))
    return { ok: false, status: 503, reason: 'audit-unavailable' };
  deps.limiter.clear(keys[0]!);
  return { ok: true, user: result.user };
}
