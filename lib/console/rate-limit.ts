/**
 * Failed console sign-ins, counted per key (an account, an address) over a
 * sliding window. In memory: each app server counts its own, which is enough
 * to make guessing slow; a shared store would make the limit global.
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

  /** A successful sign-in clears the account's count (not the address's). */
  clear(key: string): void {
    this.failures.delete(key);
  }
}
