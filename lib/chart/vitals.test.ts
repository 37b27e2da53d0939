import { describe, expect, it } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import { mapVitals } from './vitals';

const U = 'http://unitsofmeasure.org';
const loinc = (code: string): Observation['code'] => ({ coding: [{ system: 'http://loinc.org', code }] });
const obs = (id: string, code: string, time: string, extra: Partial<Observation> = {}): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: loinc(code),
  effectiveDateTime: time,
  ...extra,
});
const mmHg = (value: number): Observation['valueQuantity'] => ({
  value,
  unit: 'mmHg',
  system: U,
  code: 'mm[Hg]',
});

describe('mapVitals', () => {
  it('reads BP panels (85354-9, 55284-4) and pairs lone systolic/diastolic by time, oldest first', () => {
    const m = mapVitals([
      obs('p2', '55284-4', '2024-02-01T10:00:00Z', {
        component: [
          { code: loinc('8480-6'), valueQuantity: mmHg(150) },
          { code: loinc('8462-4'), valueQuantity: mmHg(95) },
        ],
      }),
      obs('p1', '85354-9', '2024-01-01T10:00:00Z', {
        component: [
          { code: loinc('8480-6'), valueQuantity: mmHg(120) },
          { code: loinc('8462-4'), valueQuantity: mmHg(80) },
        ],
      }),
      obs('s', '8480-6', '2024-03-01T10:00:00Z', { valueQuantity: mmHg(130) }),
      obs('d', '8462-4', '2024-03-01T10:00:00Z', { valueQuantity: mmHg(85) }),
    ]);
    const bp = m.series[0];
    expect(bp?.kind).toBe('blood-pressure');
    expect(bp?.points.map((p) => ('systolic' in p ? [p.systolic, p.diastolic] : []))).toEqual([
      [120, 80],
      [150, 95],
      [130, 85],
    ]);
  });

  it('converts UCUM units, keeps originals, and drops entered-in-error and preliminary results', () => {
    const m = mapVitals(
      [
        obs('w1', '29463-7', '2024-01-01', {
          valueQuantity: { value: 154, unit: 'lb', system: U, code: '[lb_av]' },
        }),
        obs('w2', '29463-7', '2024-02-01', {
          valueQuantity: { value: 70, unit: 'kg', system: U, code: 'kg' },
        }),
        obs('w3', '29463-7', '2024-03-01', {
          status: 'entered-in-error',
          valueQuantity: { value: 7, system: U, code: 'kg' },
        }),
        obs('w4', '29463-7', '2024-04-01', {
          status: 'preliminary',
          valueQuantity: { value: 8, system: U, code: 'kg' },
        }),
        obs('w5', '29463-7', '2024-05-01', { valueQuantity: { value: 11, unit: 'stone' } }),
        obs('t1', '8310-5', '2024-01-01', { valueQuantity: { value: 100.4, system: U, code: '[degF]' } }),
        obs('h1', '8867-4', '2024-01-01', { valueQuantity: { value: 72, system: U, code: '/min' } }),
      ],
      { birthDate: '1970-05-01', gender: 'male' },
    );
    const kinds = m.series.map((s) => s.kind);
    expect(kinds).toEqual(['heart-rate', 'temperature', 'weight']);
    const weight = m.series.find((s) => s.kind === 'weight');
    expect(weight?.kind === 'weight' ? weight.points.map((p) => p.value) : []).toEqual([69.85, 70]);
    const temp = m.series.find((s) => s.kind === 'temperature');
    expect(temp?.points[0]).toMatchObject({ value: 38, original: { value: 100.4, unit: '[degF]' } });
    expect(m.series.find((s) => s.kind === 'heart-rate')).toMatchObject({
      unit: '/min',
      band: { low: 60, high: 100 },
      bandSource: 'Adult reference range',
    });
  });

  it('returns no series for no data', () => {
    expect(mapVitals([]).series).toEqual([]);
  });
});

