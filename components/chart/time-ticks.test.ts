import { describe, expect, it } from 'vitest';
import { calendarTicks } from './time-ticks';

const t = (iso: string): number => Date.parse(iso);
const labels = (a: string, b: string, max?: number) => calendarTicks([t(a), t(b)], max).map((x) => x.label);

describe('calendarTicks', () => {
  it('chooses the interval by span, on calendar boundaries', () => {
    expect(labels('2026-11-01T10:00:00Z', '2026-11-04T09:00:00Z')).toEqual(['Nov 2', 'Nov 3', 'Nov 4']);
    expect(labels('2026-01-15', '2026-12-20')).toEqual(['Apr 2026', 'Jul 2026', 'Oct 2026']);
    expect(labels('2021-12-01', '2026-11-30')).toEqual(['2022', '2024', '2026']);
    expect(labels('1960-05-01', '2026-11-30')).toEqual(['1980', '2000', '2020']);
    expect(calendarTicks([t('2026-01-15'), t('2026-12-20')])[0]?.time).toBe(t('2026-04-01'));
  });

  it('never repeats a label: a span inside one month gets days or weeks, not "Nov 2026" three times', () => {
    for (const [a, b] of [
      ['2026-11-03', '2026-11-25'],
      ['2026-05-01', '2026-05-02'],
      ['2026-05-10T08:00:00Z', '2026-05-10T20:00:00Z'],
      ['2020-01-01', '2026-11-30'],
    ] as const) {
      const l = labels(a, b);
      expect(new Set(l).size).toBe(l.length);
      expect(l.length).toBeLessThanOrEqual(4);
    }
    expect(labels('2026-11-03', '2026-11-25')).toEqual(['Nov 9', 'Nov 16', 'Nov 23']);
    expect(labels('2026-05-10T08:00:00Z', '2026-05-10T20:00:00Z')).toEqual(['May 10']);
  });

  it('gives no ticks for an empty span', () => {
    expect(calendarTicks([5, 5])).toEqual([]);
  });
});
