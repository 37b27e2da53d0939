import { describe, expect, it } from 'vitest';
import {
  PLAIN_TEST_KEYS,
  PLAIN_TESTS,
  plainConditionKey,
  plainTestKey,
  rangeBarScale,
  rangePosition,
  spokenName,
  trendDirection,
} from './plain-language';
import { withoutSemanticTag } from './coding';

describe('plainTestKey', () => {
  it('names common labs by their curated key, whichever LOINC code the EHR uses', () => {
    expect(plainTestKey('13457-7')).toBe('ldl');
    expect(plainTestKey('18262-6')).toBe('ldl');
    expect(plainTestKey('2345-7')).toBe('glucose');
    expect(plainTestKey('4548-4')).toBe('a1c');
  });

  it("has no key for a test it does not know, so the EHR's text is kept", () => {
    expect(plainTestKey('99999-9')).toBeUndefined();
    expect(plainTestKey(undefined)).toBeUndefined();
  });

  it('knows every vital sign the chart reads', () => {
    // The first LOINC of each kind in lib/chart/vitals.ts.
    const vitals = ['8867-4', '9279-1', '8310-5', '59408-5', '29463-7', '8302-2', '39156-5', '9843-4'];
    for (const loinc of vitals) expect(PLAIN_TESTS[loinc], loinc).toBeDefined();
    expect(PLAIN_TESTS['85354-9']).toBe('bloodPressure');
  });

  it('gives each curated test its own key', () => {
    expect(new Set(PLAIN_TEST_KEYS).size).toBe(PLAIN_TEST_KEYS.length);
  });
});

describe('rangePosition', () => {
  const range = { low: 70, high: 99 };
  it('says below, in or above the usual range, the ends counting as in', () => {
    expect(rangePosition(65, range)).toBe('below');
    expect(rangePosition(70, range)).toBe('in');
    expect(rangePosition(99, range)).toBe('in');
    expect(rangePosition(128, range)).toBe('above');
  });
  it('works with one-sided ranges and gives nothing without numbers', () => {
    expect(rangePosition(130, { high: 100 })).toBe('above');
    expect(rangePosition(30, { low: 40 })).toBe('below');
    expect(rangePosition(50, { low: 40 })).toBe('in');
    expect(rangePosition(50, {})).toBeUndefined();
    expect(rangePosition(50, undefined)).toBeUndefined();
  });
  it('counts a bound the range leaves out ("> 59", "< 200") as outside it', () => {
    expect(rangePosition(59, { low: 59, lowExclusive: true })).toBe('below');
    expect(rangePosition(60, { low: 59, lowExclusive: true })).toBe('in');
    expect(rangePosition(200, { high: 200, highExclusive: true })).toBe('above');
    expect(rangePosition(199, { high: 200, highExclusive: true })).toBe('in');
  });
});

describe('rangeBarScale', () => {
  it('puts a two-sided usual range in the middle half and the value where it sits', () => {
    expect(rangeBarScale(85, { low: 70, high: 100 })).toEqual({ usualStart: 25, usualEnd: 75, value: 50 });
  });
  it('widens the bar so a far-out value stays on it, at the end', () => {
    const s = rangeBarScale(300, { low: 70, high: 100 })!;
    expect(s.value).toBe(100);
    expect(s.usualStart).toBeLessThan(s.usualEnd);
    expect(s.usualEnd).toBeLessThan(100);
    expect(rangeBarScale(10, { low: 70, high: 100 })!.value).toBe(0);
  });
  it('draws an upper limit from zero, and a lower limit to the end', () => {
    const upper = rangeBarScale(130, { high: 100 })!;
    expect(upper.usualStart).toBe(0);
    expect(upper.value).toBeGreaterThan(upper.usualEnd);
    const lower = rangeBarScale(50, { low: 40 })!;
    expect(lower.usualEnd).toBe(100);
    expect(lower.value).toBeGreaterThan(lower.usualStart);
    expect(rangeBarScale(5, {})).toBeUndefined();
  });
});

describe('trendDirection', () => {
  it('calls a change under 5% the same', () => {
    expect(trendDirection(100, 104)).toBe('same');
    expect(trendDirection(100, 110)).toBe('up');
    expect(trendDirection(100, 90)).toBe('down');
    expect(trendDirection(0, 0)).toBe('same');
  });
});

describe('conditions and spokenName', () => {
  it('knows common conditions by SNOMED CT code, and drops the semantic tag of the others', () => {
    expect(plainConditionKey('38341003')).toBe('highBloodPressure');
    expect(plainConditionKey('59621000')).toBe('highBloodPressure');
    expect(plainConditionKey('123')).toBeUndefined();
    expect(plainConditionKey(undefined)).toBeUndefined();
    expect(withoutSemanticTag('Acute viral pharyngitis (disorder)')).toBe('Acute viral pharyngitis');
    expect(withoutSemanticTag('Gout')).toBe('Gout');
  });
  it('says "Family, Given" as "Given Family"', () => {
    expect(spokenName('Rivera, Ana María')).toBe('Ana María Rivera');
    expect(spokenName('Cher')).toBe('Cher');
  });
});
