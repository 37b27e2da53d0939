import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SqlDriver } from '../audit/driver';
import { createSqlFailureCounts, createSqlRateCounter } from '../state/rate-windows';
import { migrateState } from '../state/schema';
import { sharedStateSuites, type OpenPair } from '../state/testing';
import { SignInThrottle } from './sign-in-throttle';

const LIMITS = { addressMaxFailures: 5, windowMs: 15 * 60_000, freeFailures: 3, baseDelayMs: 1_000 };
const T = Date.UTC(2026, 0, 5, 8, 0, 10);

/** Two app instances' throttles, each on its own connection to the same state database. */
function suite(name: string, open: OpenPair) {
  describe(name, () => {
    let a: SqlDriver;
    let b: SqlDriver;
    let done: () => Promise<void>;
    let one: SignInThrottle;
    let two: SignInThrottle;
    beforeAll(async () => {
      ({ a, b, done } = await open());
      await migrateState(a);
      one = new SignInThrottle(LIMITS, { counts: createSqlFailureCounts(() => Promise.resolve(a)) });
      two = new SignInThrottle(LIMITS, { counts: createSqlFailureCounts(() => Promise.resolve(b)) });
    }, 60_000);
    afterAll(async () => {
      await done();
    });

    it('refuses an address whose failures were spread over the instances', async () => {
      for (let i = 0; i < 4; i++) await (i % 2 ? one : two).fail(`user${i}`, '192.0.2.9', T + i * 1000);
      expect(await one.addressBlocked('192.0.2.9', T + 5_000)).toBe(false);
      expect(await two.addressBlocked('192.0.2.9', T + 5_000)).toBe(false);
      await one.fail('user4', '192.0.2.9', T + 5_000);
      // Five failures in the pool: refused on both, though neither instance saw more than three.
      expect(await two.addressBlocked('192.0.2.9', T + 6_000)).toBe(true);
      expect(await one.addressBlocked('192.0.2.9', T + 6_000)).toBe(true);
      expect(await one.addressBlocked('192.0.2.10', T + 6_000)).toBe(false);
      // Past the window the address may try again.
      expect(await two.addressBlocked('192.0.2.9', T + LIMITS.windowMs + 10_000)).toBe(false);
    });

    it('slows an account whose guesses came through every instance, and an unlock on one frees it on all', async () => {
      for (let i = 0; i < 5; i++) await (i % 2 ? one : two).fail('Carol', `10.0.0.${i}`, T + i * 1000);
      // Five failures, three free: the next attempt waits 4 s on either instance, whatever the spelling.
      expect(await one.delayMs('carol', T + 6_000)).toBe(4_000);
      expect(await two.delayMs(' CAROL ', T + 6_000)).toBe(4_000);
      await two.clearAccount('Carol');
      expect(await one.delayMs('carol', T + 7_000)).toBe(0);
    });

    it('keeps the failure counts when the request limiter clears its own short windows', async () => {
      await one.fail('dave', '192.0.2.20', T);
      const limiter = createSqlRateCounter(() => Promise.resolve(b), {
        launch: { max: 3, windowMs: 60_000 },
      });
      await limiter.hit('launch', '192.0.2.20', T + 5 * 60_000);
      expect(await two.addressBlocked('192.0.2.20', T + 5 * 60_000)).toBe(false);
      for (let i = 0; i < 4; i++) await two.fail('dave', '192.0.2.20', T + 5 * 60_000);
      expect(await one.addressBlocked('192.0.2.20', T + 5 * 60_000)).toBe(true);
    });
  });
}

sharedStateSuites('the sign-in throttle', suite);

describe('the sign-in throttle without its shared database', () => {
  it('counts in this process meanwhile and says so once, rather than refusing sign-in', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const down = new SignInThrottle(LIMITS, {
        counts: createSqlFailureCounts(() =>
          Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
        ),
      });
      for (let i = 0; i < 5; i++) await down.fail('erin', '192.0.2.30');
      expect(await down.addressBlocked('192.0.2.30')).toBe(true);
      expect(await down.delayMs('erin')).toBe(4_000);
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
        JSON.stringify({ event: 'sign-in-throttle-shared-unavailable', error: 'ECONNREFUSED' }),
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it('counts in this process alone without a shared database (the embedded default)', async () => {
    const alone = new SignInThrottle(LIMITS);
    for (let i = 0; i < 4; i++) await alone.fail('frank', '192.0.2.40', T);
    expect(await alone.addressBlocked('192.0.2.40', T)).toBe(false);
    await alone.fail('frank', '192.0.2.40', T);
    expect(await alone.addressBlocked('192.0.2.40', T)).toBe(true);
    expect(await alone.delayMs('frank', T)).toBe(4_000);
  });

  it('lets three failures cost nothing, then makes each attempt wait 1 s, 2 s, 4 s … up to 15 s (docs/console.md)', async () => {
    const alone = new SignInThrottle(LIMITS);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      waits.push(await alone.delayMs('grace', T));
      await alone.fail('grace', `192.0.2.${50 + i}`, T);
    }
    expect(waits).toEqual([0, 0, 0, 1_000, 2_000, 4_000, 8_000, 15_000]);
  });
});
