import { describe, expect, it } from 'vitest';
import { RateLimiter } from './request-limits';

describe('rate limiter', () => {
  it('allows up to the limit per address and window, then says how long to wait', () => {
    const rl = new RateLimiter({ launch: { max: 3, windowMs: 10_000 } });
    const t = 1_000_000;
    expect([1, 2, 3].map(() => rl.hit('launch', '10.0.0.1', t).ok)).toEqual([true, true, true]);
    expect(rl.hit('launch', '10.0.0.1', t + 2_500)).toEqual({
      ok: false,
      retryAfterSeconds: 8,
      firstOver: true,
    });
    // Only the first request past the limit is the window's first over it.
    expect(rl.hit('launch', '10.0.0.1', t + 2_600)).toMatchObject({ ok: false, firstOver: false });
    // Another address has its own window; a new window starts afresh.
    expect(rl.hit('launch', '10.0.0.2', t + 2_500).ok).toBe(true);
    expect(rl.hit('launch', '10.0.0.1', t + 10_000).ok).toBe(true);
  });

  it('does not limit buckets it has no limit for', () => {
    const rl = new RateLimiter({});
    for (let i = 0; i < 100; i++) expect(rl.hit('other', 'x').ok).toBe(true);
  });
});
