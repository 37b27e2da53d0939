import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditLog } from '../audit/types';
import { recordConsole } from './console-audit';
import type { SignInThrottle } from './sign-in-throttle';
import { type GateRefusal, signInGate, type SignInGate } from './sign-in-concurrency';
import { stillKnownDevice } from './known-device';
import { checkTotpCode, openTotpSecret } from './second-factor';
import type { ConsoleUser, ConsoleUserStore } from './users';

export interface SignInDeps {
  readonly users: Pick<
    ConsoleUserStore,
    'authenticate' | 'findByUsername' | 'recordSignIn' | 'useSecondFactor'
  >;
  readonly audit: AuditLog;
  readonly throttle: SignInThrottle;
  /** The key second-factor secrets are sealed with (SESSION_SECRET). */
  readonly secondFactorKey: string;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<unknown>;
  /** This process's limit on sign-ins at once (the process's own by default). */
  readonly gate?: SignInGate;
}

export type SignInResult =
  | { readonly ok: true; readonly user: ConsoleUser }
  | { readonly ok: false; readonly status: 401 | 429 | 503; readonly reason: string };

/** Records one attempt's outcome; false when the audit log could not take it. */
type RecordAttempt = (outcome: '0' | '4', reason: string | undefined, user?: ConsoleUser) => Promise<boolean>;

/** What the sign-in form sends, and where from. */
export interface SignInInput {
  readonly username: string;
  readonly password: string;
  readonly code?: string;
  readonly sourceIp: string;
  /**
   * When this browser's known-device cookie for the account was issued (lib/console/known-device.ts), if it sent a
   * valid one: a browser the account still knows is neither queued nor slowed down.
   */
  readonly knownDeviceSince?: number;
}

type SecondFactorFailure = 'code-required' | 'bad-code' | 'code-replayed' | 'second-factor-unreadable';

/**
 * The account's current TOTP code, spent by this check. An unreadable
 * sealed secret (sealed under another SESSION_SECRET) refuses the sign-in
 * until an admin resets the second factor.
 */
async function secondFactorProblem(
  deps: SignInDeps,
  user: ConsoleUser,
  code: string | undefined,
  nowMs: number,
): Promise<SecondFactorFailure | undefined> {
  if (!code) return 'code-required';
  const check = await deps.users.useSecondFactor(user.id, async (totp) => {
    const secret = await openTotpSecret(totp.sealed, user.id, deps.secondFactorKey);
    if (secret === undefined) return { ok: false, reason: 'second-factor-unreadable' } as const;
    return checkTotpCode(secret, code, { nowMs, lastStep: totp.lastStep });
  });
  // Reset between the password check and this one: the password alone is what the account asks for now.
  if (check === undefined || check.ok) return undefined;
  return check.reason;
}

/**
 * Records a sign-in refused because the address made too many failures,
 * naming the account it was aimed at when that account exists, so an officer
 * sees which account is under attack. The refusal stands even when it
 * cannot be recorded.
 */
export async function recordRateLimited(
  deps: Pick<SignInDeps, 'users' | 'audit'>,
  input: { readonly username: string; readonly sourceIp: string },
  why: 'rate-limited' | GateRefusal = 'rate-limited',
): Promise<void> {
  try {
    const target = await deps.users.findByUsername(input.username);
    await recordConsole(deps.audit, {
      action: 'console-login',
      outcome: '4',
      outcomeDesc: why,
      ...(target ? { userId: target.id } : {}),
      detail: 'password',
      sourceIp: input.sourceIp,
    });
  } catch {
    /* refused either way */
  }
}

/**
 * Username, password and — for an account with a second factor — the
 * current TOTP code. Every attempt is audited (`console-login`,
 * outcome 4 with the reason on failure). An address with too many recent
 * failures is refused before the password is even checked; an account with
 * many recent failures is only slowed down (see SignInThrottle), so nobody
 * can keep its owner out. A wrong, missing or replayed code counts as a
 * failed sign-in like a wrong password. A typed username that matches no account is not
 * recorded: people type passwords into the wrong field.
 */
export async function signInWithPassword(deps: SignInDeps, input: SignInInput): Promise<SignInResult> {
  const now = () => deps.now?.() ?? Date.now();
  const record: RecordAttempt = async (outcome, reason, user) => {
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

  // A blocked address is refused before it takes a turn on the account.
  if (await deps.throttle.addressBlocked(input.sourceIp, now())) {
    await recordRateLimited(deps, input);
    return { ok: false, status: 429, reason: 'rate-limited' };
  }
  const knownDevice =
    input.knownDeviceSince !== undefined &&
    stillKnownDevice(input.knownDeviceSince, await deps.users.findByUsername(input.username));
  const gated = await (deps.gate ?? signInGate()).run(
    input.sourceIp,
    input.username,
    (check) => attemptSignIn(deps, input, knownDevice, now, record, check),
    { knownDevice },
  );
  if (gated === 'attempt-in-flight' || gated === 'busy') {
    await recordRateLimited(deps, input, gated);
    return { ok: false, status: 429, reason: gated };
  }
  return gated;
}

/** One attempt, alone for its address and account (SignInGate); `check` runs the password check. */
async function attemptSignIn(
  deps: SignInDeps,
  input: SignInInput,
  knownDevice: boolean,
  now: () => number,
  record: RecordAttempt,
  check: <C>(work: () => Promise<C>) => Promise<C>,
): Promise<SignInResult> {
  if (await deps.throttle.addressBlocked(input.sourceIp, now())) {
    await recordRateLimited(deps, input);
    return { ok: false, status: 429, reason: 'rate-limited' };
  }
  const wait = knownDevice ? 0 : await deps.throttle.delayMs(input.username, now());
  if (wait > 0) await (deps.sleep ?? sleep)(wait);
  const refuse = async (reason: string, user?: ConsoleUser): Promise<SignInResult> => {
    await deps.throttle.fail(input.username, input.sourceIp, now());
    await record('4', reason, user);
    return { ok: false, status: 401, reason };
  };
  const result = await check(() => deps.users.authenticate(input.username, input.password));
  if (!result.ok) return refuse(result.reason, result.user);
  const problem = result.user.secondFactor
    ? await secondFactorProblem(deps, result.user, input.code, now())
    : undefined;
  if (problem !== undefined) return refuse(problem, result.user);
  // No session without its audit record: the console fails closed like the chart.
  if (!(await record('0', undefined, result.user)))
    return { ok: false, status: 503, reason: 'audit-unavailable' };
  await deps.throttle.clearAccount(input.username);
  // "Last sign-in" for the admins; the sign-in itself is already recorded in the audit log, so a failed note does not refuse it.
  await deps.users.recordSignIn(result.user.id, new Date(now())).catch(() => undefined);
  return { ok: true, user: result.user };
}
