import { describe, expect, it } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import type { Quantity } from '@medplum/fhirtypes';
import type { BloodPressureSeries, VitalSeries } from './types';
import { bloodPressureText, mapVitals } from './vitals';
import { bpSideReaches } from './vital-bands';

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

  it('converts UCUM units, keeps originals, drops entered-in-error results and keeps preliminary ones, marked', () => {
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
    // The preliminary 8 kg is the latest readable weight, and says it is preliminary; the final ones say nothing.
    expect(weight?.kind === 'weight' ? weight.points.map((p) => [p.value, p.status]) : []).toEqual([
      [69.85322498, undefined],
      [70, undefined],
      [8, 'preliminary'],
    ]);
    // The latest weight, in stone, cannot be read: it is counted, so the chart does not take 70 kg for the latest.
    expect(weight).toMatchObject({ unreadable: 1 });
    expect(m.series.find((s) => s.kind === 'heart-rate')).not.toHaveProperty('unreadable');
    const temp = m.series.find((s) => s.kind === 'temperature');
    expect(temp?.points[0]).toMatchObject({ value: 38, original: { value: 100.4, unit: '[degF]' } });
    expect(m.series.find((s) => s.kind === 'heart-rate')).toMatchObject({
      unit: '/min',
      band: { low: 60, high: 100 },
      bandSource: 'Adult reference range',
    });
  });

  it('shows preliminary readings, marked, and leaves out cancelled, registered and unknown ones', () => {
    const hr = (id: string, day: string, value: number, status: Observation['status']) =>
      obs(id, '8867-4', `2024-01-0${day}T10:00:00Z`, {
        status,
        valueQuantity: { value, system: U, code: '/min' },
      });
    const m = mapVitals([
      hr('f', '1', 70, 'final'),
      hr('p', '2', 150, 'preliminary'),
      hr('c', '3', 40, 'cancelled'),
      hr('r', '4', 41, 'registered'),
      hr('u', '5', 42, 'unknown'),
      hr('e', '6', 43, 'entered-in-error'),
      hr('a', '7', 45, 'amended'),
    ]);
    const s = m.series[0];
    expect(s?.kind === 'heart-rate' ? s.points.map((p) => [p.observationId, p.status]) : []).toEqual([
      ['f', undefined],
      ['p', 'preliminary'],
      ['a', undefined],
    ]);
  });

  it('marks a blood pressure preliminary where its panel, or either lone value, is', () => {
    const m = mapVitals([
      obs('p1', '85354-9', '2024-01-01T10:00:00Z', {
        status: 'preliminary',
        component: [
          { code: loinc('8480-6'), valueQuantity: mmHg(182) },
          { code: loinc('8462-4'), valueQuantity: mmHg(121) },
        ],
      }),
      obs('s', '8480-6', '2024-02-01T10:00:00Z', { valueQuantity: mmHg(130) }),
      obs('d', '8462-4', '2024-02-01T10:00:00Z', { status: 'preliminary', valueQuantity: mmHg(85) }),
      obs('p2', '85354-9', '2024-03-01T10:00:00Z', {
        component: [
          { code: loinc('8480-6'), valueQuantity: mmHg(120) },
          { code: loinc('8462-4'), valueQuantity: mmHg(80) },
        ],
      }),
    ]);
    const bp = m.series[0] as BloodPressureSeries;
    expect(bp.points.map((p) => [p.systolic, p.diastolic, p.status])).toEqual([
      [182, 121, 'preliminary'],
      [130, 85, 'preliminary'],
      [120, 80, undefined],
    ]);
  });

  it('keeps a reading known only as a bound ("< 70 %", "< 32 Cel") as a bound, converted with its comparator', () => {
    const m = mapVitals(
      [
        obs('t1', '8310-5', '2024-05-01T10:00:00Z', {
          valueQuantity: { value: 32, comparator: '<', unit: 'Cel', system: U, code: 'Cel' },
        }),
        obs('t2', '8310-5', '2024-05-02T10:00:00Z', {
          valueQuantity: { value: 107.6, comparator: '>', unit: 'F', system: U, code: '[degF]' },
        }),
        obs('s1', '59408-5', '2024-05-01T10:00:00Z', {
          valueQuantity: { value: 70, comparator: '<', unit: '%', system: U, code: '%' },
        }),
        obs('s2', '59408-5', '2024-05-02T10:00:00Z', { valueQuantity: { value: 97, system: U, code: '%' } }),
      ],
      { birthDate: '1960-01-01', gender: 'male' },
    );
    const temp = m.series.find((s) => s.kind === 'temperature') as VitalSeries;
    expect(temp.points.map((p) => [p.comparator, p.value, p.original?.value])).toEqual([
      ['<', 32, undefined],
      ['>', 42, 107.6],
    ]);
    const spo2 = m.series.find((s) => s.kind === 'spo2') as VitalSeries;
    expect(spo2.points.map((p) => [p.value, p.comparator])).toEqual([
      [70, '<'],
      [97, undefined],
    ]);
    expect(spo2.points[1]).not.toHaveProperty('comparator');
  });

  it('names the vitals whose every reading was unreadable, blood pressure first, without a series of their own', () => {
    const m = mapVitals([
      obs('h1', '8867-4', '2024-01-01', { valueQuantity: { value: 72, system: U, code: '/min' } }),
      obs('s1', '59408-5', '2024-01-01', { valueQuantity: { value: 0.97, unit: 'fraction' } }),
      obs('s2', '59408-5', '2024-01-02', { valueQuantity: { value: 0.95, unit: 'fraction' } }),
      obs('b1', '8480-6', '2024-01-01', { valueQuantity: { value: 16, unit: 'kPa-ish' } }),
    ]);
    expect(m.series.map((s) => s.kind)).toEqual(['heart-rate']);
    expect(m.unreadableOnly).toEqual([
      { kind: 'blood-pressure', loinc: '85354-9', label: 'Blood pressure', count: 1 },
      { kind: 'spo2', loinc: '59408-5', label: 'SpO₂', count: 2 },
    ]);
    const readable = mapVitals([
      obs('h1', '8867-4', '2024-01-01', { valueQuantity: { value: 72, system: U, code: '/min' } }),
    ]);
    expect(readable).not.toHaveProperty('unreadableOnly');
  });

  it('reads rates written with a counted annotation ({beats}/min, {breaths}/min) as /min, not converted', () => {
    const m = mapVitals([
      obs('h1', '8867-4', '2024-01-01', { valueQuantity: { value: 70, system: U, code: '/min' } }),
      obs('h2', '8867-4', '2024-02-01', { valueQuantity: { value: 148, system: U, code: '{beats}/min' } }),
      obs('r1', '9279-1', '2024-02-01', { valueQuantity: { value: 34, system: U, code: '{breaths}/min' } }),
    ]);
    const points = (kind: string) => {
      const s = m.series.find((x) => x.kind === kind);
      return s && s.kind !== 'blood-pressure' ? s.points : [];
    };
    // The newest heart rate is 148, not the older 70 as if the newer reading were not there.
    expect(points('heart-rate').map((p) => [p.value, p.original])).toEqual([
      [70, undefined],
      [148, undefined],
    ]);
    expect(points('respiratory-rate').map((p) => p.value)).toEqual([34]);
  });

  it('reads a temperature, weight or height coded by its site or manner alone', () => {
    const m = mapVitals([
      obs('t1', '8310-5', '2024-01-01', { valueQuantity: { value: 37, system: U, code: 'Cel' } }),
      obs('t2', '8332-9', '2024-01-02', { valueQuantity: { value: 38.5, system: U, code: 'Cel' } }),
      obs('t3', '8328-7', '2024-01-03', { valueQuantity: { value: 36.4, system: U, code: 'Cel' } }),
      obs('t4', '8333-7', '2024-01-04', { valueQuantity: { value: 37.2, system: U, code: 'Cel' } }),
      obs('w1', '3141-9', '2024-01-04', { valueQuantity: { value: 70, system: U, code: 'kg' } }),
      obs('h1', '8308-9', '2024-01-04', { valueQuantity: { value: 170, system: U, code: 'cm' } }),
    ]);
    const values = (kind: string) => {
      const s = m.series.find((x) => x.kind === kind);
      return s && s.kind !== 'blood-pressure' ? s.points.map((p) => p.value) : [];
    };
    expect(values('temperature')).toEqual([37, 38.5, 36.4, 37.2]);
    expect(values('weight')).toEqual([70]);
    expect(values('height')).toEqual([170]);
  });

  it('counts the age at a reading on the day it was taken where it was taken, not in UTC', () => {
    // The evening before an 18th birthday in California is the birthday in UTC: still a child's reading.
    const teen = { birthDate: '2002-06-16', gender: 'female' };
    const rate = (time: string) =>
      mapVitals([obs('h', '8867-4', time, { valueQuantity: { value: 50, system: U, code: '/min' } })], teen)
        .series[0];
    const evening = rate('2020-06-15T20:00:00-07:00');
    expect(evening?.kind !== 'blood-pressure' && evening?.bandSource).not.toMatch(/Adult/);
    const birthday = rate('2020-06-16T09:00:00-07:00');
    expect(birthday?.kind !== 'blood-pressure' && birthday?.bandSource).toMatch(/Adult/);
  });

  it('returns no series for no data', () => {
    expect(mapVitals([]).series).toEqual([]);
  });

  it('takes a reading coded twice for one kind once, beside the other readings of that kind', () => {
    const both: Observation['code'] = {
      coding: [
        { system: 'http://loinc.org', code: '8310-5' },
        { system: 'http://loinc.org', code: '8331-1' },
      ],
    };
    const celsius = (value: number): Observation['valueQuantity'] => ({
      value,
      unit: 'C',
      system: U,
      code: 'Cel',
    });
    const temperature = mapVitals([
      obs('t1', '8310-5', '2024-01-01T08:00:00Z', { valueQuantity: celsius(37.1) }),
      obs('t2', '8310-5', '2024-01-02T08:00:00Z', { code: both, valueQuantity: celsius(38.4) }),
      obs('t3', '8331-1', '2024-01-03T08:00:00Z', { valueQuantity: celsius(36.9) }),
    ]).series.find((s): s is VitalSeries => s.kind === 'temperature');
    expect(temperature?.points.map((p) => [p.observationId, p.value])).toEqual([
      ['t1', 37.1],
      ['t2', 38.4],
      ['t3', 36.9],
    ]);
  });

  it('reads the reported pain score (72514-3, 38208-5) as its own series, with no normal band at any age', () => {
    const score = (value: number): Observation['valueQuantity'] => ({
      value,
      system: U,
      code: '{score}',
      unit: '{score}',
    });
    const m = mapVitals(
      [
        obs('a', '72514-3', '2019-03-01T10:00:00Z', { valueQuantity: score(2.7381) }),
        obs('b', '38208-5', '2020-03-01T10:00:00Z', { valueQuantity: score(6) }),
        obs('x', '72514-3', '2021-03-01T10:00:00Z', { status: 'entered-in-error', valueQuantity: score(9) }),
      ],
      { birthDate: '1960-01-01', gender: 'female' },
    );
    expect(m.series.map((s) => s.kind)).toEqual(['pain']);
    const pain = m.series[0];
    if (pain?.kind !== 'pain') throw new Error('no pain series');
    expect(pain.points.map((p) => [p.observationId, p.value])).toEqual([
      ['a', 2.7381],
      ['b', 6],
    ]);
    expect(pain.unit).toBe('{score}');
    expect(pain.band).toBeUndefined();
  });

  it('keeps a pain score sent as a whole number, or as a quantity with no unit or UCUM unity', () => {
    const m = mapVitals([
      obs('p1', '72514-3', '2024-05-01T10:00:00Z', { valueQuantity: { value: 9 } }),
      obs('p2', '72514-3', '2024-05-01T11:00:00Z', { valueQuantity: { value: 8, system: U, code: '1' } }),
      obs('p3', '72514-3', '2024-05-01T12:00:00Z', { valueInteger: 10 }),
      obs('p4', '72514-3', '2024-05-01T09:00:00Z', {
        valueQuantity: { value: 2, unit: '{score}', system: U, code: '{score}' },
      }),
    ]);
    const pain = m.series[0] as VitalSeries;
    expect(pain.points.map((p) => [p.observationId, p.value])).toEqual([
      ['p4', 2],
      ['p1', 9],
      ['p2', 8],
      ['p3', 10],
    ]);
    expect(pain.unreadable).toBeUndefined();
  });

  it('reads vital signs whose unit is written loosely, so an older reading is never shown as the latest', () => {
    const panel = (id: string, time: string, sys: Quantity, dia: Quantity) =>
      obs(id, '85354-9', time, {
        component: [
          { code: loinc('8480-6'), valueQuantity: sys },
          { code: loinc('8462-4'), valueQuantity: dia },
        ],
      });
    const m = mapVitals(
      [
        panel('bp0', '2024-04-24T10:00:00Z', mmHg(118)!, mmHg(76)!),
        // The UCUM code without its system; unit text alone.
        panel('bp1', '2024-05-01T10:00:00Z', { value: 212, code: 'mm[Hg]' }, { value: 128, code: 'mm[Hg]' }),
        panel('bp2', '2024-05-01T11:00:00Z', { value: 208, unit: 'mmHg' }, { value: 124, unit: 'mmHg' }),
        obs('hr1', '8867-4', '2024-05-01T10:00:00Z', { valueQuantity: { value: 38, unit: 'beats/min' } }),
        obs('rr1', '9279-1', '2024-05-01T10:00:00Z', { valueQuantity: { value: 30, unit: 'breaths/min' } }),
        obs('t1', '8310-5', '2024-05-01T10:00:00Z', { valueQuantity: { value: 104.2, unit: 'degF' } }),
        obs('s1', '59408-5', '2024-05-01T10:00:00Z', { valueQuantity: { value: 78, code: '%' } }),
        obs('w1', '29463-7', '2024-05-01T10:00:00Z', { valueQuantity: { value: 154, unit: 'lbs' } }),
      ],
      { birthDate: '1960-01-01', gender: 'male' },
    );
    const latest = (kind: string) => m.series.find((s) => s.kind === kind)?.points.at(-1);
    expect(m.series.map((s) => [s.kind, s.points.length])).toEqual([
      ['blood-pressure', 3],
      ['heart-rate', 1],
      ['respiratory-rate', 1],
      ['temperature', 1],
      ['spo2', 1],
      ['weight', 1],
    ]);
    expect(latest('blood-pressure')).toMatchObject({ observationId: 'bp2', systolic: 208, diastolic: 124 });
    expect(latest('heart-rate')).toMatchObject({ value: 38 });
    expect(latest('temperature')).toMatchObject({ original: { value: 104.2, unit: '[degF]' } });
    expect((latest('temperature') as { value: number }).value).toBeCloseTo(40.11, 2);
    expect(latest('spo2')).toMatchObject({ value: 78 });
    expect((latest('weight') as { value: number }).value).toBeCloseTo(69.85, 2);
  });

  it('counts the readings of a vital it cannot read, blood pressure too', () => {
    const m = mapVitals([
      obs('h1', '8867-4', '2024-01-01T10:00:00Z', { valueQuantity: perMin(70) }),
      obs('h2', '8867-4', '2024-02-01T10:00:00Z', { valueQuantity: { value: 71, unit: 'per fortnight' } }),
      obs('b1', '85354-9', '2024-01-01T10:00:00Z', {
        component: [
          { code: loinc('8480-6'), valueQuantity: mmHg(120) },
          { code: loinc('8462-4'), valueQuantity: mmHg(80) },
        ],
      }),
      obs('b2', '85354-9', '2024-02-01T10:00:00Z', {
        component: [
          { code: loinc('8480-6'), valueQuantity: { value: 16, unit: 'kPa' } },
          { code: loinc('8462-4'), valueQuantity: { value: 10, unit: 'kPa' } },
        ],
      }),
      obs('s', '8480-6', '2024-03-01T10:00:00Z', { valueQuantity: { value: 16, unit: 'kPa' } }),
    ]);
    expect(m.series.map((s) => [s.kind, s.points.length, s.unreadable])).toEqual([
      ['blood-pressure', 1, 2],
      ['heart-rate', 1, 1],
    ]);
  });

  it('pairs lone systolic and diastolic readings by instant, and never lets one replace another', () => {
    const lone = (id: string, code: string, time: string, v: number) =>
      obs(id, code, time, { valueQuantity: mmHg(v) });
    const points = (o: Observation[]) => (mapVitals(o).series[0] as BloodPressureSeries).points;
    // One measurement, its instant written once with an offset and once in UTC.
    expect(
      points([
        lone('sys', '8480-6', '2024-05-01T10:00:00-05:00', 196),
        lone('dia', '8462-4', '2024-05-01T15:00:00Z', 118),
      ]).map((p) => [p.systolic, p.diastolic]),
    ).toEqual([[196, 118]]);
    // A repeat systolic at the same minute is a reading of its own, in whichever order the EHR sends them.
    const repeat = [
      lone('s1', '8480-6', '2024-05-01T10:00:00Z', 210),
      lone('s2', '8480-6', '2024-05-01T10:00:00Z', 150),
      lone('d1', '8462-4', '2024-05-01T10:00:00Z', 90),
    ];
    const both = points(repeat).map((p) => [p.systolic, p.diastolic]);
    expect(both).toEqual(
      expect.arrayContaining([
        [210, 90],
        [150, undefined],
      ]),
    );
    expect(both).toHaveLength(2);
    expect(points([...repeat].reverse())).toEqual(points(repeat));
  });
});

