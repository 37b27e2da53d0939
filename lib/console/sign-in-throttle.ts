/**
 * Failed console sign-ins, counted per key over a sliding window. In memory:
 * each app server counts its own, which is enough to make guessing slow; a
 * shared store would make the limit global.
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

/**
 * Slows password guessing without handing an attacker a way to lock people
 * out: an account under attack makes every attempt wait a little longer (up
 * to `maxDelayMs`), but the right password still gets in; only an address
 * with too many failures is refused outright, and that is the attacker's own.
 */
export class SignInThrottle {
  private readonly accounts: FailureWindow;
  private readonly addresses: FailureWindow;
  private readonly free: number;
  private readonly base: number;
  private readonly max: number;

  constructor(limits: ThrottleLimits) {
    this.accounts = new FailureWindow(Number.MAX_SAFE_INTEGER, limits.windowMs);
    this.addresses = new FailureWindow(limits.addressMaxFailures, limits.windowMs);
    this.free = limits.freeFailures ?? 3;
    this.base = limits.baseDelayMs ?? 1_000;
    this.max = limits.maxDelayMs ?? 15_000;
  }

  /** How long an attempt on this account waits before its password is checked. */
  delayMs(username: string, now: number = Date.now()): number {
    const extra = this.accounts.count(accountKey(username), now) - this.free;
    return extra <= 0 ? 0 : Math.min(this.base * 2 ** (extra - 1), this.max);
  }

  addressBlocked(sourceIp: string, now: number = Date.now()): boolean {
    return this.addresses.blocked([sourceIp], now);
  }

  fail(username: string, sourceIp: string, now: number = Date.now()): void {
    this.accounts.fail([accountKey(username)], now);
    this.addresses.fail([sourceIp], now);
  }

  /** A successful sign-in, or an admin's unlock, forgets the account's failures (not the addresses'). */
  clearAccount(username: string): void {
    this.accounts.clear(accountKey(username));
  }
}
