import { createHash } from 'node:crypto';
import type { SqlDriver } from '../audit/driver';
import { RateLimiter, verdict, type Limits, type RequestCounter } from '../http/request-limits';

const RETRY_AFTER_FAILURE_MS = 5_000;

/**
 * Request windows counted in the shared state database, so every instance
 * behind the balancer counts against the same limit: one upsert per request
 * on (bucket, address hash, window start). Windows are aligned to the clock.
 * When the database does not answer, this process counts alone meanwhile (and
 * asks the database again after a few seconds): a limiter never takes the app
 * down, nor makes every request wait for a database that is away.
 */
export function createSqlRateCounter(
  driver: () => Promise<SqlDriver>,
  limits: Limits,
  options: { onError?: (e: unknown) => void } = {},
): RequestCounter {
  const fallback = new RateLimiter(limits);
  const longest = Math.max(...Object.values(limits).map((l) => l.windowMs));
  let lastPurge = 0;
  let skipUntil = 0;
  return {
    async hit(bucket, key, now = Date.now()) {
      const limit = limits[bucket];
      if (!limit) return { ok: true };
      const start = Math.floor(now / limit.windowMs) * limit.windowMs;
      if (Date.now() < skipUntil) return fallback.hit(bucket, key, now);
      try {
        const db = await driver();
        const [row] = await db.query(
          `INSERT INTO app_state.rate_windows (bucket, key_hash, window_start, hits)
           VALUES ($1, $2, $3, 1)
           ON CONFLICT (bucket, key_hash, window_start) DO UPDATE SET hits = rate_windows.hits + 1
           RETURNING hits`,
          [bucket, createHash('sha256').update(key).digest(), new Date(start).toISOString()],
        );
        if (now - lastPurge > longest) {
          lastPurge = now;
          // Only this limiter's own buckets: the sign-in failure counts keep longer windows.
          void db
            .query(
              `DELETE FROM app_state.rate_windows WHERE window_start < $1 AND bucket = ANY($2::text[])`,
              [new Date(now - longest).toISOString(), Object.keys(limits)],
            )
            .catch(() => undefined);
        }
        return verdict(limit, Number(row?.hits ?? 1), start, now);
      } catch (e) {
        skipUntil = Date.now() + RETRY_AFTER_FAILURE_MS;
        options.onError?.(e);
        return fallback.hit(bucket, key, now);
      }
    },
  };
}

/**
 * Failures counted per key over a sliding window in the shared state database, so every instance
 * sees the failures made on the others (the console's sign-in throttle). Stored in the same table
 * as the request windows, in sub-windows of a tenth of the window: a failure counts for at least
 * nine tenths of the window and at most all of it. Keys are stored as SHA-256 only.
 */
export interface FailureCounts {
  count(bucket: string, key: string, windowMs: number, now: number): Promise<number>;
  add(bucket: string, key: string, windowMs: number, now: number): Promise<void>;
  clear(bucket: string, key: string): Promise<void>;
}

const hashed = (key: string): Buffer => createHash('sha256').update(key).digest();
const slotOf = (windowMs: number, now: number): number => {
  const slot = Math.max(1000, Math.floor(windowMs / 10));
  return Math.floor(now / slot) * slot;
};

export function createSqlFailureCounts(driver: () => Promise<SqlDriver>): FailureCounts {
  let lastPurge = 0;
  return {
    async count(bucket, key, windowMs, now) {
      const db = await driver();
      const [row] = await db.query(
        `SELECT COALESCE(sum(hits), 0)::int AS n FROM app_state.rate_windows
          WHERE bucket = $1 AND key_hash = $2 AND window_start > $3`,
        [bucket, hashed(key), new Date(now - windowMs).toISOString()],
      );
      return Number(row?.n ?? 0);
    },
    async add(bucket, key, windowMs, now) {
      const db = await driver();
      await db.query(
        `INSERT INTO app_state.rate_windows (bucket, key_hash, window_start, hits)
         VALUES ($1, $2, $3, 1)
         ON CONFLICT (bucket, key_hash, window_start) DO UPDATE SET hits = rate_windows.hits + 1`,
        [bucket, hashed(key), new Date(slotOf(windowMs, now)).toISOString()],
      );
      if (now - lastPurge > windowMs) {
        lastPurge = now;
        void db
          .query(`DELETE FROM app_state.rate_windows WHERE bucket = $1 AND window_start <= $2`, [
            bucket,
            new Date(now - windowMs).toISOString(),
          ])
          .catch(() => undefined);
      }
    },
    async clear(bucket, key) {
      const db = await driver();
      await db.query(`DELETE FROM app_state.rate_windows WHERE bucket = $1 AND key_hash = $2`, [
        bucket,
        hashed(key),
      ]);
    },
  };
}
