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
    const m = mapVitals([
      obs('w1', '29463-7', '2024-01-01', {
        valueQuantity: { value: 154, unit: 'lb', system: U, code: '[lb_av]' },
      }),
      obs('w2', '29463-7', '2024-02-01', { valueQuantity: { value: 70, unit: 'kg', system: U, code: 'kg' } }),
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
    ]);
    const kinds = m.series.map((s) => s.kind);
    expect(kinds).toEqual(['heart-rate', 'temperature', 'weight']);
    const weight = m.series.find((s) => s.kind === 'weight');
    expect(weight?.kind === 'weight' ? weight.points.map((p) => p.value) : []).toEqual([69.85, 70]);
    const temp = m.series.find((s) => s.kind === 'temperature');
    expect(temp?.points[0]).toMatchObject({ value: 38, original: { value: 100.4, unit: '[degF]' } });
    expect(m.series.find((s) => s.kind === 'heart-rate')).toMatchObject({
      unit: '/min',
      band: { low: 60, high: 100 },
    });
  });

  it('returns no series for no data', () => {
    expect(mapVitals([]).series).toEqual([]);
  });
});
