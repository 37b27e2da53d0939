import 'server-only';

/**
 * Fixed-window request limits per client address. Hospital users often share
 * one NAT address, so the limits are generous: they stop floods and scripted
 * abuse, not a busy clinic. With a shared launch store on PostgreSQL the
 * windows are counted there, across every instance (lib/state/rate-windows.ts);
 * the embedded default counts them in this process.
 */
export interface Limit {
  readonly max: number;
  readonly windowMs: number;
}

export const LIMITS = {
  launch: { max: 300, windowMs: 60_000 },
  callback: { max: 300, windowMs: 60_000 },
  view: { max: 1200, windowMs: 60_000 },
  /**
   * Requests refused for want of a session or as another site's (lib/api/launch-guard.ts): each is
   * recorded in the audit log up to this many per address a minute; past it, once for the window.
   */
  refused: { max: 120, windowMs: 60_000 },
} as const satisfies Record<string, Limit>;

export type Bucket = keyof typeof LIMITS;
export type Limits = Readonly<Record<string, Limit>>;

/** The limits with the per-minute overrides of the environment (RATE_LIMIT_*). */
export function limitsFrom(perMinute: Partial<Record<Bucket, number>>): Record<Bucket, Limit> {
  const pick = (b: Bucket): Limit => ({ max: perMinute[b] ?? LIMITS[b].max, windowMs: LIMITS[b].windowMs });
  return { launch: pick('launch'), callback: pick('callback'), view: pick('view'), refused: pick('refused') };
}

/** Over the limit: how long to wait, and whether this is the window's first request past it. */
export type HitResult = { ok: true } | { ok: false; retryAfterSeconds: number; firstOver: boolean };

/** Counts one request of a bucket for a key; says how long to wait when over the limit. */
export interface RequestCounter {
  hit(bucket: string, key: string, now?: number): HitResult | Promise<HitResult>;
}

/** The verdict for the `count`-th request in the window starting at `start`. */
export function verdict(limit: Limit, count: number, start: number, now: number): HitResult {
  if (count <= limit.max) return { ok: true };
  return {
    ok: false,
    retryAfterSeconds: Math.max(1, Math.ceil((start + limit.windowMs - now) / 1000)),
    firstOver: count === limit.max + 1,
  };
}

export class RateLimiter implements RequestCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limits: Limits = LIMITS) {}

  /** Counts one request; returns the seconds to wait when over the limit. */
  hit(bucket: string, key: string, now: number = Date.now()): HitResult {
    const limit = this.limits[bucket];
    if (!limit) return { ok: true };
    const id = `${bucket}\0${key}`;
    let w = this.windows.get(id);
    if (!w || now - w.start >= limit.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(id, w);
      if (this.windows.size > 50_000) this.prune(now);
    }
    w.count += 1;
    return verdict(limit, w.count, w.start, now);
  }

  private prune(now: number): void {
    const longest = Math.max(...Object.values(this.limits).map((l) => l.windowMs));
    for (const [id, w] of this.windows) if (now - w.start >= longest) this.windows.delete(id);
  }
}
