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
          void db
            .query(`DELETE FROM app_state.rate_windows WHERE window_start < $1`, [
              new Date(now - longest).toISOString(),
            ])
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
