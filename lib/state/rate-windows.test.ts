import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDriver } from '../audit/driver';
import { createSqlRateCounter } from './rate-windows';
import { migrateState } from './schema';
import { sharedStateSuites, type OpenPair } from './testing';

const LIMITS = { launch: { max: 3, windowMs: 60_000 } };
const T = Date.UTC(2026, 0, 5, 8, 0, 10);

function suite(name: string, open: OpenPair) {
  describe(name, () => {
    let a: SqlDriver;
    let b: SqlDriver;
    let done: () => Promise<void>;
    beforeAll(async () => {
      ({ a, b, done } = await open());
      await migrateState(a);
    }, 60_000);
    afterAll(async () => {
      await done();
    });

    it('counts one window for every instance and says when it reopens', async () => {
      const one = createSqlRateCounter(() => Promise.resolve(a), LIMITS);
      const two = createSqlRateCounter(() => Promise.resolve(b), LIMITS);
      const hits = [one, two, one].map(async (c) => c.hit('launch', '192.0.2.1', T));
      expect(await Promise.all(hits)).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
      // The fourth request, on either instance, is over the limit until the window closes at :01:00.
      expect(await two.hit('launch', '192.0.2.1', T + 5_000)).toEqual({
        ok: false,
        retryAfterSeconds: 45,
        firstOver: true,
      });
      // Once a window for all instances: the other one is past the limit too, but not first.
      expect(await one.hit('launch', '192.0.2.1', T + 5_000)).toMatchObject({ ok: false, firstOver: false });
      // Another address, and the next window, start afresh; a bucket without a limit is never counted.
      expect(await one.hit('launch', '192.0.2.2', T)).toEqual({ ok: true });
      expect(await two.hit('launch', '192.0.2.1', T + 50_000)).toEqual({ ok: true });
      expect(await two.hit('other', '192.0.2.1', T)).toEqual({ ok: true });
    });
  });
}

sharedStateSuites('shared rate windows', suite);

describe('shared rate windows without their database', () => {
  it('count in this process meanwhile, reporting the failure once rather than asking on every request', async () => {
    const errors: unknown[] = [];
    const down = createSqlRateCounter(() => Promise.reject(new Error('connection refused')), LIMITS, {
      onError: (e) => errors.push(e),
    });
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await down.hit('launch', '192.0.2.3', T)).ok);
    expect(results).toEqual([true, true, true, false]);
    expect(errors).toHaveLength(1);
  });
});
