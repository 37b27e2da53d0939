import { describe, expect, it } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import tables from './growth/lms-tables.json';
import { mapGrowth } from './growth';

const U = 'http://unitsofmeasure.org';
const DAY = 86_400_000;
const obs = (id: string, code: string, time: string, value: number, unit: string): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code }] },
  effectiveDateTime: time,
  valueQuantity: { value, system: U, code: unit },
});
const at = (birth: string, days: number): string => new Date(Date.parse(birth) + days * DAY).toISOString();

/** Percentile from an LMS row, computed here with its own normal CDF (erf by series). */
function percentileFromRow([, l, m, s]: readonly number[], x: number): number {
  const z =
    l === 0
      ? Math.log(x / (m as number)) / (s as number)
      : ((x / (m as number)) ** (l as number) - 1) / ((l as number) * (s as number));
  let sum = 0;
  let term = z / Math.SQRT2;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= -(z * z) / 2 / (n + 1);
  }
  return 50 * (1 + (2 / Math.sqrt(Math.PI)) * sum);
}

describe('mapGrowth', () => {
  it('puts a WHO median boy at the 50th percentile at birth and at 12 months', () => {
    const birth = '2025-01-01T00:00:00.000Z';
    const m = mapGrowth(
      [obs('w0', '29463-7', at(birth, 0), 3.3464, 'kg'), obs('w12', '29463-7', at(birth, 365), 9.6479, 'kg')],
      { birthDate: '2025-01-01', gender: 'male' },
      new Date('2026-02-01'),
    );
    const weight = m.charts.find((c) => c.measure === 'weight');
    expect(weight?.source).toBe('WHO 2006 (0–2 years)');
    expect(weight?.points[0]?.percentile).toBeCloseTo(50, 1);
    expect(weight?.points[1]?.percentile).toBeCloseTo(50, 0);
    expect(weight?.curves.map((c) => c.percentile)).toEqual([3, 10, 25, 50, 75, 90, 97]);
  });

  it('gives each reading the percentile computed independently from the shipped LMS rows', () => {
    const rows = tables.tables.length.female[1]?.rows ?? [];
    const picks = [rows[1], rows[50], rows[150]].filter((r) => r !== undefined);
    expect(picks).toHaveLength(3);
    const birth = '2010-03-01';
    const born = Date.parse(`${birth}T00:00:00Z`);
    const readings = picks.map((r, i) => ({
      row: r,
      value: (r[2] as number) * (0.95 + 0.04 * i),
      time: new Date(born + (r[0] as number) * 30.4375 * DAY).toISOString(),
    }));
    const m = mapGrowth(
      readings.map((r, i) => obs(`h${i}`, '8302-2', r.time, r.value, 'cm')),
      { birthDate: birth, gender: 'female' },
      new Date('2026-01-01'),
    );
    const height = m.charts.find((c) => c.measure === 'length');
    expect(height?.points).toHaveLength(3);
    readings.forEach((r, i) => {
      expect(height?.points[i]?.percentile).toBeCloseTo(percentileFromRow(r.row, r.value), 1);
    });
    expect(height?.source).toContain('CDC 2000 (2–20 years)');
  });

  it('is not shown from 20 years, and has no percentiles without a recorded sex', () => {
    const w = [obs('w', '29463-7', '2020-01-01', 20, 'kg')];
    expect(mapGrowth(w, { birthDate: '2005-01-01', gender: 'male' }, new Date('2026-01-01'))).toEqual({
      shown: false,
      charts: [],
    });
    const unknown = mapGrowth(w, { birthDate: '2014-01-01', gender: 'unknown' }, new Date('2026-01-01'));
    expect(unknown.shown).toBe(true);
    expect(unknown.note).toMatch(/sex/);
    expect(unknown.charts[0]?.points[0]?.percentile).toBeUndefined();
    expect(unknown.charts[0]?.curves).toEqual([]);
  });

  it('leaves out head circumference after 36 months and BMI before 2 years', () => {
    const birth = '2020-01-01';
    const m = mapGrowth(
      [
        obs('hc1', '9843-4', at(birth, 400), 46, 'cm'),
        obs('hc2', '9843-4', at(birth, 1500), 50, 'cm'),
        obs('b1', '39156-5', at(birth, 300), 17, 'kg/m2'),
      ],
      { birthDate: birth, gender: 'female' },
      new Date('2026-01-01'),
    );
    expect(m.charts.map((c) => [c.measure, c.points.map((p) => p.observationId)])).toEqual([
      ['head', ['hc1']],
    ]);
  });
});