const perMin = (value: number): Observation['valueQuantity'] => ({ value, system: U, code: '/min' });
const inBand = (v: number, band: { low?: number; high?: number } | undefined): boolean =>
  band !== undefined &&
  (band.low === undefined || v >= band.low) &&
  (band.high === undefined || v <= band.high);

describe('a blood pressure known only as a bound', () => {
  const bound = (value: number, comparator: '<' | '>'): Observation['valueQuantity'] => ({
    ...mmHg(value),
    comparator,
  });
  const points = (o: Observation[]) => (mapVitals(o).series[0] as BloodPressureSeries).points;

  it('keeps the comparator of each side, from a panel’s components and from lone readings, paired as before', () => {
    const got = points([
      obs('p1', '85354-9', '2024-01-01T10:00:00Z', {
        component: [
          { code: loinc('8480-6'), valueQuantity: bound(250, '>') },
          { code: loinc('8462-4'), valueQuantity: mmHg(90) },
        ],
      }),
      obs('p2', '85354-9', '2024-02-01T10:00:00Z', {
        component: [
          { code: loinc('8480-6'), valueQuantity: bound(250, '>') },
          { code: loinc('8462-4'), valueQuantity: bound(40, '<') },
        ],
      }),
      // One measurement, its instant written in two offsets: the lone bound pairs with its diastolic as before.
      obs('s', '8480-6', '2024-03-01T10:00:00-05:00', { valueQuantity: bound(250, '>') }),
      obs('d', '8462-4', '2024-03-01T15:00:00Z', { valueQuantity: mmHg(95) }),
      obs('d2', '8462-4', '2024-04-01T10:00:00Z', { valueQuantity: bound(40, '<') }),
      obs('p3', '85354-9', '2024-05-01T10:00:00Z', {
        component: [
          { code: loinc('8480-6'), valueQuantity: mmHg(250) },
          { code: loinc('8462-4'), valueQuantity: mmHg(90) },
        ],
      }),
    ]);
    expect(
      got.map((p) => [p.observationId, p.systolicComparator, p.systolic, p.diastolicComparator, p.diastolic]),
    ).toEqual([
      ['p1', '>', 250, undefined, 90],
      ['p2', '>', 250, '<', 40],
      ['d', '>', 250, undefined, 95],
      ['d2', undefined, undefined, '<', 40],
      ['p3', undefined, 250, undefined, 90],
    ]);
    // An exact side carries no comparator at all.
    expect(got[0]).not.toHaveProperty('diastolicComparator');
    expect(got[4]).not.toHaveProperty('systolicComparator');
  });

  it('writes each bounded side after its comparator: "> 250/90 mmHg", "> 250/< 40 mmHg"', () => {
    const n = String;
    expect(bloodPressureText({ systolic: 250, systolicComparator: '>', diastolic: 90 }, n)).toBe(
      '> 250/90 mmHg',
    );
    expect(
      bloodPressureText(
        { systolic: 250, systolicComparator: '>', diastolic: 40, diastolicComparator: '<' },
        n,
      ),
    ).toBe('> 250/< 40 mmHg');
    expect(bloodPressureText({ diastolic: 40, diastolicComparator: '<' }, n)).toBe('—/< 40 mmHg');
    expect(bloodPressureText({ systolic: 128, diastolic: 82 }, n)).toBe('128/82 mmHg');
  });

  it('judges a bound only by the side it lies on: "> 250" past every limit, "< 40" and "> 100" beside 120 at none', () => {
    // At or over a limit (normal is below it).
    expect(bpSideReaches(250, '>', 140)).toBe(true);
    expect(bpSideReaches(120, '>', 120)).toBe(true);
    expect(bpSideReaches(120, '>=', 120)).toBe(true);
    expect(bpSideReaches(100, '>', 120)).toBe(false);
    expect(bpSideReaches(40, '<', 80)).toBe(false);
    expect(bpSideReaches(200, '<=', 80)).toBe(false);
    expect(bpSideReaches(120, undefined, 120)).toBe(true);
    expect(bpSideReaches(undefined, undefined, 120)).toBe(false);
    // Past a limit (severely high is over 180).
    expect(bpSideReaches(180, '>', 180, true)).toBe(true);
    expect(bpSideReaches(180, '>=', 180, true)).toBe(false);
    expect(bpSideReaches(180, undefined, 180, true)).toBe(false);
    expect(bpSideReaches(250, '<', 180, true)).toBe(false);
  });
});

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

  it("puts a 7-year-old's RR 23 and BMI 16.8 inside the child bands and BP the AAP screening values", () => {
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
    expect(bp).toMatchObject({ bands: { systolic: { high: 106 }, diastolic: { high: 68 } } });
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

  it('takes a birth date of only a year or a month as every age it allows: a band only where all of them share it', () => {
    const hr = (time: string) => obs('h', '8867-4', time, { valueQuantity: perMin(170) });
    const band = (birthDate: string, time: string) =>
      (mapVitals([hr(time)], { birthDate, gender: 'female' }).series[0] as VitalSeries).band;
    // Born in 2023, seen 2023-12-20: anywhere from a newborn to 11 months, so not the 9–12 month band.
    expect(band('2023', '2023-12-20')).toBeUndefined();
    // Born in January 2023: 10 or 11 months on 2023-12-20, in the 9–12 month band either way.
    expect(band('2023-01', '2023-12-20')).toEqual({ low: 93, high: 161 });
    // Born in 2006, seen 2024-03-01: 17 or 18, so neither the 15–18 year band nor an adult's.
    expect(band('2006', '2024-03-01')).toBeUndefined();
    expect(band('2006', '2025-03-01')).toEqual({ low: 60, high: 100 });
    expect(band('2006-01', '2024-03-01')).toEqual({ low: 60, high: 100 });
    // A blood pressure when the patient may be 17 or 18: no limits, and why.
    const bp = mapVitals(
      [
        obs('p', '85354-9', '2024-03-01', {
          component: [
            { code: loinc('8480-6'), valueQuantity: mmHg(150) },
            { code: loinc('8462-4'), valueQuantity: mmHg(95) },
          ],
        }),
      ],
      { birthDate: '2006', gender: 'male' },
    ).series[0] as BloodPressureSeries;
    expect(bp.bands).toBeUndefined();
    expect(bp.bandNote).toMatch(/only as a year or a month/);
  });
});

