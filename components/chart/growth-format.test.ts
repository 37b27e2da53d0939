import { describe, expect, it } from 'vitest';
import {
  ageTickLabel,
  ageTicks,
  formatPercentile,
  formatZ,
  lengthTickLabel,
  lengthTicks,
} from './growth-format';

describe('growth display', () => {
  it('writes percentiles with ordinals, one decimal in the tails', () => {
    expect([1.4, 2, 3, 11, 22, 50.4, 62, 99].map(formatPercentile)).toEqual([
      '1st percentile',
      '2nd percentile',
      '3rd percentile',
      '11th percentile',
      '22nd percentile',
      '50th percentile',
      '62nd percentile',
      '99th percentile',
    ]);
    expect(formatPercentile(0.42)).toBe('0.4th percentile');
    expect(formatPercentile(99.96)).toBe('> 99.9th percentile');
    expect(formatPercentile(0.01)).toBe('< 0.1st percentile');
    expect(formatZ(-1.234)).toBe('z −1.23');
  });

  it('chooses age ticks by span, each label once', () => {
    expect(ageTicks([0, 15]).map(ageTickLabel)).toEqual(['0 mo', '3 mo', '6 mo', '9 mo', '12 mo', '15 mo']);
    expect(ageTicks([23, 91]).map(ageTickLabel)).toEqual(['2 y', '3 y', '4 y', '5 y', '6 y', '7 y']);
    for (const span of [
      [0, 3],
      [0, 36],
      [24, 240],
      [100, 230],
    ] as const) {
      const labels = ageTicks(span).map(ageTickLabel);
      expect(new Set(labels).size).toBe(labels.length);
      expect(labels.length).toBeGreaterThanOrEqual(1);
      expect(labels.length).toBeLessThanOrEqual(8);
    }
  });

  it('chooses length ticks by span for weight-for-length', () => {
    expect(lengthTicks([47, 54]).map(lengthTickLabel)).toEqual(['48 cm', '50 cm', '52 cm', '54 cm']);
    expect(lengthTicks([59, 80])).toEqual([60, 65, 70, 75, 80]);
    expect(lengthTicks([45, 110])).toEqual([50, 60, 70, 80, 90, 100, 110]);
  });
});
