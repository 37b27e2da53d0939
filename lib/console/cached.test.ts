import { describe, expect, it } from 'vitest';
import { TimedCache } from './cached';

describe('TimedCache', () => {
  it('computes once within the time limit and again after it', async () => {
    let now = 1_000;
    let calls = 0;
    const cache = new TimedCache<number>(600_000, () => now);
    const compute = () => Promise.resolve(++calls);
    expect(await cache.get('24', compute)).toEqual({ value: 1, computedAt: 1_000 });
    now += 599_999;
    expect(await cache.get('24', compute)).toEqual({ value: 1, computedAt: 1_000 });
    expect(await cache.get('48', compute)).toEqual({ value: 2, computedAt: now });
    now += 1;
    expect(await cache.get('24', compute)).toEqual({ value: 3, computedAt: now });
  });

  it('does not keep a failure', async () => {
    const cache = new TimedCache<string>(600_000);
    await expect(cache.get('k', () => Promise.reject(new Error('EHR down')))).rejects.toThrow('EHR down');
    expect((await cache.get('k', () => Promise.resolve('ok'))).value).toBe('ok');
  });
});
