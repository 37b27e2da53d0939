import { describe, expect, it } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import tables from './growth/lms-tables.json';
import wflTables from './growth/weight-for-length.json';
import { lmsPercentile } from '../../test/support/lms-percentile';
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

/** Percentile from an LMS row [age, L, M, S], computed in the test (see test/support/lms-percentile.ts). */
function percentileFromRow([, l, m, s]: readonly number[], x: number): number {
  return lmsPercentile(l as number, m as number, s as number, x);
}

/** z from an LMS row [x, L, M, S] (L ≠ 0), and the value at a z, computed in the test. */
const plainZ = ([, l, m, s]: readonly number[], x: number) =>
  ((x / (m as number)) ** (l as number) - 1) / ((l as number) * (s as number));
const valueAt = ([, l, m, s]: readonly number[], z: number) =>
  (m as number) * (1 + (l as number) * (s as number) * z) ** (1 / (l as number));
/** z as the WHO's restricted LMS computes it for weight (Methods and development, 2006, chapter 7). */
function restrictedZ(row: readonly number[], x: number): number {
  const z = plainZ(row, x);
  if (z > 3) return 3 + (x - valueAt(row, 3)) / (valueAt(row, 3) - valueAt(row, 2));
  if (z < -3) return -3 + (x - valueAt(row, -3)) / (valueAt(row, -2) - valueAt(row, -3));
  return z;
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

  it('neither draws nor grades a reading that cannot be, and says how many it left out', () => {
    const birth = '2025-01-01T00:00:00.000Z';
    const m = mapGrowth(
      [
        // Grams sent as kilograms at birth; a real weight a month later.
        obs('w0', '29463-7', at(birth, 0), 3300, 'kg'),
        obs('w1', '29463-7', at(birth, 30), 4.5, 'kg'),
        obs('l1', '8302-2', at(birth, 29), 1.76, 'cm'),
        obs('l2', '8302-2', at(birth, 30), 54, 'cm'),
      ],
      { birthDate: '2025-01-01', gender: 'male' },
      new Date('2025-03-01'),
    );
    const weight = m.charts.find((c) => c.measure === 'weight')!;
    expect(weight.points.map((p) => p.value)).toEqual([4.5]);
    expect(weight.notPossible).toBe(1);
    const length = m.charts.find((c) => c.measure === 'length')!;
    expect(length.points.map((p) => p.value)).toEqual([54]);
    expect(length.notPossible).toBe(1);
    // Weight-for-length pairs only readings that can be.
    const forLength = m.charts.find((c) => c.measure === 'weight-length')!;
    expect(forLength.points.map((p) => [p.value, p.length])).toEqual([[4.5, 54]]);
  });

  it('neither draws nor grades a weight known only as a bound, and does not call it impossible', () => {
    const birth = '2025-01-01T00:00:00.000Z';
    const bounded = obs('w0', '29463-7', at(birth, 10), 2, 'kg');
    const m = mapGrowth(
      [
        { ...bounded, valueQuantity: { ...bounded.valueQuantity!, comparator: '<' } },
        { ...obs('w1', '29463-7', at(birth, 30), 4.5, 'kg'), status: 'preliminary' },
      ],
      { birthDate: '2025-01-01', gender: 'male' },
      new Date('2025-03-01'),
    );
    const weight = m.charts.find((c) => c.measure === 'weight')!;
    expect(weight.points.map((p) => [p.value, p.status])).toEqual([[4.5, 'preliminary']]);
    expect(weight).not.toHaveProperty('notPossible');
  });

  it('draws only the WHO curves for a child measured to 23 months, and breaks the curves at 24 months when the data crosses it', () => {
    const birth = '2019-03-16T00:00:00.000Z';
    const patient = { birthDate: '2019-03-16', gender: 'male' } as const;
    const young = mapGrowth(
      [obs('h1', '8302-2', at(birth, 30), 53, 'cm'), obs('h2', '8302-2', at(birth, 700), 87.1, 'cm')],
      patient,
      new Date('2026-02-01'),
    ).charts.find((c) => c.measure === 'length')!;
    expect(young.source).toBe('WHO 2006 (0–2 years)');
    expect(young.referenceChange).toBeUndefined();
    for (const c of young.curves) expect(Math.max(...c.points.map((p) => p[0]))).toBeLessThan(24);

    const crossing = mapGrowth(
      [obs('h1', '8302-2', at(birth, 500), 80, 'cm'), obs('h2', '8302-2', at(birth, 1000), 94, 'cm')],
      patient,
      new Date('2026-02-01'),
    ).charts.find((c) => c.measure === 'length')!;
    expect(crossing.source).toBe('WHO 2006 (0–2 years), CDC 2000 (2–20 years)');
    expect(crossing.referenceChange).toBe(24);
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

  it('gives a WHO weight beyond ±3 SD the z the WHO computes, in steps of the 2–3 SD width; a CDC one plain LMS', () => {
    const who = tables.tables.weight.female[0]!.rows[24]!; // 11.99 months
    const cdc = tables.tables.weight.female[1]!.rows[24]!; // 47.5 months
    const birth = '2015-01-01';
    const born = Date.parse(`${birth}T00:00:00Z`);
    const when = (months: number, hours: number) =>
      new Date(born + months * 30.4375 * DAY + hours * 3_600_000).toISOString();
    const heavy = (who[2] as number) * 2;
    const light = (who[2] as number) * 0.55;
    const cdcHeavy = (cdc[2] as number) * 1.9;
    const m = mapGrowth(
      [
        obs('heavy', '29463-7', when(who[0] as number, 0), heavy, 'kg'),
        obs('light', '29463-7', when(who[0] as number, 1), light, 'kg'),
        obs('cdc', '29463-7', when(cdc[0] as number, 0), cdcHeavy, 'kg'),
      ],
      { birthDate: birth, gender: 'female' },
      new Date('2026-01-01'),
    );
    const z = new Map(
      m.charts.find((c) => c.measure === 'weight')?.points.map((p) => [p.observationId, p.z]),
    );
    expect(plainZ(who, heavy)).toBeGreaterThan(3);
    expect(plainZ(who, light)).toBeLessThan(-3);
    expect(z.get('heavy')).toBeCloseTo(restrictedZ(who, heavy), 2);
    expect(z.get('light')).toBeCloseTo(restrictedZ(who, light), 2);
    // Plain LMS gives another answer at both ends.
    expect(Math.abs(restrictedZ(who, heavy) - plainZ(who, heavy))).toBeGreaterThan(0.5);
    expect(Math.abs(restrictedZ(who, light) - plainZ(who, light))).toBeGreaterThan(0.3);
    // The CDC charts have no restricted rule: past +3 the CDC's own LMS z.
    expect(plainZ(cdc, cdcHeavy)).toBeGreaterThan(3);
    expect(z.get('cdc')).toBeCloseTo(plainZ(cdc, cdcHeavy), 2);
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

const weight = (id: string, time: string, kg: number) => obs(id, '29463-7', time, kg, 'kg');
const length = (id: string, time: string, cm: number) => obs(id, '8306-3', time, cm, 'cm');

/**
 * Percentile of a weight at a length, computed here from the shipped WHO rows: the row at or
 * below the length and the next one, mixed by hand; then the LMS formula and Φ by the erf series.
 */
function expectedPercentile(sex: 'male' | 'female', cm: number, kg: number): number {
  const rows = wflTables.tables[sex];
  const below = rows.filter((r) => (r[0] as number) <= cm + 1e-9).at(-1)!;
  const above = rows.find((r) => (r[0] as number) >= cm - 1e-9)!;
  const f = above[0] === below[0] ? 0 : (cm - below[0]!) / (above[0]! - below[0]!);
  const [l, m, s] = [1, 2, 3].map((k) => below[k]! + (above[k]! - below[k]!) * f) as [number, number, number];
  return lmsPercentile(l, m, s, kg);
}

describe('weight-for-length (WHO, under 2 years)', () => {
  it('ships the WHO rows every 0.1 cm from 45 to 110 cm for both sexes', () => {
    for (const sex of ['male', 'female'] as const) {
      const rows = wflTables.tables[sex];
      expect(rows).toHaveLength(651);
      expect(rows[0]?.[0]).toBe(45);
      expect(rows.at(-1)?.[0]).toBe(110);
    }
    // The WHO's first boys' row (wfl_boys_z_exp): 45.0 cm, L −0.3521, M 2.441, S 0.09182.
    expect(wflTables.tables.male[0]).toEqual([45, -0.3521, 2.441, 0.09182]);
  });

  it('pairs weight and length measured the same day, with percentiles computed from the LMS rows', () => {
    const birth = '2026-01-10';
    const readings = [
      { day: '2026-01-12', cm: 49.3, kg: 3.05 },
      { day: '2026-04-02', cm: 58.75, kg: 5.4 },
      { day: '2026-09-20', cm: 68.2, kg: 8.9 },
    ];
    const observations = readings.flatMap((r, i) => [
      weight(`w${i}`, `${r.day}T09:00:00Z`, r.kg),
      length(`l${i}`, `${r.day}T09:05:00Z`, r.cm),
    ]);
    // A weight with no length that day, and a length with no weight: neither is drawn.
    observations.push(weight('lonely-w', '2026-06-01T10:00:00Z', 7), length('lonely-l', '2026-07-01', 64));
    const m = mapGrowth(observations, { birthDate: birth, gender: 'female' }, new Date('2026-11-01'));
    expect(m.charts.map((c) => c.measure)).toEqual(['weight', 'length', 'weight-length']);
    const wfl = m.charts.find((c) => c.measure === 'weight-length')!;
    expect(wfl.xAxis).toBe('length');
    expect(wfl.source).toContain('WHO 2006');
    expect(wfl.points.map((p) => [p.observationId, p.length, p.value])).toEqual(
      readings.map((r, i) => [`w${i}`, r.cm, r.kg]),
    );
    readings.forEach((r, i) => {
      const p = wfl.points[i]!;
      const want = expectedPercentile('female', r.cm, r.kg);
      expect(Math.abs(p.percentile! - want), `${r.kg} kg at ${r.cm} cm`).toBeLessThan(0.01);
    });
    // Curves on the length axis around the child's own lengths.
    const median = wfl.curves.find((c) => c.percentile === 50)!;
    expect(median.points[0]?.[0]).toBeLessThanOrEqual(49.3);
    expect(median.points.at(-1)?.[0]).toBeGreaterThanOrEqual(68.2);
  });

  it('gives a weight beyond +3 SD for its length the WHO’s restricted z, not the plain LMS one', () => {
    const row = wflTables.tables.male.find((r) => r[0] === 65)!;
    const kg = (row[2] as number) * 1.8;
    const m = mapGrowth(
      [weight('w', '2026-03-01', kg), length('l', '2026-03-01', 65)],
      { birthDate: '2025-09-01', gender: 'male' },
      new Date('2026-04-01'),
    );
    const p = m.charts.find((c) => c.measure === 'weight-length')?.points[0];
    expect(plainZ(row, kg)).toBeGreaterThan(3);
    expect(Math.abs(restrictedZ(row, kg) - plainZ(row, kg))).toBeGreaterThan(0.3);
    expect(p?.z).toBeCloseTo(restrictedZ(row, kg), 3);
  });

  it('puts a boy at the WHO median weight at the 50th percentile', () => {
    const m = mapGrowth(
      [weight('w', '2026-03-01', 7.2666), length('l', '2026-03-01', 65)],
      { birthDate: '2025-09-01', gender: 'male' },
      new Date('2026-04-01'),
    );
    const p = m.charts.find((c) => c.measure === 'weight-length')?.points[0];
    expect(p?.percentile).toBeCloseTo(50, 3);
    expect(p?.z).toBeCloseTo(0, 4);
  });

  it('is not drawn from 2 years, nor for lengths outside 45–110 cm; without a sex it has no percentiles', () => {
    const data = [weight('w', '2025-06-01', 9), length('l', '2025-06-01', 72)];
    const twoYears = mapGrowth(data, { birthDate: '2024-06-01', gender: 'male' }, new Date('2026-06-02'));
    expect(twoYears.charts.map((c) => c.measure)).not.toContain('weight-length');
    const tiny = mapGrowth(
      [weight('w', '2026-01-02', 1.9), length('l', '2026-01-02', 44)],
      { birthDate: '2026-01-01', gender: 'female' },
      new Date('2026-02-01'),
    );
    expect(tiny.charts.map((c) => c.measure)).not.toContain('weight-length');
    const unknown = mapGrowth(data, { birthDate: '2024-12-01', gender: 'other' }, new Date('2026-01-01'));
    const wfl = unknown.charts.find((c) => c.measure === 'weight-length');
    expect(wfl?.points[0]?.percentile).toBeUndefined();
    expect(wfl?.curves).toEqual([]);
  });
});