const perMin = (value: number): Observation['valueQuantity'] => ({ value, system: U, code: '/min' });
const inBand = (v: number, band: { low?: number; high?: number } | undefined): boolean =>
  band !== undefined &&
  (band.low === undefined || v >= band.low) &&
  (band.high === undefined || v <= band.high);

describe('mapVitals bands by age', () => {
  it('gives a 14-month-old Fleming bands: HR 146 and RR 46 are inside them, not above 60–100 and 12–20', () => {
    const m = mapVitals(
      [
        obs('h', '8867-4', '2025-11-15', { valueQuantity: perMin(146) }),
        obs('r', '9279-1', '2025-11-15', { valueQuantity: perMin(46) }),
      ],
      { birthDate: '2024-09-10', gender: 'female' },
    );
    const hr = m.series.find((s) => s.kind === 'heart-rate');
    const rr = m.series.find((s) => s.kind === 'respiratory-rate');
    expect(hr).toMatchObject({
      band: { low: 88, high: 156 },
      bandSource: expect.stringContaining('12–18 months'),
    });
    expect(rr).toMatchObject({ band: { low: 21, high: 53 } });
    expect(inBand(146, hr?.kind === 'heart-rate' ? hr.band : undefined)).toBe(true);
    expect(inBand(46, rr?.kind === 'respiratory-rate' ? rr.band : undefined)).toBe(true);
  });

  it("puts a 7-year-old's RR 23 and BMI 16.8 inside the child bands and notes why BP has none", () => {
    const m = mapVitals(
      [
        obs('r', '9279-1', '2026-06-01', { valueQuantity: perMin(23) }),
        obs('b', '39156-5', '2026-06-01', { valueQuantity: { value: 16.8, system: U, code: 'kg/m2' } }),
        obs('p', '85354-9', '2026-06-01', {
          component: [
            { code: loinc('8480-6'), valueQuantity: mmHg(100) },
            { code: loinc('8462-4'), valueQuantity: mmHg(60) },
          ],
        }),
      ],
      { birthDate: '2019-04-12', gender: 'male' },
    );
    const rr = m.series.find((s) => s.kind === 'respiratory-rate');
    const bmi = m.series.find((s) => s.kind === 'bmi');
    const bp = m.series.find((s) => s.kind === 'blood-pressure');
    expect(rr).toMatchObject({ band: { low: 16, high: 27 } });
    expect(inBand(23, rr?.kind === 'respiratory-rate' ? rr.band : undefined)).toBe(true);
    // CDC 2000 BMI-for-age, boys at 85.5 months: 5th ≈ 13.8, 85th ≈ 17.4.
    const bmiBand = bmi?.kind === 'bmi' ? bmi.band : undefined;
    expect(bmiBand?.low).toBeCloseTo(13.8, 0);
    expect(bmiBand?.high).toBeCloseTo(17.4, 0);
    expect(inBand(16.8, bmiBand)).toBe(true);
    expect(bp).toMatchObject({ bandNote: expect.stringContaining('height percentile') });
  });

  it('never gives an adult band under 18, and none without a birth date', () => {
    const vitals = [
      obs('h', '8867-4', '2026-06-01', { valueQuantity: perMin(70) }),
      obs('t', '8310-5', '2026-06-01', { valueQuantity: { value: 37, system: U, code: 'Cel' } }),
      obs('s', '59408-5', '2026-06-01', { valueQuantity: { value: 98, system: U, code: '%' } }),
    ];
    const teen = mapVitals(vitals, { birthDate: '2008-07-01', gender: 'female' });
    expect(teen.series.find((s) => s.kind === 'heart-rate')).toMatchObject({ band: { low: 43, high: 104 } });
    expect(teen.series.filter((s) => s.kind !== 'blood-pressure' && s.band !== undefined)).toHaveLength(1);
    const adult = mapVitals(vitals, { birthDate: '2008-05-01', gender: 'female' });
    expect(adult.series.find((s) => s.kind === 'heart-rate')).toMatchObject({ band: { low: 60, high: 100 } });
    expect(mapVitals(vitals).series.every((s) => s.kind === 'blood-pressure' || s.band === undefined)).toBe(
      true,
    );
  });
});