describe('normal bands across ages', () => {
  const bmi = (id: string, time: string, value: number) =>
    obs(id, '39156-5', time, { valueQuantity: { value, unit: 'kg/m2', system: U, code: 'kg/m2' } });
  const hr = (id: string, time: string, value: number) =>
    obs(id, '8867-4', time, { valueQuantity: { value, unit: '/min', system: U, code: '/min' } });

  it("judges a child's earlier readings by the band for their age, not the latest one", () => {
    // A girl born 2004-07-22 (a Synthea patient): BMI 16.3 at 7 is normal for 7, below the band for 16.
    const m = mapVitals([bmi('b1', '2011-08-01', 16.3), bmi('b2', '2020-09-03', 22)], {
      birthDate: '2004-07-22',
      gender: 'female',
    });
    const s = m.series.find((x) => x.kind === 'bmi');
    if (s?.kind !== 'bmi') throw new Error('no BMI series');
    expect(s.bandSource).toMatch(/at 16 years/);
    expect(s.band?.low).toBeGreaterThan(16.3);
    expect(s.bandRuns?.map((r) => r.from)).toEqual(['2011-08-01', '2020-09-03']);
    const atSeven = s.bandRuns![0]!;
    expect(atSeven.low).toBeLessThan(16.3);
    expect(atSeven.high).toBeGreaterThan(16.3);
  });

  it('never carries the adult band back to readings taken under 18', () => {
    // Born 2000-06-15: heart rates at 17 and at 19.
    const m = mapVitals(
      [hr('h1', '2017-07-01', 105), hr('h2', '2018-03-01', 98), hr('h3', '2019-07-01', 70)],
      { birthDate: '2000-06-15', gender: 'male' },
    );
    const s = m.series.find((x) => x.kind === 'heart-rate');
    if (s?.kind !== 'heart-rate') throw new Error('no heart-rate series');
    expect(s.bandSource).toBe('Adult reference range');
    expect(s.bandRuns).toEqual([
      { from: '2017-07-01', low: 43, high: 104 },
      { from: '2019-07-01', low: 60, high: 100 },
    ]);
  });

  it('leaves readings without a band for their age unshaded, and says nothing when one band holds for all', () => {
    // Temperature has no children's band: none at 17, the adult band at 19.
    const temp = (id: string, time: string, value: number) =>
      obs(id, '8310-5', time, { valueQuantity: { value, unit: 'Cel', system: U, code: 'Cel' } });
    const young = mapVitals([temp('t1', '2017-07-01', 37.9), temp('t2', '2019-07-01', 36.8)], {
      birthDate: '2000-06-15',
    }).series.find((x) => x.kind === 'temperature');
    if (young?.kind !== 'temperature') throw new Error('no temperature series');
    expect(young.bandRuns).toEqual([{ from: '2017-07-01' }, { from: '2019-07-01', low: 36.1, high: 37.8 }]);
    const adult = mapVitals([hr('a1', '2021-01-01', 70), hr('a2', '2022-01-01', 72)], {
      birthDate: '1970-01-01',
    }).series.find((x) => x.kind === 'heart-rate');
    expect(adult && 'bandRuns' in adult ? adult.bandRuns : undefined).toBeUndefined();
  });
});

