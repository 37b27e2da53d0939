import 'server-only';
import { processSingleton } from '../process-singleton';

/**
 * Fixed-window request limits per client address, kept in this process.
 * Hospital users often share one NAT address, so the limits are generous:
 * they stop floods and scripted abuse, not a busy clinic. Behind several app
 * instances each enforces its own window (see the deployment guide).
 */
export interface Limit {
  readonly max: number;
  readonly windowMs: number;
}

export const LIMITS = {
  launch: { max: 300, windowMs: 60_000 },
  callback: { max: 300, windowMs: 60_000 },
  view: { max: 1200, windowMs: 60_000 },
} as const satisfies Record<string, Limit>;

export type Bucket = keyof typeof LIMITS;

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limits: Readonly<Record<string, Limit>> = LIMITS) {}

  /** Counts one request; returns the seconds to wait when over the limit. */
  hit(
    bucket: string,
    key: string,
    now: number = Date.now(),
  ): { ok: true } | { ok: false; retryAfterSeconds: number } {
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
    if (w.count <= limit.max) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((w.start + limit.windowMs - now) / 1000)) };
  }

  private prune(now: number): void {
    const longest = Math.max(...Object.values(this.limits).map((l) => l.windowMs));
    for (const [id, w] of this.windows) if (now - w.start >= longest) this.windows.delete(id);
  }
}

/** The process's limiter (a counter map, never request data). */
export const rateLimiter = processSingleton('rate-limiter', () => new RateLimiter());
