import { describe, expect, it } from 'vitest';
import { boundBeyondBand } from './vital-bands';

describe('boundBeyondBand', () => {
  const spo2 = { low: 95, high: 100 };
  it('judges a bound only where every value it may be lies beyond the band', () => {
    expect(boundBeyondBand('<', 70, spo2)).toBe('below');
    expect(boundBeyondBand('<', 95, spo2)).toBe('below');
    expect(boundBeyondBand('<=', 94, spo2)).toBe('below');
    expect(boundBeyondBand('>', 38, { low: 36.1, high: 37.8 })).toBe('above');
    expect(boundBeyondBand('>=', 37.9, { low: 36.1, high: 37.8 })).toBe('above');
  });

  it('does not judge a bound that may lie inside the band, or on the side the band has no end', () => {
    expect(boundBeyondBand('<', 97, spo2)).toBeUndefined();
    expect(boundBeyondBand('<=', 95, spo2)).toBeUndefined();
    expect(boundBeyondBand('>', 90, spo2)).toBeUndefined();
    expect(boundBeyondBand('>=', 37.8, { low: 36.1, high: 37.8 })).toBeUndefined();
    expect(boundBeyondBand('>', 200, { low: 95 })).toBeUndefined();
    expect(boundBeyondBand('<', 10, { high: 100 })).toBeUndefined();
  });
});