describe('blood-pressure limits', () => {
  const bp = (id: string, time: string, sys: number, dia: number) =>
    obs(id, '85354-9', time, {
      component: [
        { code: loinc('8480-6'), valueQuantity: mmHg(sys) },
        { code: loinc('8462-4'), valueQuantity: mmHg(dia) },
      ],
    });

  const height = (id: string, time: string, cm: number) =>
    obs(id, '8302-2', time, { valueQuantity: { value: cm, unit: 'cm', system: U, code: 'cm' } });
  const bpOf = (observations: Observation[], patient: { birthDate?: string; gender?: string }) => {
    const s = mapVitals(observations, patient).series[0];
    if (s?.kind !== 'blood-pressure') throw new Error('no blood-pressure series');
    return s;
  };

  it("gives an adult's blood pressure the 2017 ACC/AHA limits, and a reading at 12 the child's", () => {
    // Born 2000-06-15: readings at 12 (152.5 cm, near the boys' 50th-height column of 152.7) and at 19.
    const s = bpOf(
      [height('h1', '2012-07-01', 152.5), bp('b1', '2012-07-01', 104, 66), bp('b2', '2019-07-01', 150, 96)],
      { birthDate: '2000-06-15', gender: 'male' },
    );
    expect(s.bands).toEqual({ systolic: { high: 120 }, diastolic: { high: 80 } });
    expect(s.bandSource).toBe('2017 ACC/AHA guideline');
    // Flynn 2017 Table 4, boys of 12 at the 50th height percentile: 90th percentile 117/75; 95th 121/78, so
    // stage 2 from 133 systolic and (121 + 12 over 140/90's 90) 90 diastolic. An adult's stage 2 is the ACC/AHA's.
    const adultStage2 = { systolic: 140, diastolic: 90, guideline: 'ACC/AHA 2017' };
    expect(s.limitRuns).toEqual([
      {
        from: '2012-07-01',
        systolic: 117,
        diastolic: 75,
        stage2: { systolic: 133, diastolic: 90, guideline: 'AAP 2017' },
      },
      { from: '2019-07-01', systolic: 120, diastolic: 80, stage2: adultStage2 },
    ]);
    expect(s.stage2).toEqual(adultStage2);
    expect(s.bandNote).toBeUndefined();
  });

  it('gives readings from 13 on one pair of limits, with no runs to look through', () => {
    const s = bpOf([bp('a0', '2015-01-01', 118, 70), bp('a1', '2016-01-01', 124, 78)], {
      birthDate: '2001-03-01',
    });
    expect(s.bands).toEqual({ systolic: { high: 120 }, diastolic: { high: 80 } });
    expect(s.bandSource).toBe('2017 AAP guideline, 13 years and over');
    expect(s.stage2).toEqual({ systolic: 140, diastolic: 90, guideline: 'AAP 2017' });
    expect(s.limitRuns).toBeUndefined();
    expect(s.bandNote).toBeUndefined();
  });

  it("judges a child's readings by the AAP 90th percentile for age, sex and measured height", () => {
    // A girl born 2012-01-01: at 7 she is 129 cm (the 75th-height column, 128.8), at 8 she is 121 cm (5th, 121.0).
    const s = bpOf(
      [
        height('h7', '2019-02-01', 129),
        bp('c7', '2019-02-01', 108, 70),
        height('h8', '2020-01-20', 121),
        bp('c8', '2020-02-01', 110, 70),
      ],
      { birthDate: '2012-01-01', gender: 'female' },
    );
    // Flynn 2017 Table 5: girls of 7, 75th-height column 110/71 (95th 113/74); girls of 8, 5th-height column
    // 107/69 (95th 110/72). Stage 2 begins 12 mm Hg over the 95th.
    expect(s.limitRuns).toEqual([
      {
        from: '2019-02-01',
        systolic: 110,
        diastolic: 71,
        stage2: { systolic: 125, diastolic: 86, guideline: 'AAP 2017' },
      },
      {
        from: '2020-02-01',
        systolic: 107,
        diastolic: 69,
        stage2: { systolic: 122, diastolic: 84, guideline: 'AAP 2017' },
      },
    ]);
    expect(s.stage2).toEqual({ systolic: 122, diastolic: 84, guideline: 'AAP 2017' });
    expect(s.bands).toEqual({ systolic: { high: 107 }, diastolic: { high: 69 } });
    expect(s.bandSource).toBe(
      "2017 AAP guideline, 90th percentile for a girl of 8 who is 121 cm tall (the table's column for 121 cm)",
    );
  });

  it('uses the screening values (Table 6) where no height was measured within 90 days', () => {
    const s = bpOf([height('h', '2019-06-01', 129), bp('c', '2020-01-10', 100, 60)], {
      birthDate: '2012-01-01',
      gender: 'male',
    });
    // Boys of 8: screening values 107/69.
    expect(s.bands).toEqual({ systolic: { high: 107 }, diastolic: { high: 69 } });
    expect(s.bandSource).toBe(
      '2017 AAP guideline, screening values for a boy of 8 (no height within 90 days)',
    );
  });

  it('keeps a child below 120/80 where the 90th percentile is higher', () => {
    // A tall boy of 12 (166 cm, the 95th-height column): the 90th percentile is 122/76.
    const s = bpOf([height('h', '2024-03-01', 166), bp('c', '2024-03-01', 119, 70)], {
      birthDate: '2012-01-01',
      gender: 'male',
    });
    expect(s.bands).toEqual({ systolic: { high: 120 }, diastolic: { high: 76 } });
    expect(s.bandSource).toMatch(
      /who is 166 cm tall \(the table's column for 165.5 cm\), or 120\/80 where lower$/,
    );
  });

  it('gives an infant no limits, and a child of unknown sex none, and says why', () => {
    const infant = bpOf([bp('i', '2020-06-01', 80, 50)], { birthDate: '2020-01-01', gender: 'female' });
    expect(infant.bands).toBeUndefined();
    expect(infant.bandNote).toMatch(/No normal limits under 1 year/);
    const unknown = bpOf([bp('u', '2020-01-01', 110, 70)], { birthDate: '2012-01-01' });
    expect(unknown.bands).toBeUndefined();
    expect(unknown.bandNote).toMatch(/tables are by sex/);
    // An infant's readings then a toddler's: no limits for the first, the child's from 1 year.
    const s = bpOf([bp('i', '2020-06-01', 80, 50), bp('t', '2021-02-01', 96, 50)], {
      birthDate: '2020-01-01',
      gender: 'male',
    });
    expect(s.limitRuns).toEqual([
      { from: '2020-06-01' },
      // Boys of 1, screening column: the guideline's own "95th + 12 mm Hg" row reads 114/66.
      {
        from: '2021-02-01',
        systolic: 98,
        diastolic: 52,
        stage2: { systolic: 114, diastolic: 66, guideline: 'AAP 2017' },
      },
    ]);
  });

  describe('the shipped AAP 2017 tables', () => {
    // Flynn 2017, Table 6 (screening values), read from the guideline: the 90th percentile at the
    // 5th height percentile, boys then girls, ages 1 to 12.
    const TABLE_6 = {
      male: [
        [98, 52],
        [100, 55],
        [101, 58],
        [102, 60],
        [103, 63],
        [105, 66],
        [106, 68],
        [107, 69],
        [107, 70],
        [108, 72],
        [110, 74],
        [113, 75],
      ],
      female: [
        [98, 54],
        [101, 58],
        [102, 60],
        [103, 62],
        [104, 64],
        [105, 67],
        [106, 68],
        [107, 69],
        [108, 71],
        [109, 72],
        [111, 74],
        [114, 75],
      ],
    };

    it('agree with the screening table in every 5th-height column', () => {
      for (const gender of ['male', 'female'] as const)
        TABLE_6[gender].forEach(([sys, dia], i) => {
          const s = bpOf([bp('s', `${2013 + i}-06-01`, 90, 50)], { birthDate: '2012-01-01', gender });
          expect(s.bands, `${gender} of ${i + 1}`).toEqual({
            systolic: { high: sys },
            diastolic: { high: dia },
          });
        });
    });
  });
});

describe('a saturation taken on oxygen', () => {
  const q = (value: number, code: string): Observation['valueQuantity'] => ({
    value,
    unit: code,
    system: U,
    code,
  });
  const spo2 = (id: string, time: string, value: number, component?: Observation['component']) =>
    obs(id, '59408-5', time, {
      code: {
        coding: [
          { system: 'http://loinc.org', code: '2708-6' },
          { system: 'http://loinc.org', code: '59408-5' },
        ],
      },
      valueQuantity: q(value, '%'),
      ...(component ? { component } : {}),
    });
  it('keeps the flow and the concentration its components give, and nothing where they give none', () => {
    const m = mapVitals([
      spo2('a', '2024-01-01T10:00:00Z', 93, [
        { code: loinc('3151-8'), valueQuantity: q(5, 'L/min') },
        { code: loinc('3150-0'), valueQuantity: q(30, '%') },
      ]),
      spo2('b', '2024-01-02T10:00:00Z', 97),
      spo2('c', '2024-01-03T10:00:00Z', 95, [{ code: loinc('3151-8'), valueQuantity: q(0, 'L/min') }]),
      // A flow in a unit that is not a flow, and a concentration below nothing, say nothing.
      spo2('d', '2024-01-04T10:00:00Z', 96, [
        { code: loinc('3151-8'), valueQuantity: q(5, 'mm[Hg]') },
        { code: loinc('3150-0'), valueQuantity: q(-1, '%') },
      ]),
    ]);
    const s = m.series.find((x) => x.kind === 'spo2') as VitalSeries;
    expect(s.points.map((p) => [p.observationId, p.value, p.oxygen])).toEqual([
      ['a', 93, { flow: 5, concentration: 30 }],
      ['b', 97, undefined],
      ['c', 95, { flow: 0 }],
      ['d', 96, undefined],
    ]);
    // Only a saturation reads them.
    const hr = mapVitals([
      obs('h', '8867-4', '2024-01-01T10:00:00Z', {
        valueQuantity: q(80, '/min'),
        component: [{ code: loinc('3151-8'), valueQuantity: q(5, 'L/min') }],
      }),
    ]).series[0] as VitalSeries;
    expect(hr.points[0]?.oxygen).toBeUndefined();
  });
});
