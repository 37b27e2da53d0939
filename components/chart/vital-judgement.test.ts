import { describe, expect, it } from 'vitest';
import type { AnyVitalSeries } from '@/lib/chart/types';
import { bandLines } from './trend-chart';
import { comparatorsOf, judgeReadings } from './vital-judgement';
import { bandRunsOf, pairRunsOf, toTrend } from './vital-trend';

const heartRate = (band?: { low?: number; high?: number }): AnyVitalSeries => ({
  kind: 'heart-rate',
  loinc: '8867-4',
  label: 'Heart rate',
  unit: '/min',
  ...(band ? { band } : {}),
  points: [
    { observationId: 'low', time: '2025-01-01T00:00:00Z', value: 50 },
    { observationId: 'normal', time: '2025-01-02T00:00:00Z', value: 80 },
    { observationId: 'high', time: '2025-01-03T00:00:00Z', value: 110 },
  ],
});

const bloodPressure = (bands?: {
  systolic: { high: number };
  diastolic: { high: number };
}): AnyVitalSeries => ({
  kind: 'blood-pressure',
  loinc: '85354-9',
  label: 'Blood pressure',
  unit: 'mm[Hg]',
  ...(bands ? { bands } : {}),
  points: [
    { observationId: 'normal', time: '2025-01-01T00:00:00Z', systolic: 110, diastolic: 70 },
    { observationId: 'above', time: '2025-01-02T00:00:00Z', systolic: 110, diastolic: 80 },
    { observationId: 'severe', time: '2025-01-03T00:00:00Z', systolic: 185, diastolic: 90 },
    {
      observationId: 'bound',
      time: '2025-01-04T00:00:00Z',
      systolic: 250,
      diastolic: 90,
      systolicComparator: '>',
    },
  ],
});

/** Each reading's judgement, as the tile judges it. */
function judged(series: AnyVitalSeries) {
  const band = series.kind === 'blood-pressure' ? undefined : series.band;
  const judge = judgeReadings(series, bandLines(band, bandRunsOf(series), pairRunsOf(series)));
  return judge && Object.fromEntries(toTrend(series, 'UTC').map((p) => [p.id, judge(p)]));
}

describe('judgeReadings', () => {
  it('judges nothing for a vital with no band', () => {
    expect(judged(heartRate())).toBeUndefined();
  });
  it('flags a reading outside its band and writes the band', () => {
    expect(judged(heartRate({ low: 60, high: 100 }))).toEqual({
      low: { range: '60–100', flag: 'below' },
      normal: { range: '60–100' },
      high: { range: '60–100', flag: 'above' },
    });
  });
  it('calls a blood pressure above at its limit, and severely high whatever the limits', () => {
    expect(judged(bloodPressure({ systolic: { high: 120 }, diastolic: { high: 80 } }))).toEqual({
      normal: { range: 'below 120/80' },
      above: { range: 'below 120/80', flag: 'above' },
      severe: { range: 'below 120/80', flag: 'severe' },
      bound: { range: 'below 120/80', flag: 'severe' },
    });
    expect(judged(bloodPressure())).toEqual({
      normal: undefined,
      above: undefined,
      severe: { flag: 'severe' },
      bound: { flag: 'severe' },
    });
  });
});

describe('comparatorsOf', () => {
  it('lists only the readings known as a bound, with each value’s comparator', () => {
    expect([...comparatorsOf(bloodPressure())]).toEqual([['bound', ['>', undefined]]]);
    expect(comparatorsOf(heartRate()).size).toBe(0);
  });
});
