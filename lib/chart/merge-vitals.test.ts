import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { mergeUnreadableOnly, mergeVitals } from './merge-vitals';
import { mapVitals } from './vitals';

const UCUM = 'http://unitsofmeasure.org';
let next = 0;
const quantity = (loinc: string, time: string, value: number, code: string): Observation => ({
  resourceType: 'Observation',
  id: `o${next++}`,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
  effectiveDateTime: time,
  valueQuantity: { value, system: UCUM, code, unit: code },
});
const pressure = (time: string, systolic: number, diastolic: number): Observation => ({
  resourceType: 'Observation',
  id: `o${next++}`,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
  effectiveDateTime: time,
  component: [
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
      valueQuantity: { value: systolic, system: UCUM, code: 'mm[Hg]' },
    },
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
      valueQuantity: { value: diastolic, system: UCUM, code: 'mm[Hg]' },
    },
  ],
});

describe('mergeVitals', () => {
  const general = mapVitals([
    pressure('2025-05-20T15:10:00Z', 128, 82),
    pressure('2025-03-01T09:00:00Z', 141, 90),
    quantity('29463-7', '2025-05-20T15:10:00Z', 80, 'kg'),
    quantity('8310-5', '2025-05-20T15:10:00Z', 37, 'Cel'),
    quantity('8310-5', '2025-04-01T08:00:00Z', 37, 'Cel'),
  ]);
  const clinic = mapVitals([
    pressure('2025-05-20T11:10:00-04:00', 128, 82),
    pressure('2025-03-01T09:00:00Z', 138, 90),
    pressure('2024-12-01T09:00:00Z', 120, 80),
    quantity('29463-7', '2025-05-20T15:10:00Z', 176.4, '[lb_av]'),
    quantity('8310-5', '2025-05-20T15:10:00Z', 100.8, '[degF]'),
    quantity('8310-5', '2025-04-01T08:00:00Z', 98.6, '[degF]'),
  ]);
  const merged = mergeVitals([
    { source: 'General', data: general },
    { source: 'Clinic', data: clinic },
  ]);
  const vital = (kind: string) => merged.find((v) => v.kind === kind)!;

  it('shows a blood pressure both systems hold once, as one reading with both sources', () => {
    const bp = vital('blood-pressure');
    expect(bp.sources).toEqual(['General', 'Clinic']);
    expect(bp.readings.map((r) => r.time)).toEqual([
      '2025-05-20T15:10:00Z',
      '2025-03-01T09:00:00Z',
      '2024-12-01T09:00:00Z',
    ]);
    expect(bp.readings[0]!.values).toEqual([
      { systolic: 128, diastolic: 82, sources: ['General', 'Clinic'] },
    ]);
    expect(bp.readings[2]!.values).toEqual([{ systolic: 120, diastolic: 80, sources: ['Clinic'] }]);
  });

  it('keeps two blood pressures that differ in one part side by side', () => {
    expect(vital('blood-pressure').readings[1]!.values).toEqual([
      { systolic: 141, diastolic: 90, sources: ['General'] },
      { systolic: 138, diastolic: 90, sources: ['Clinic'] },
    ]);
  });

  it('compares values after conversion, at the precision the chart shows them', () => {
    // 176.4 lb is 80.01 kg: shown as 80 kg, the same reading as the other system's.
    const weight = vital('weight');
    expect(weight.unit).toBe('kg');
    expect(weight.readings).toHaveLength(1);
    expect(weight.readings[0]!.values).toHaveLength(1);
    expect(weight.readings[0]!.values[0]!.sources).toEqual(['General', 'Clinic']);
    // 100.8 °F is 38.2 °C, not 37 °C: side by side, each in the vital's unit; 98.6 °F is 37 °C.
    const temperature = vital('temperature');
    expect(temperature.readings.map((r) => r.values.map((v) => [v.value?.toFixed(1), v.sources]))).toEqual([
      [
        ['37.0', ['General']],
        ['38.2', ['Clinic']],
      ],
      [['37.0', ['General', 'Clinic']]],
    ]);
  });

  it('does not call a value the same as one a tenth of a kilogram apart', () => {
    const m = mergeVitals([
      { source: 'A', data: mapVitals([quantity('29463-7', '2025-01-01T00:00:00Z', 80, 'kg')]) },
      { source: 'B', data: mapVitals([quantity('29463-7', '2025-01-01T00:00:00Z', 80.1, 'kg')]) },
    ]);
    expect(m[0]!.readings[0]!.values.map((v) => v.value)).toEqual([80, 80.1]);
  });

  it("keeps a saturation's oxygen, and the same value on different oxygen side by side", () => {
    const at = '2025-01-01T08:00:00Z';
    const saturation = (value: number, flow?: number, concentration?: number): Observation => ({
      ...quantity('59408-5', at, value, '%'),
      component: [
        ...(flow === undefined
          ? []
          : [
              {
                code: { coding: [{ system: 'http://loinc.org', code: '3151-8' }] },
                valueQuantity: { value: flow, system: UCUM, code: 'L/min' },
              },
            ]),
        ...(concentration === undefined
          ? []
          : [
              {
                code: { coding: [{ system: 'http://loinc.org', code: '3150-0' }] },
                valueQuantity: { value: concentration, system: UCUM, code: '%' },
              },
            ]),
      ],
    });
    const merged = (...readings: Observation[]) =>
      mergeVitals(readings.map((o, i) => ({ source: `S${i}`, data: mapVitals([o]) })))[0]!.readings[0]!
        .values;
    // Both on 2 L/min: one reading with both sources, its oxygen kept.
    expect(merged(saturation(94, 2), saturation(94, 2))).toEqual([
      { value: 94, oxygen: { flow: 2 }, sources: ['S0', 'S1'] },
    ]);
    // Room air said two ways (no flow; no flow at 21 %) is the same reading.
    expect(merged(saturation(97, 0), saturation(97, 0, 21))).toHaveLength(1);
    // On oxygen and on room air, or on oxygen and not said: side by side, neither credited with the other's.
    expect(merged(saturation(94, 2), saturation(94, 0))).toEqual([
      { value: 94, oxygen: { flow: 2 }, sources: ['S0'] },
      { value: 94, oxygen: { flow: 0 }, sources: ['S1'] },
    ]);
    expect(merged(saturation(94, 2, 28), saturation(94))).toEqual([
      { value: 94, oxygen: { flow: 2, concentration: 28 }, sources: ['S0'] },
      { value: 94, sources: ['S1'] },
    ]);
    expect(merged(saturation(94, 2), saturation(94, 3))).toHaveLength(2);
  });

  it('gives the band at the newest reading, from the systems that hold it, only when they agree', () => {
    // A child of 1 and then 2 years: heart-rate bands by age (Fleming 2011); the newest reading at the clinic alone.
    const child = { birthDate: '2023-03-01', gender: 'female' };
    const heart = (time: string, value: number) => quantity('8867-4', time, value, '/min');
    const at = (kind: string, ...parts: [string, ReturnType<typeof mapVitals>][]) =>
      mergeVitals(parts.map(([source, data]) => ({ source, data }))).find((v) => v.kind === kind)!;
    const older = mapVitals([heart('2024-03-01T09:00:00Z', 100)], child);
    const newer = mapVitals([heart('2025-06-01T09:00:00Z', 95)], child);
    const rate = at('heart-rate', ['General', older], ['Clinic', newer]);
    const clinicBand = newer.series.find((x) => x.kind === 'heart-rate')!;
    expect(clinicBand.kind !== 'blood-pressure' && clinicBand.band).toBeTruthy();
    expect(rate.band).toEqual(clinicBand.kind === 'blood-pressure' ? undefined : clinicBand.band);
    // The older system's band (at 1 year) is not the one at the newest reading.
    const olderBand = older.series.find((x) => x.kind === 'heart-rate')!;
    expect(olderBand.kind !== 'blood-pressure' && olderBand.band).not.toEqual(rate.band);
    // Both hold the newest reading but give different bands (one record without a birth date): none is chosen.
    const noAge = mapVitals([heart('2025-06-01T09:00:00Z', 95)], {});
    expect(at('heart-rate', ['Clinic', newer], ['Lab', noAge]).band).toBeUndefined();
    // A blood pressure's limits at the newest reading, for an adult.
    const adult = { birthDate: '1970-01-01', gender: 'male' };
    const bp = at('blood-pressure', ['A', mapVitals([pressure('2025-05-20T15:10:00Z', 128, 82)], adult)]);
    expect(bp.band).toMatchObject({ systolic: { high: 120 }, diastolic: { high: 80 } });
  });

  it('keeps a bound apart from the exact value, and a reading preliminary only while no system holds it as final', () => {
    const spo2 = (value: number, extra: Partial<Observation> = {}): Observation => ({
      ...quantity('59408-5', '2025-05-20T15:10:00Z', value, '%'),
      ...extra,
    });
    const bound = { valueQuantity: { value: 70, comparator: '<' as const, system: UCUM, code: '%' } };
    const merged = (...obs: Observation[]) =>
      mergeVitals(obs.map((o, i) => ({ source: `S${i}`, data: mapVitals([o]) })))[0]!.readings[0]!.values;
    expect(merged(spo2(70, bound), spo2(70))).toEqual([
      { value: 70, comparator: '<', sources: ['S0'] },
      { value: 70, sources: ['S1'] },
    ]);
    expect(merged(spo2(70, bound), spo2(70, bound))).toEqual([
      { value: 70, comparator: '<', sources: ['S0', 'S1'] },
    ]);
    const preliminary = { status: 'preliminary' as const };
    expect(merged(spo2(88, preliminary), spo2(88, preliminary))).toEqual([
      { value: 88, preliminary: true, sources: ['S0', 'S1'] },
    ]);
    expect(merged(spo2(88, preliminary), spo2(88))).toEqual([{ value: 88, sources: ['S0', 'S1'] }]);
  });

  it('keeps a blood pressure with a side known only as a bound apart from the exact reading', () => {
    const bounded = (systolic: '>' | undefined, diastolic: '<' | undefined): Observation => {
      const o = pressure('2025-05-20T15:10:00Z', 250, 40);
      const [s, d] = o.component!;
      return {
        ...o,
        component: [
          { ...s!, valueQuantity: { ...s!.valueQuantity, ...(systolic ? { comparator: systolic } : {}) } },
          { ...d!, valueQuantity: { ...d!.valueQuantity, ...(diastolic ? { comparator: diastolic } : {}) } },
        ],
      };
    };
    const merged = (...obs: Observation[]) =>
      mergeVitals(obs.map((o, i) => ({ source: `S${i}`, data: mapVitals([o]) })))[0]!.readings[0]!.values;
    expect(merged(bounded('>', undefined), bounded(undefined, undefined), bounded('>', '<'))).toEqual([
      { systolic: 250, systolicComparator: '>', diastolic: 40, sources: ['S0'] },
      { systolic: 250, diastolic: 40, sources: ['S1'] },
      { systolic: 250, systolicComparator: '>', diastolic: 40, diastolicComparator: '<', sources: ['S2'] },
    ]);
    expect(merged(bounded('>', '<'), bounded('>', '<'))).toEqual([
      {
        systolic: 250,
        systolicComparator: '>',
        diastolic: 40,
        diastolicComparator: '<',
        sources: ['S0', 'S1'],
      },
    ]);
  });
});

