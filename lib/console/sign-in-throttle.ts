import type { FailureCounts } from '../state/rate-windows';

/**
 * Failed console sign-ins, counted per key over a sliding window, in this
 * process: the embedded default, and what an instance counts meanwhile when
 * the shared state database does not answer (see SignInThrottle).
 */
export class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Failures of the key within the window. */
  count(key: string, now: number = Date.now()): number {
    return this.recent(key, now).length;
  }

  /** True when any of the keys has used up its failures in the window. */
  blocked(keys: readonly string[], now: number = Date.now()): boolean {
    return keys.some((k) => this.recent(k, now).length >= this.maxFailures);
  }

  fail(keys: readonly string[], now: number = Date.now()): void {
    for (const k of keys) this.failures.set(k, [...this.recent(k, now), now]);
    // Keep memory bounded under a spray of addresses or names.
    if (this.failures.size > 10_000) {
      for (const k of [...this.failures.keys()]) this.recent(k, now);
    }
  }

  clear(key: string): void {
    this.failures.delete(key);
  }
}

export interface ThrottleLimits {
  /** Failures one address may make in the window before it is refused (HTTP 429). */
  readonly addressMaxFailures: number;
  readonly windowMs: number;
  /** Failures of one account in the window that cost nothing … */
  readonly freeFailures?: number;
  /** … after which each attempt waits this long, doubling per failure … */
  readonly baseDelayMs?: number;
  /** … up to this. */
  readonly maxDelayMs?: number;
}

const accountKey = (username: string) => username.trim().toLowerCase();

/** Buckets of the shared failure counts (app_state.rate_windows). */
const ACCOUNTS = 'console-sign-in-account';
const ADDRESSES = 'console-sign-in-address';
/** After the shared database failed, how long this process counts alone before asking it again. */
const RETRY_SHARED_AFTER_MS = 5_000;

/** One log line: which store failed and its error code (a SQLSTATE or errno), never a message or a name. */
const warnShared = (e: unknown): void => {
  const code = (e as { code?: unknown } | null)?.code;
  console.warn(
    JSON.stringify({
      event: 'sign-in-throttle-shared-unavailable',
      error: typeof code === 'string' ? code : e instanceof Error ? e.name : 'unknown',
    }),
  );
};

/** The failure counts every instance shares (lib/state/rate-windows.ts), and where its failures are reported. */
export interface SharedFailures {
  readonly counts: FailureCounts;
  readonly onError?: (e: unknown) => void;
}

/**
 * Slows password guessing without handing an attacker a way to lock people
 * out: an account under attack makes every attempt wait a little longer (up
 * to `maxDelayMs`), but the right password still gets in; only an address
 * with too many failures is refused outright, and that is the attacker's own.
 *
 * With `shared` counts (STATE_DATABASE_URL) the failures are counted across
 * every instance behind the balancer, so spreading guesses over the pool does
 * not multiply them; each instance also counts its own, and uses those while
 * the database does not answer (a throttle never takes sign-in down).
 */
export class SignInThrottle {
  private readonly accounts: FailureWindow;
  private readonly addresses: FailureWindow;
  private readonly windowMs: number;
  private readonly addressMax: number;
  private readonly free: number;
  private readonly base: number;
  private readonly max: number;
  private skipSharedUntil = 0;

  constructor(
    limits: ThrottleLimits,
    private readonly shared?: SharedFailures,
  ) {
    this.accounts = new FailureWindow(Number.MAX_SAFE_INTEGER, limits.windowMs);
    this.addresses = new FailureWindow(limits.addressMaxFailures, limits.windowMs);
    this.windowMs = limits.windowMs;
    this.addressMax = limits.addressMaxFailures;
    this.free = limits.freeFailures ?? 3;
    this.base = limits.baseDelayMs ?? 1_000;
    this.max = limits.maxDelayMs ?? 15_000;
  }

  /** The shared answer while the database answers, else this process's own. */
  private async either<T>(shared: (c: FailureCounts) => Promise<T>, local: () => T): Promise<T> {
    if (!this.shared || Date.now() < this.skipSharedUntil) return local();
    try {
      return await shared(this.shared.counts);
    } catch (e) {
      this.skipSharedUntil = Date.now() + RETRY_SHARED_AFTER_MS;
      (this.shared.onError ?? warnShared)(e);
      return local();
    }
  }

  /** How long an attempt on this account waits before its password is checked. */
  async delayMs(username: string, now: number = Date.now()): Promise<number> {
    const key = accountKey(username);
    const failures = await this.either(
      (c) => c.count(ACCOUNTS, key, this.windowMs, now),
      () => this.accounts.count(key, now),
    );
    // After the free failures, the next attempt waits the base delay, doubling with each failure since.
    const extra = failures - this.free;
    return extra < 0 ? 0 : Math.min(this.base * 2 ** extra, this.max);
  }

  async addressBlocked(sourceIp: string, now: number = Date.now()): Promise<boolean> {
    const failures = await this.either(
      (c) => c.count(ADDRESSES, sourceIp, this.windowMs, now),
      () => this.addresses.count(sourceIp, now),
    );
    return failures >= this.addressMax;
  }

  async fail(username: string, sourceIp: string, now: number = Date.now()): Promise<void> {
    const key = accountKey(username);
    this.accounts.fail([key], now);
    this.addresses.fail([sourceIp], now);
    await this.either(
      async (c) => {
        await Promise.all([
          c.add(ACCOUNTS, key, this.windowMs, now),
          c.add(ADDRESSES, sourceIp, this.windowMs, now),
        ]);
      },
      () => undefined,
    );
  }

  /** A successful sign-in, or an admin's unlock, forgets the account's failures (not the addresses'). */
  async clearAccount(username: string): Promise<void> {
    const key = accountKey(username);
    this.accounts.clear(key);
    await this.either(
      (c) => c.clear(ACCOUNTS, key),
      () => undefined,
    );
  }
}
