/**
 * Console sessions end after SESSION_IDLE_MINUTES without activity and, in any
 * case, SESSION_MAX_HOURS after sign-in — the same limits as chart sessions.
 * The times travel inside the encrypted next-auth JWT.
 */
export interface ConsoleTokenTimes {
  /** Console account id. */
  readonly uid?: string;
  /** Epoch ms of sign-in. */
  readonly authTime?: number;
  /** Epoch ms of the last request that renewed the session. */
  readonly lastSeen?: number;
  readonly expired?: boolean;
}

export interface SessionLimits {
  readonly idleMinutes: number;
  readonly maxHours: number;
}

export function sessionStatus(
  t: ConsoleTokenTimes,
  now: number,
  limits: SessionLimits,
): 'active' | 'idle-timeout' | 'expired' {
  if (t.expired || t.uid === undefined || t.authTime === undefined || t.lastSeen === undefined)
    return 'expired';
  if (now - t.authTime > limits.maxHours * 3_600_000) return 'expired';
  if (now - t.lastSeen > limits.idleMinutes * 60_000) return 'idle-timeout';
  return 'active';
}

/** The token after a request: renewed while active, marked expired (for good) otherwise. */
export function touchToken<T extends ConsoleTokenTimes>(
  t: T,
  now: number,
  limits: SessionLimits,
): T & ConsoleTokenTimes {
  return sessionStatus(t, now, limits) === 'active' ? { ...t, lastSeen: now } : { ...t, expired: true };
}

/**
 * Whether the account still accepts a session begun at `authTime`: not
 * disabled, and not signed out (or ended by an admin) since. Read from the
 * account store on every request, so a sign-out holds on every app server.
 */
export function accountAcceptsSession(
  account: { readonly disabled: boolean; readonly sessionsEndedAt?: string } | undefined,
  authTime: number | undefined,
): boolean {
  if (!account || account.disabled || authTime === undefined) return false;
  if (account.sessionsEndedAt === undefined) return true;
  return authTime > Date.parse(account.sessionsEndedAt);
}
