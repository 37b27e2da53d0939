import { describe, expect, it } from 'vitest';
import {
  ageTicks,
  formatPercentile,
  formatZ,
  lengthTickLabel,
  lengthTicks,
  readingWhen,
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
    expect([0.2, 0.31, 0.14, 99.12, 99.23, 99.5].map(formatPercentile)).toEqual([
      '0.2nd percentile',
      '0.3rd percentile',
      '0.1st percentile',
      '99.1st percentile',
      '99.2nd percentile',
      '99.5th percentile',
    ]);
    expect(formatPercentile(99.96)).toBe('> 99.9th percentile');
    expect(formatPercentile(0.01)).toBe('< 0.1st percentile');
    expect(formatZ(-1.234)).toBe('z −1.23');
  });

  it("gives a newborn's first weeks an axis of weeks, placed where those ages fall", () => {
    // A three-week-old's charts span birth to about ten weeks: "0 mo" alone said nothing.
    const ticks = ageTicks([0, 2.3]);
    expect(ticks.map((t) => t.label)).toEqual(['0', '2 wk', '4 wk', '6 wk', '8 wk', '10 wk']);
    // Four weeks is 28 days, 0.92 of a month of 30.4375 days, where a reading on day 28 is drawn.
    expect(ticks[2]?.months).toBeCloseTo(28 / 30.4375, 10);
    expect(ageTicks([0, 1.5]).map((t) => t.label)).toEqual([
      '0',
      '1 wk',
      '2 wk',
      '3 wk',
      '4 wk',
      '5 wk',
      '6 wk',
    ]);
  });

  it('chooses age ticks by span, each label once', () => {
    const labels = (span: readonly [number, number]) => ageTicks(span).map((t) => t.label);
    expect(labels([0, 15])).toEqual(['0 mo', '3 mo', '6 mo', '9 mo', '12 mo', '15 mo']);
    expect(labels([23, 91])).toEqual(['2 y', '3 y', '4 y', '5 y', '6 y', '7 y']);
    expect(labels([0, 5])).toEqual(['0 mo', '1 mo', '2 mo', '3 mo', '4 mo', '5 mo']);
    for (const span of [
      [0, 3],
      [0, 36],
      [24, 240],
      [100, 230],
      [0, 0.7],
    ] as const) {
      const labels = ageTicks(span).map((t) => t.label);
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

describe('readingWhen', () => {
  // A newborn weighed in the evening in Honolulu, sent in UTC: the next day there.
  const p = { time: '2026-03-05T06:30:00Z', age: '4 days' };
  it('dates a reading and ages the patient on its day in the chart zone, as the vitals table does', () => {
    expect(readingWhen(p, '2026-03-01', 'Pacific/Honolulu')).toEqual({ date: 'Mar 4, 2026', age: '3 days' });
    expect(readingWhen(p, '2026-03-01', 'UTC')).toEqual({ date: 'Mar 5, 2026', age: '4 days' });
    expect(readingWhen(p, '2026-03-01', 'Pacific/Kiritimati')).toEqual({
      date: 'Mar 5, 2026',
      age: '4 days',
    });
  });
  it("counts whole months on the zone's day", () => {
    // 08:00 UTC on 1 Apr is still 31 Mar in Honolulu: one month not yet complete there.
    const q = { time: '2026-04-01T08:00:00Z', age: '1 month' };
    expect(readingWhen(q, '2026-03-01', 'Pacific/Honolulu').age).toBe('30 days');
    expect(readingWhen(q, '2026-03-01', 'UTC').age).toBe('1 month');
  });
  it("keeps the server's age without a birth date, and a date-only reading's day as written", () => {
    expect(readingWhen(p, undefined, 'Pacific/Honolulu')).toEqual({ date: 'Mar 4, 2026', age: '4 days' });
    expect(readingWhen({ time: '2026-03-05', age: 'x' }, '2026-03-01', 'Pacific/Honolulu')).toEqual({
      date: 'Mar 5, 2026',
      age: '4 days',
    });
  });
});