describe('readings whose unit could not be read', () => {
  const furlongs = (loinc: string, time: string, value: number): Observation => ({
    ...quantity(loinc, time, value, 'kg'),
    valueQuantity: { value, unit: 'furlongs' },
  });
  const weight = '29463-7';
  const spo2 = '59408-5';
  // General: a weight and one it cannot read; Clinic: a weight and two; Lab: only a weight it cannot read.
  const parts = [
    {
      source: 'General',
      data: mapVitals([
        quantity(weight, '2025-04-01T09:00:00Z', 80, 'kg'),
        furlongs(weight, '2025-05-01T09:00:00Z', 81),
        furlongs(spo2, '2025-05-01T09:00:00Z', 0.97),
      ]),
    },
    {
      source: 'Clinic',
      data: mapVitals([
        quantity(weight, '2025-04-01T09:00:00Z', 80, 'kg'),
        quantity('8867-4', '2025-04-01T09:00:00Z', 70, '/min'),
        furlongs(weight, '2025-05-02T09:00:00Z', 81),
        furlongs(weight, '2025-05-03T09:00:00Z', 82),
        furlongs(spo2, '2025-05-02T09:00:00Z', 0.96),
        furlongs(spo2, '2025-05-03T09:00:00Z', 0.95),
      ]),
    },
    { source: 'Lab', data: mapVitals([furlongs(weight, '2025-05-20T09:00:00Z', 83)]) },
  ];

  it("sums a vital's unreadable readings over the systems, counting a system that could read none of them", () => {
    const merged = mergeVitals(parts);
    expect(merged.find((v) => v.kind === 'weight')).toMatchObject({
      sources: ['General', 'Clinic'],
      unreadable: 4,
    });
    expect(merged.find((v) => v.kind === 'heart-rate')).not.toHaveProperty('unreadable');
  });

  it('names the vitals no system could read, summed, and not one another system shows', () => {
    expect(mergeUnreadableOnly(parts)).toEqual([{ kind: 'spo2', loinc: '59408-5', label: 'SpO₂', count: 3 }]);
    expect(mergeUnreadableOnly(parts.slice(2))).toEqual([
      { kind: 'weight', loinc: '29463-7', label: 'Weight', count: 1 },
    ]);
    expect(mergeUnreadableOnly([{ source: 'A', data: mapVitals([]) }])).toEqual([]);
  });
});
