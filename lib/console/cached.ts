/**
 * A small time-bounded cache of promises, so that expensive lookups (the
 * alerts page's EHR lookups) are not repeated each time a page is opened.
 * A failed computation is dropped at once, never cached. Holds results only,
 * never request data such as cookies or tokens.
 */
export class TimedCache<T> {
  private readonly entries = new Map<string, { readonly at: number; readonly value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached value for `key` with the time it was computed, or a fresh one from `compute`. */
  get(key: string, compute: () => Promise<T>): Promise<{ value: T; computedAt: number }> {
    const t = this.now();
    for (const [k, e] of this.entries) if (t - e.at >= this.ttlMs) this.entries.delete(k);
    let entry = this.entries.get(key);
    if (!entry) {
      const value = compute();
      entry = { at: t, value };
      this.entries.set(key, entry);
      value.catch(() => {
        if (this.entries.get(key)?.value === value) this.entries.delete(key);
      });
    }
    const at = entry.at;
    return entry.value.then((value) => ({ value, computedAt: at }));
  }
}
