import { describe, expect, it } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import { chartFields } from './chart-fields';
import { labPanel } from './lab-panels';
import { mapLabs } from './labs';
import { formatNumber } from './precision';

const U = 'http://unitsofmeasure.org';
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const lab = (id: string, code: string, time: string, extra: Partial<Observation> = {}): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }],
    },
  ],
  code: { coding: [{ system: 'http://loinc.org', code, display: `Test ${code}` }] },
  effectiveDateTime: time,
  ...extra,
});
const q = (value: number, code: string): Observation['valueQuantity'] => ({
  value,
  unit: code,
  system: U,
  code,
});
const range = (
  low: number,
  high: number,
  unit: string,
): NonNullable<Observation['referenceRange']>[number] => ({ low: q(low, unit), high: q(high, unit) });

describe('one test sent by mass and by moles', () => {
  // The sandbox's diabetic patient, as a lab that reports some glucoses in mmol/L does: two LOINC codes.
  const mass = lab('g-mass', '2345-7', '2023-01-01', {
    valueQuantity: q(174, 'mg/dL'),
    referenceRange: [range(70, 99, 'mg/dL')],
  });
  const moles = lab('g-moles', '14749-6', '2024-01-01', {
    valueQuantity: q(9.2, 'mmol/L'),
    referenceRange: [range(3.9, 5.5, 'mmol/L')],
  });

  it('is one row and one trend, in the latest result unit, each result with its range in that unit', () => {
    const { groups } = mapLabs([mass, moles]);
    expect(groups).toHaveLength(1);
    const [g] = groups;
    expect(g).toMatchObject({ label: 'Glucose', loinc: '2345-7' });
    expect(g!.latest).toMatchObject({
      value: 9.2,
      unit: 'mmol/L',
      range: { low: 3.9, high: 5.5, unit: 'mmol/L' },
    });
    // Converted unrounded (lib/chart/ucum.ts); the chart rounds it as it shows it.
    expect(g!.history[1]?.value).toBeCloseTo(9.658, 3);
    expect(g!.history[1]).toMatchObject({
      observationId: 'g-mass',
      unit: 'mmol/L',
      original: { value: 174, unit: 'mg/dL' },
      range: { low: 3.89, high: 5.5, unit: 'mmol/L', original: { low: 70, high: 99, unit: 'mg/dL' } },
    });
  });

  it('reads in mg/dL when the latest is by mass', () => {
    const later = { ...mass, id: 'g-mass-2', effectiveDateTime: '2025-01-01' };
    const { groups } = mapLabs([mass, moles, later]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.history.map((r) => `${r.value?.toFixed(1)} ${r.unit}`)).toEqual([
      '174.0 mg/dL',
      '165.7 mg/dL',
      '174.0 mg/dL',
    ]);
  });
});

describe('mapLabs', () => {
  it('groups by code, newest first, with EHR flags winning over computed ones', () => {
    const m = mapLabs([
      lab('k1', '2823-3', '2024-01-01', {
        valueQuantity: q(4.0, 'mmol/L'),
        referenceRange: [range(3.5, 5.1, 'mmol/L')],
      }),
      lab('k2', '2823-3', '2024-02-01', {
        valueQuantity: q(5.8, 'mmol/L'),
        referenceRange: [range(3.5, 5.1, 'mmol/L')],
      }),
      lab('n1', '2951-2', '2024-02-01', {
        valueQuantity: q(140, 'mmol/L'),
        referenceRange: [range(136, 145, 'mmol/L')],
        interpretation: [{ coding: [{ system: V3, code: 'N' }] }],
      }),
      lab('c1', '2160-0', '2024-02-01', {
        valueQuantity: q(3.1, 'mg/dL'),
        interpretation: [{ coding: [{ system: V3, code: 'HH' }] }],
      }),
    ]);
    expect(m.groups.map((g) => g.loinc)).toEqual(['2160-0', '2823-3', '2951-2']);
    const k = m.groups.find((g) => g.loinc === '2823-3');
    expect(k?.history.map((r) => r.observationId)).toEqual(['k2', 'k1']);
    expect(k?.latest).toMatchObject({
      value: 5.8,
      unit: 'mmol/L',
      flag: 'H',
      flagSource: 'computed',
      range: { low: 3.5, high: 5.1, unit: 'mmol/L' },
    });
    expect(k?.history[1]).toMatchObject({ flag: 'N', flagSource: 'computed' });
    expect(m.groups[0]?.latest).toMatchObject({ flag: 'HH', flagSource: 'ehr' });
    expect(m.groups[0]?.latest.range).toBeUndefined();
  });

  it('never flags without a usable range: no range, a range in words, a range in another unit, or a bounded value that may be in it', () => {
    const m = mapLabs([
      lab('a', '1-1', '2024-01-01', { valueQuantity: q(999, 'mg/dL') }),
      lab('b', '2-2', '2024-01-01', {
        valueQuantity: q(999, 'mg/dL'),
        referenceRange: [{ text: 'negative' }],
      }),
      lab('c', '3-3', '2024-01-01', {
        valueQuantity: q(999, 'mg/dL'),
        referenceRange: [range(1, 2, 'mmol/L')],
      }),
      // "> 1" may be 1.5, in the range, or 9, above it.
      lab('d', '4-4', '2024-01-01', {
        valueQuantity: { value: 1, comparator: '>', unit: 'mg/dL', system: U, code: 'mg/dL' },
        referenceRange: [range(1, 2, 'mg/dL')],
      }),
    ]);
    expect(m.groups.map((g) => g.latest.flag)).toEqual([undefined, undefined, undefined, undefined]);
    expect(m.groups.find((g) => g.loinc === '2-2')?.latest.range?.text).toBe('negative');
    expect(m.groups.find((g) => g.loinc === '4-4')?.latest.valueText).toBe('> 1 mg/dL');
  });

  it('never rounds a result across a bound of its range, and flags it as shown', () => {
    const m = mapLabs([
      // Potassium computed to its tenth: 5.0612 "5.1", high; 4.9612 "5.0", in; 5.0412 beside an upper 5.0 keeps
      // "5.04", high.
      lab('k', '2823-3', '2024-01-01', {
        valueQuantity: q(5.0412, 'mmol/L'),
        referenceRange: [range(3.5, 5, 'mmol/L')],
      }),
      lab('k2', '2823-3', '2024-02-01', {
        valueQuantity: q(5.0612, 'mmol/L'),
        referenceRange: [range(3.5, 5, 'mmol/L')],
      }),
      lab('k3', '2823-3', '2024-03-01', {
        valueQuantity: q(4.9612, 'mmol/L'),
        referenceRange: [range(3.5, 5, 'mmol/L')],
      }),
      // Magnesium and ionised calcium computed to hundredths: "0.7" and "1.3" would read as in the range.
      lab('mg', '2601-3', '2024-01-01', {
        valueQuantity: q(0.6612, 'mmol/L'),
        referenceRange: [range(0.7, 1, 'mmol/L')],
      }),
      lab('ca', '1994-3', '2024-01-01', {
        valueQuantity: q(1.3412, 'mmol/L'),
        referenceRange: [range(1.15, 1.33, 'mmol/L')],
      }),
    ]);
    const k = m.groups.find((g) => g.loinc === '2823-3')!;
    expect(k.history.map((r) => [r.value, r.decimals, r.flag])).toEqual([
      [4.9612, undefined, 'N'],
      [5.0612, undefined, 'H'],
      [5.0412, 2, 'H'],
    ]);
    const latest = (loinc: string) => m.groups.find((g) => g.loinc === loinc)!.latest;
    // Under 1, two significant digits are shown anyway (lib/chart/precision.ts): nothing more is needed.
    expect(latest('2601-3')).toMatchObject({ value: 0.6612, flag: 'L', flagSource: 'computed' });
    expect(latest('2601-3').decimals).toBeUndefined();
    expect(latest('1994-3')).toMatchObject({ value: 1.3412, decimals: 2, flag: 'H', flagSource: 'computed' });
    // What the chart then shows beside each range.
    expect(formatNumber({ value: 0.6612, unit: 'mmol/L', loinc: '2601-3' })).toBe('0.66');
    expect(formatNumber({ value: 1.3412, unit: 'mmol/L', loinc: '1994-3', atLeast: 2 })).toBe('1.34');
    expect(formatNumber({ value: 1.3412, unit: 'mmol/L', loinc: '1994-3' })).toBe('1.3');
  });

  it('shows and judges a result the laboratory wrote with its decimals as written: none rounded across a bound', () => {
    const m = mapLabs([
      lab('k', '2823-3', '2024-01-01', {
        valueQuantity: q(5.04, 'mmol/L'),
        referenceRange: [range(3.5, 5, 'mmol/L')],
      }),
      lab('li', '14334-7', '2024-01-01', {
        valueQuantity: q(1.45, 'mmol/L'),
        referenceRange: [range(0.6, 1.2, 'mmol/L')],
      }),
      lab('anc', '751-8', '2024-01-01', {
        valueQuantity: q(0.45, '10*3/uL'),
        referenceRange: [range(1.5, 8, '10*3/uL')],
      }),
      lab('crp', '1988-5', '2024-01-01', {
        valueQuantity: q(0.04, 'mg/dL'),
        referenceRange: [{ high: q(0.5, 'mg/dL') }],
      }),
    ]);
    const shown = m.groups.map((g) => [
      g.latest.observationId,
      formatNumber({
        value: g.latest.value!,
        unit: g.latest.unit,
        loinc: g.loinc,
        atLeast: g.latest.decimals,
      }),
      g.latest.flag,
    ]);
    expect(shown).toEqual(
      expect.arrayContaining([
        ['k', '5.04', 'H'],
        ['li', '1.45', 'H'],
        ['anc', '0.45', 'L'],
        ['crp', '0.04', undefined],
      ]),
    );
  });

  it('flags against a range given in an equivalent unit, converting it and keeping the original', () => {
    const m = mapLabs([
      lab('w', '6690-2', '2024-01-01', {
        valueQuantity: q(12.4, '10*3/uL'),
        referenceRange: [range(4.5, 11, '10*9/L')],
      }),
      lab('p', '777-3', '2024-01-01', {
        valueQuantity: q(120, '10*3/uL'),
        referenceRange: [range(150, 400, '10*9/L')],
      }),
      lab('h', '718-7', '2024-01-01', {
        valueQuantity: q(14, 'g/dL'),
        referenceRange: [range(135, 175, 'g/L')],
      }),
    ]);
    const by = (loinc: string) => m.groups.find((g) => g.loinc === loinc)?.latest;
    expect(by('6690-2')).toMatchObject({
      flag: 'H',
      flagSource: 'computed',
      range: { low: 4.5, high: 11, unit: '10*3/uL', original: { low: 4.5, high: 11, unit: '10*9/L' } },
    });
    expect(by('6690-2')?.range?.text).toBeUndefined();
    expect(by('777-3')?.flag).toBe('L');
    expect(by('718-7')).toMatchObject({ flag: 'N', range: { low: 13.5, high: 17.5, unit: 'g/dL' } });
  });

  it('splits one code measured in units that do not convert into a row per unit, each named with it', () => {
    const egfr = (id: string, time: string, value: number, unit: string) =>
      lab(id, '33914-3', time, { valueQuantity: q(value, unit) });
    const m = mapLabs([
      egfr('a', '2021-03-13', 37.2, 'mL/min/{1.73_m2}'),
      egfr('b', '2021-03-13', 82.32, 'mL/min'),
      egfr('c', '2020-03-13', 41, 'mL/min/{1.73_m2}'),
      // Units that convert stay one row.
      lab('g1', '2345-7', '2021-01-01', { valueQuantity: q(5.5, 'mmol/L') }),
      lab('g2', '2345-7', '2021-02-01', { valueQuantity: q(120, 'mg/dL') }),
    ]);
    const rows = m.groups.map((g) => [g.label, g.history.map((r) => `${r.value} ${r.unit}`)]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['eGFR (mL/min/1.73 m²)', ['37.2 mL/min/{1.73_m2}', '41 mL/min/{1.73_m2}']],
        ['eGFR (mL/min)', ['82.32 mL/min']],
      ]),
    );
    expect(m.groups.filter((g) => g.loinc === '2345-7')).toHaveLength(1);
    expect(new Set(m.groups.map((g) => g.key)).size).toBe(m.groups.length);
  });

  it("picks a newborn's range by whole days of age, as the EHR wrote the bands", () => {
    const days = (low: number, high: number) => ({
      low: { value: low, unit: 'd', system: U, code: 'd' },
      high: { value: high, unit: 'd', system: U, code: 'd' },
    });
    const bands: Observation['referenceRange'] = [
      { high: q(8, 'mg/dL'), age: days(0, 1) },
      { high: q(12, 'mg/dL'), age: days(2, 5) },
      { high: q(1.2, 'mg/dL'), age: days(6, 43800) },
    ];
    const bili = (id: string, time: string, value: number) =>
      lab(id, '1975-2', time, { valueQuantity: q(value, 'mg/dL'), referenceRange: bands });
    const m = mapLabs(
      [
        bili('d1', '2026-11-01T20:00:00Z', 6.1),
        bili('d4', '2026-11-04T08:00:00Z', 13.4),
        // The whole of day 5 is in the 2–5 day band.
        bili('d5', '2026-11-05T23:00:00Z', 9),
        bili('d20', '2026-11-20T08:00:00Z', 4.8),
      ],
      { birthDate: '2026-10-31' },
    );
    const byId = new Map(m.groups[0]!.history.map((r) => [r.observationId, r]));
    expect(['d1', 'd4', 'd5', 'd20'].map((id) => [byId.get(id)?.range?.high, byId.get(id)?.flag])).toEqual([
      [8, undefined],
      [12, 'H'],
      [12, undefined],
      [1.2, 'H'],
    ]);
    // Weeks and months count whole ones too: a 3-week band ends with the last day of week 3.
    const weekly: Observation['referenceRange'] = [
      {
        high: q(5, 'mg/dL'),
        age: { low: { value: 0, code: 'wk', unit: 'wk' }, high: { value: 3, code: 'wk', unit: 'wk' } },
      },
      { high: q(1, 'mg/dL'), age: { low: { value: 1, code: 'mo', unit: 'mo' } } },
    ];
    const at = (time: string) =>
      mapLabs([lab('w', '1975-2', time, { valueQuantity: q(2, 'mg/dL'), referenceRange: weekly })], {
        birthDate: '2026-10-01',
      }).groups[0]!.latest.range?.high;
    expect([at('2026-10-28'), at('2026-10-29'), at('2026-11-01')]).toEqual([5, undefined, 1]);
  });

  it('maps off-scale interpretation codes and picks the range for the patient sex and age', () => {
    const ranges: Observation['referenceRange'] = [
      {
        ...range(13.5, 17.5, 'g/dL'),
        appliesTo: [{ coding: [{ system: 'http://snomed.info/sct', code: '248153007', display: 'Male' }] }],
      },
      {
        ...range(12.0, 15.5, 'g/dL'),
        appliesTo: [{ coding: [{ system: 'http://snomed.info/sct', code: '248152002', display: 'Female' }] }],
      },
      {
        ...range(11, 14, 'g/dL'),
        age: { low: { value: 0, unit: 'a', code: 'a' }, high: { value: 12, unit: 'a', code: 'a' } },
      },
    ];
    const obs = [lab('h', '718-7', '2024-01-01', { valueQuantity: q(13.0, 'g/dL'), referenceRange: ranges })];
    expect(mapLabs(obs, { gender: 'female', birthDate: '1980-01-01' }).groups[0]?.latest).toMatchObject({
      flag: 'N',
      range: { low: 12, high: 15.5, unit: 'g/dL', qualifier: 'Female' },
    });
    expect(mapLabs(obs, { gender: 'male', birthDate: '1980-01-01' }).groups[0]?.latest).toMatchObject({
      flag: 'L',
      range: { low: 13.5 },
    });
    expect(mapLabs(obs, { birthDate: '2020-01-01' }).groups[0]?.latest.range?.qualifier).toBe(
      'age 0 to 12 years',
    );
    const off = lab('o', '6690-2', '2024-01-01', {
      valueQuantity: q(200, '10*3/uL'),
      interpretation: [{ coding: [{ system: V3, code: '>' }] }],
    });
    expect(mapLabs([off]).groups[0]?.latest).toMatchObject({ flag: 'H', flagSource: 'ehr' });
  });

  it('keeps strings, codes and absent values; drops entered-in-error; harmonises units', () => {
    const m = mapLabs([
      lab('s', '5778-6', '2024-01-01', { valueString: 'Yellow' }),
      lab('c', '5802-4', '2024-01-01', { valueCodeableConcept: { text: 'Negative' } }),
      lab('u', '5767-9', '2024-01-01', {
        valueCodeableConcept: {
          coding: [
            { system: 'http://snomed.info/sct', code: '167238004', display: 'Cloudy urine (finding)' },
          ],
        },
      }),
      lab('x', '2345-7', '2024-01-01', {
        dataAbsentReason: { coding: [{ code: 'masked', display: 'Masked' }] },
      }),
      lab('g1', '2339-0', '2024-01-01', { valueQuantity: q(5.5, 'mmol/L') }),
      lab('g2', '2339-0', '2024-02-01', { valueQuantity: q(100, 'mg/dL') }),
      lab('e', '2339-0', '2024-03-01', { status: 'entered-in-error', valueQuantity: q(900, 'mg/dL') }),
    ]);
    const by = (l: string): (typeof m.groups)[number] | undefined => m.groups.find((g) => g.loinc === l);
    expect(by('5778-6')?.latest.valueText).toBe('Yellow');
    expect(by('5802-4')?.latest.valueText).toBe('Negative');
    // A SNOMED CT answer reads as its term, without the semantic tag of its fully specified name.
    expect(by('5767-9')?.latest.valueText).toBe('Cloudy urine');
    expect(by('2345-7')?.latest.absentReason).toBe('Masked');
    expect(by('2339-0')?.history.map((r) => [r.observationId, r.value, r.unit])).toEqual([
      ['g2', 100, 'mg/dL'],
      ['g1', 99.088, 'mg/dL'],
    ]);
    expect(by('2339-0')?.history[1]?.original).toEqual({ value: 5.5, unit: 'mmol/L' });
  });
});

describe('mapLabs, two names under one code', () => {
  it('keeps apart two tests sent under one code at one time, and one test renamed over the years together', () => {
    const urine = (id: string, time: string, name: string, answer: string): Observation =>
      lab(id, '5767-9', time, {
        code: { coding: [{ system: 'http://loinc.org', code: '5767-9', display: name }], text: name },
        valueCodeableConcept: { text: answer },
      });
    const m = mapLabs([
      urine('a1', '2020-01-01T10:00:00Z', 'Appearance of Urine', 'Cloudy urine'),
      urine('o1', '2020-01-01T10:00:00Z', 'Odor of Urine', 'Urine smell ammoniacal'),
      urine('a2', '2021-01-01T10:00:00Z', 'Appearance of Urine', 'Clear urine'),
      urine('o2', '2021-01-01T10:00:00Z', 'Odor of Urine', 'Urine smell normal'),
      lab('h1', '4548-4', '2019-01-01', {
        code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }], text: 'HbA1c' },
      }),
      lab('h2', '4548-4', '2020-01-01', {
        code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }], text: 'Hemoglobin A1c' },
      }),
    ]);
    const rows = m.groups
      .filter((g) => g.loinc === '5767-9')
      .map((g) => [g.label, g.history.map((r) => r.valueText)]);
    expect(rows).toEqual([
      ['Appearance of Urine', ['Clear urine', 'Cloudy urine']],
      ['Odor of Urine', ['Urine smell normal', 'Urine smell ammoniacal']],
    ]);
    // Both in the urinalysis, each under its own name: the code's short name would call the odour an appearance.
    expect(m.groups.filter((g) => g.loinc === '5767-9').map((g) => labPanel(g.loinc))).toEqual([
      'urinalysis',
      'urinalysis',
    ]);
    // Sent alone, the appearance takes the short name.
    const alone = mapLabs([urine('a3', '2022-01-01T10:00:00Z', 'Appearance of Urine', 'Clear urine')]);
    expect(alone.groups.map((g) => [g.label, g.fullName])).toEqual([
      ['Urine appearance', 'Appearance of Urine'],
    ]);
    expect(new Set(m.groups.map((g) => g.key)).size).toBe(m.groups.length);
    expect(m.groups.filter((g) => g.loinc === '4548-4').map((g) => g.history.length)).toEqual([2]);
  });

  it('keeps two quantities of one code at one time in one row, whatever each is called', () => {
    const egfr = (id: string, name: string, value: number): Observation =>
      lab(id, '33914-3', '2021-03-13T21:37:43Z', {
        code: { coding: [{ system: 'http://loinc.org', code: '33914-3' }], text: name },
        valueQuantity: q(value, 'mL/min/{1.73_m2}'),
      });
    const m = mapLabs([
      egfr('e1', 'Estimated Glomerular Filtration Rate', 37),
      egfr('e2', 'GFR/1.73 sq M.predicted', 82),
    ]);
    expect(m.groups.map((g) => g.history.map((r) => r.value))).toEqual([[37, 82]]);
  });
});

describe('mapLabs names', () => {
  it('names common tests by their short clinical name and keeps the EHR name beside it', () => {
    const long = 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay';
    const m = mapLabs([
      lab('l', '18262-6', '2024-01-01', {
        code: { coding: [{ system: 'http://loinc.org', code: '18262-6', display: long }], text: long },
        valueQuantity: { value: 120, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
      }),
      lab('x', '99999-9', '2024-01-01', {
        code: { coding: [{ system: 'http://loinc.org', code: '99999-9', display: 'Some rare assay' }] },
        valueString: 'present',
      }),
    ]);
    expect(m.groups.find((g) => g.loinc === '18262-6')).toMatchObject({
      label: 'LDL cholesterol',
      fullName: long,
    });
    const rare = m.groups.find((g) => g.loinc === '99999-9');
    expect(rare?.label).toBe('Some rare assay');
    expect(rare?.fullName).toBeUndefined();
  });

  it('tells apart tests that share a short name by method, else specimen, else the EHR name', () => {
    const named = (id: string, code: string, display: string, value: number, unit: string) =>
      lab(id, code, '2024-01-01', {
        code: { coding: [{ system: 'http://loinc.org', code, display }] },
        valueQuantity: q(value, unit),
      });
    const labels = mapLabs([
      named('h1', '4544-3', 'Hematocrit [Volume Fraction] of Blood by Automated count', 37.4, '%'),
      named('h2', '20570-8', 'Hematocrit [Volume Fraction] of Blood', 33.5, '%'),
      named('g1', '2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 99, 'mg/dL'),
      named('g2', '2339-0', 'Glucose [Mass/volume] in Blood', 101, 'mg/dL'),
      named('a1', '4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', 6.1, '%'),
      named('a2', '17856-6', 'Hemoglobin A1c/Hemoglobin.total in Blood by HPLC', 6.2, '%'),
      named('k1', '2823-3', 'Potassium', 4.1, 'mmol/L'),
      named('k2', '6298-4', 'Potassium', 4.3, 'mmol/L'),
      named('n1', '2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 140, 'mmol/L'),
    ])
      .groups.map((g) => g.label)
      .sort();
    expect(labels).toEqual(
      [
        'Hematocrit',
        'Hematocrit (automated count)',
        'Glucose (serum or plasma)',
        'Glucose (blood)',
        'HbA1c',
        'HbA1c (HPLC)',
        'Potassium (LOINC 2823-3)',
        'Potassium (LOINC 6298-4)',
        'Sodium',
      ].sort(),
    );
  });
});

describe('results that cannot be', () => {
  const potassium = (id: string, value: number, time: string, extra: Partial<Observation> = {}) =>
    lab(id, '2823-3', time, {
      valueQuantity: q(value, 'mmol/L'),
      referenceRange: [range(3.5, 5.1, 'mmol/L')],
      ...extra,
    });
  const sodium = lab('na', '2951-2', '2024-03-01', {
    valueQuantity: q(140, 'mmol/L'),
    referenceRange: [range(136, 145, 'mmol/L')],
  });

  it('says a concentration below zero cannot be, judges it against no range, keeps it off the trend order, and lists it first', () => {
    const { groups } = mapLabs([
      sodium,
      potassium('k-old', 4.1, '2024-01-01'),
      potassium('k', -4.1, '2024-03-01'),
    ]);
    // First although sodium comes before potassium in the metabolic panel's report order.
    expect(groups.map((g) => g.label)).toEqual(['Potassium', 'Sodium']);
    const k = groups[0]!;
    expect(k.latest).toMatchObject({ observationId: 'k', value: -4.1, impossible: 'below zero' });
    // Not "low": the value is an error in the record, not a result to judge.
    expect(k.latest.flag).toBeUndefined();
    expect(k.history[1]).toMatchObject({ observationId: 'k-old', flag: 'N', flagSource: 'computed' });
    expect(k.history[1]!.impossible).toBeUndefined();
  });

  it("keeps the EHR's own flag beside it", () => {
    const flagged = potassium('k', -4.1, '2024-03-01', {
      interpretation: [{ coding: [{ system: V3, code: 'LL' }] }],
    });
    expect(mapLabs([flagged]).groups[0]!.latest).toMatchObject({
      impossible: 'below zero',
      flag: 'LL',
      flagSource: 'ehr',
    });
  });

  it('says a share of a whole over 100 % cannot be, but not the same number in another unit or for another test', () => {
    const a1c = (id: string, code: string, value: number, unit: string) =>
      lab(id, code, '2024-03-01', { valueQuantity: q(value, unit) });
    const { groups } = mapLabs([
      a1c('ngsp', '4548-4', 130, '%'),
      a1c('hct', '4544-3', 100, '%'),
      a1c('ifcc', '59261-8', 130, 'mmol/mol'),
      // A factor's activity in percent of normal may well be over 100 %.
      a1c('f8', '3209-4', 150, '%'),
    ]);
    const by = Object.fromEntries(groups.map((g) => [g.latest.observationId, g.latest.impossible]));
    expect(by).toEqual({ ngsp: 'over 100 %', hct: undefined, ifcc: undefined, f8: undefined });
  });

  it('leaves a zero, a signed quantity and an unknown test alone', () => {
    const { groups } = mapLabs([
      potassium('k0', 0, '2024-03-01'),
      // Base excess is below zero in an acidosis.
      lab('be', '11555-0', '2024-03-01', { valueQuantity: q(-6, 'mmol/L') }),
      lab('x', '99999-9', '2024-03-01', { valueQuantity: q(-1, 'mg/dL') }),
    ]);
    expect(groups.every((g) => g.latest.impossible === undefined)).toBe(true);
    expect(groups.find((g) => g.latest.observationId === 'k0')!.latest.flag).toBe('L');
  });

  it('reads a glucose sent by moles below zero as the one test it joins', () => {
    const g = lab('glu', '14749-6', '2024-03-01', { valueQuantity: q(-5.5, 'mmol/L') });
    expect(mapLabs([g]).groups[0]!.latest).toMatchObject({ impossible: 'below zero' });
  });
});

describe('results as athenahealth sends them: its own codes under LOINC, ranges only as text', () => {
  // The shape of athenahealth's preview server's results (its own analyte number under http://loinc.org with
  // LOINC's name, its own name as the text, the unit without UCUM, the range as text only).
  const athena = (
    id: string,
    code: string,
    name: string,
    text: string,
    value: number,
    unit: string,
    rangeText: string,
  ) =>
    lab(id, code, '2021-02-22T00:00:00-05:00', {
      code: { coding: [{ system: 'http://loinc.org', code, display: name }], text },
      valueQuantity: { value, unit },
      referenceRange: [{ text: rangeText }],
    });
  const m = mapLabs([
    athena('g', '12809', 'Glucose [Mass/volume] in Serum or Plasma', 'glucose, serum', 256, 'mg/dL', '65-99'),
    athena('b', '23020', 'Urea nitrogen [Mass/volume] in Serum or Plasma', 'BUN', 19, 'mg/dL', '8-27'),
    athena(
      'k',
      '20007',
      'Potassium [Moles/volume] in Serum or Plasma',
      'potassium, serum',
      3.1,
      'mmol/L',
      '3.5-5.2',
    ),
    athena(
      'c',
      '11979',
      'Chloride [Moles/volume] in Serum or Plasma',
      'chloride, serum',
      108,
      'mmol/L',
      '97-108',
    ),
    athena(
      'e',
      '42454',
      'Glomerular filtration rate/1.73 sq M.predicted among non-blacks [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (MDRD)',
      'eGFR if nonafricn AM',
      59,
      'mL/min/1.73',
      '    >59',
    ),
    athena('x', '31337', 'Something local', 'local test', 5, 'U', '1-4'),
    athena('w', '31338', 'Words', 'antibody titre', 5, 'U', 'Negative'),
  ]);
  const by = (id: string) => m.groups.find((g) => g.latest.observationId === id)!;

  it('places each test by its LOINC name, with its short name, keeping the EHR name', () => {
    expect(['g', 'b', 'k', 'c', 'e'].map((id) => [by(id).loinc, by(id).label, by(id).fullName])).toEqual([
      ['2345-7', 'Glucose', 'glucose, serum'],
      ['3094-0', 'BUN', undefined],
      ['2823-3', 'Potassium', 'potassium, serum'],
      ['2075-0', 'Chloride', 'chloride, serum'],
      ['48642-3', 'eGFR', 'eGFR if nonafricn AM'],
    ]);
    expect(by('x')).toMatchObject({ loinc: '31337', label: 'local test' });
  });

  it('judges each result by the bounds its text states, in its unit, marked as computed', () => {
    expect(by('g').latest).toMatchObject({ flag: 'H', flagSource: 'computed' });
    expect(by('g').latest.range).toMatchObject({
      low: 65,
      high: 99,
      unit: 'mg/dL',
      text: '65-99',
      fromText: true,
    });
    expect(by('b').latest).toMatchObject({ flag: 'N', flagSource: 'computed' });
    expect(by('k').latest.flag).toBe('L');
    // The bounds of "97-108" are in the range.
    expect(by('c').latest.flag).toBe('N');
    // ">59": 59 is below it.
    expect(by('e').latest.range).toMatchObject({ low: 59, lowExclusive: true });
    expect(by('e').latest.flag).toBe('L');
    expect(by('x').latest.flag).toBe('H');
    // Words are shown as written and judge nothing.
    expect(by('w').latest.flag).toBeUndefined();
    expect(by('w').latest.range).toEqual({ text: 'Negative' });
    // Results that need review first, in the metabolic panel's report order (the eGFR before the potassium).
    expect(m.groups.slice(0, 4).map((g) => g.latest.observationId)).toEqual(['g', 'e', 'k', 'x']);
  });

  it('reads an interpretation sent as text alone by HL7 definitions, over the range, and no other words', () => {
    const said = (id: string, text: string, value = 90) =>
      lab(id, '2345-7', `2024-01-0${id.length}`, {
        valueQuantity: q(value, 'mg/dL'),
        referenceRange: [range(70, 99, 'mg/dL')],
        interpretation: [{ text }],
      });
    const flagOf = (o: Observation) => mapLabs([o]).groups[0]!.latest;
    expect(flagOf(said('a', 'above high normal'))).toMatchObject({ flag: 'H', flagSource: 'ehr' });
    expect(flagOf(said('b', ' Below  low normal '))).toMatchObject({ flag: 'L', flagSource: 'ehr' });
    expect(flagOf(said('c', 'above upper panic limits'))).toMatchObject({ flag: 'HH', flagSource: 'ehr' });
    expect(flagOf(said('d', 'Abnormal'))).toMatchObject({ flag: 'A', flagSource: 'ehr' });
    // Words it does not know leave the range to judge.
    expect(flagOf(said('e', 'see note', 120))).toMatchObject({ flag: 'H', flagSource: 'computed' });
    // A coded interpretation wins over the words.
    expect(
      flagOf({
        ...said('f', 'normal'),
        interpretation: [{ text: 'normal' }, { coding: [{ system: V3, code: 'L' }] }],
      }),
    ).toMatchObject({ flag: 'L', flagSource: 'ehr' });
  });

  it('shows a titre sent as a Ratio and a result sent as a Range as a laboratory writes them', () => {
    const sent = [
      lab('ana', '5048-4', '2024-01-01', {
        valueRatio: { numerator: { value: 1 }, denominator: { value: 640 } },
        interpretation: [{ coding: [{ system: V3, code: 'H' }] }],
      }),
      lab('rbc', '13945-1', '2024-01-01', {
        valueRange: {
          low: { value: 2, system: U, code: '/[HPF]' },
          high: { value: 5, system: U, code: '/[HPF]' },
        },
      }),
      lab('dose', '3016-3', '2024-01-01', {
        valueRatio: {
          numerator: { value: 5, system: U, code: 'mg' },
          denominator: { value: 1, system: U, code: 'mL' },
        },
      }),
    ];
    // As the routes map them: each Observation first cut down to the fields the chart reads.
    const m = mapLabs(sent.map(chartFields));
    const latest = (loinc: string) => m.groups.find((g) => g.loinc === loinc)?.latest;
    expect(latest('5048-4')).toMatchObject({ valueText: '1:640', flag: 'H', flagSource: 'ehr' });
    expect(latest('13945-1')?.valueText).toBe('2–5 /HPF');
    expect(latest('3016-3')?.valueText).toBe('5 mg / 1 mL');
  });

  it('keeps a critically abnormal interpretation critical, coded (AA) or in words', () => {
    const m = mapLabs([
      lab('a1', '2823-3', '2024-01-01', {
        valueQuantity: q(6.9, 'mmol/L'),
        interpretation: [{ coding: [{ system: V3, code: 'AA' }] }],
      }),
      lab('a2', '2951-2', '2024-01-01', {
        valueQuantity: q(118, 'mmol/L'),
        interpretation: [{ text: 'Critical abnormal' }],
      }),
      lab('a3', '2160-0', '2024-01-01', {
        valueQuantity: q(1.9, 'mg/dL'),
        interpretation: [{ coding: [{ system: V3, code: 'A' }] }],
      }),
    ]);
    const flag = (loinc: string) => m.groups.find((g) => g.loinc === loinc)?.latest.flag;
    expect([flag('2823-3'), flag('2951-2'), flag('2160-0')]).toEqual(['AA', 'AA', 'A']);
  });

  it('shows a value with a comparator as the lab wrote it, never as the number alone nor in a trend', () => {
    const m = mapLabs([
      lab('t1', '6598-7', '2024-01-01', {
        valueQuantity: { ...q(0.01, 'ng/mL') },
        referenceRange: [range(0, 0.04, 'ng/mL')],
      }),
      lab('t2', '6598-7', '2024-02-01', {
        valueQuantity: { ...q(50, 'ng/mL'), comparator: '>' },
        referenceRange: [range(0, 0.04, 'ng/mL')],
        interpretation: [{ coding: [{ system: V3, code: 'HH' }] }],
      }),
      lab('v', '20447-9', '2024-02-01', { valueQuantity: { ...q(20, '{copies}/mL'), comparator: '<' } }),
    ]);
    const troponin = m.groups.find((g) => g.loinc === '6598-7')!;
    expect(troponin.latest).toMatchObject({
      valueText: '> 50 ng/mL',
      unit: 'ng/mL',
      flag: 'HH',
      flagSource: 'ehr',
    });
    expect(troponin.latest.value).toBeUndefined();
    // Only the exact value is a point of the trend.
    expect(troponin.history.filter((r) => r.value !== undefined).map((r) => r.observationId)).toEqual(['t1']);
    const load = m.groups.find((g) => g.loinc === '20447-9')!.latest;
    expect(load.value).toBeUndefined();
    expect(load.valueText).toBe('< 20 copies/mL');
  });

  it("judges a result by a range sent in the analyte's other unit, converted as its history is", () => {
    const m = mapLabs([
      lab('g', '2345-7', '2024-01-01', {
        valueQuantity: q(250, 'mg/dL'),
        referenceRange: [range(3.9, 5.5, 'mmol/L')],
      }),
    ]);
    expect(m.groups[0]!.latest).toMatchObject({
      flag: 'H',
      flagSource: 'computed',
      range: { unit: 'mg/dL' },
    });
    expect(m.groups[0]!.latest.range?.high).toBeCloseTo(99.1, 1);
  });

  it('never reads a text beside numbers the EHR sent; judges a bounded value by a text only where it is beyond it', () => {
    const both = mapLabs([
      lab('n', '2345-7', '2024-01-01', {
        valueQuantity: q(105, 'mg/dL'),
        referenceRange: [{ ...range(70, 110, 'mg/dL'), text: '65-99' }],
      }),
      lab('lt', '2345-7', '2024-02-01', {
        valueQuantity: { ...q(40, 'mg/dL'), comparator: '<' },
        referenceRange: [{ text: '65-99' }],
      }),
      lab('lt70', '2345-7', '2024-03-01', {
        valueQuantity: { ...q(70, 'mg/dL'), comparator: '<' },
        referenceRange: [{ text: '65-99' }],
      }),
    ]);
    const [latest, lt, earlier] = both.groups[0]!.history;
    // "< 70" may be 66, in the range: not judged. "< 40" is below 65 whatever it is.
    expect(latest).toMatchObject({ observationId: 'lt70' });
    expect(latest!.flag).toBeUndefined();
    expect(lt).toMatchObject({ observationId: 'lt', flag: 'L', flagSource: 'computed' });
    expect(earlier).toMatchObject({ observationId: 'n', flag: 'N', range: { low: 70, high: 110 } });
  });
});

describe('mapLabs, ranges and values as interfaces send them', () => {
  it('judges a result by bounds sent without a unit, in its own unit, and by none where neither has one', () => {
    const m = mapLabs([
      // HL7 v2 OBX-7 split into low and high, without a unit.
      lab('k', '2823-3', '2024-01-01', {
        valueQuantity: q(6.8, 'mmol/L'),
        referenceRange: [{ low: { value: 3.5 }, high: { value: 5.1 } }],
      }),
      // An INR: neither the value nor the range has a unit.
      lab('inr', '6301-6', '2024-01-01', {
        valueQuantity: { value: 6.2 },
        referenceRange: [{ low: { value: 0.8 }, high: { value: 1.2 } }],
      }),
      // An arterial pH without a unit, its range as text.
      lab('ph', '2744-1', '2024-01-01', {
        valueQuantity: { value: 7.05 },
        referenceRange: [{ text: '7.35-7.45' }],
      }),
      // "mg/dl" beside UCUM's "mg/dL".
      lab('ca', '17861-6', '2024-01-01', {
        valueQuantity: { value: 14.9, unit: 'mg/dl' },
        referenceRange: [range(8.6, 10.3, 'mg/dL')],
      }),
    ]);
    const latest = (id: string) => m.groups.find((g) => g.latest.observationId === id)!.latest;
    expect(latest('k')).toMatchObject({
      flag: 'H',
      flagSource: 'computed',
      range: { low: 3.5, high: 5.1, unit: 'mmol/L' },
    });
    expect(latest('inr')).toMatchObject({
      flag: 'H',
      flagSource: 'computed',
      range: { low: 0.8, high: 1.2 },
    });
    expect(latest('ph')).toMatchObject({
      flag: 'L',
      flagSource: 'computed',
      range: { low: 7.35, high: 7.45 },
    });
    expect(latest('ca')).toMatchObject({ flag: 'H', flagSource: 'computed', range: { unit: 'mg/dl' } });
  });

  it('still judges nothing by a range in a unit the result does not have, or by bounds in two units', () => {
    const m = mapLabs([
      lab('a', '1-1', '2024-01-01', {
        valueQuantity: { value: 6.2 },
        referenceRange: [range(0.8, 1.2, 'mg/dL')],
      }),
      lab('b', '2-2', '2024-01-01', {
        valueQuantity: q(150, 'mg/dL'),
        referenceRange: [{ low: q(3.9, 'mmol/L'), high: q(99, 'mg/dL') }],
      }),
      lab('c', '3-3', '2024-01-01', {
        valueQuantity: { value: 7.05 },
        referenceRange: [{ text: '7.35-7.45 mmol/L' }],
      }),
    ]);
    expect(m.groups.map((g) => g.latest.flag)).toEqual([undefined, undefined, undefined]);
    expect(m.groups.find((g) => g.loinc === '2-2')?.latest.range).toEqual({ text: '3.9 mmol/L – 99 mg/dL' });
  });

  it('flags a bounded value beyond its range: "> 600" high over 70–99, "< 5" low under 150–400', () => {
    const m = mapLabs([
      lab('g', '2345-7', '2024-01-01', {
        valueQuantity: { ...q(600, 'mg/dL'), comparator: '>' },
        referenceRange: [range(70, 99, 'mg/dL')],
      }),
      lab('plt', '777-3', '2024-01-01', {
        valueQuantity: { ...q(5, '10*3/uL'), comparator: '<' },
        referenceRange: [range(150, 400, '10*3/uL')],
      }),
      // At the bound itself: "> 99" is over it, "<= 70" may be 70, in it.
      lab('g2', '2-2', '2024-01-01', {
        valueQuantity: { ...q(99, 'mg/dL'), comparator: '>' },
        referenceRange: [range(70, 99, 'mg/dL')],
      }),
      lab('g3', '3-3', '2024-01-01', {
        valueQuantity: { ...q(3.9, 'mmol/L'), comparator: '<=' },
        referenceRange: [range(3.9, 5.5, 'mmol/L')],
      }),
      lab('g4', '4-4', '2024-01-01', {
        valueQuantity: { ...q(3.9, 'mmol/L'), comparator: '>=' },
        referenceRange: [range(3.9, 5.5, 'mmol/L')],
      }),
      lab('c', '2160-0', '2024-01-01', {
        valueQuantity: q(0.9, 'mg/dL'),
        referenceRange: [range(0.7, 1.3, 'mg/dL')],
      }),
    ]);
    const latest = (id: string) => m.groups.find((g) => g.latest.observationId === id)!.latest;
    expect(latest('g')).toMatchObject({ valueText: '> 600 mg/dL', flag: 'H', flagSource: 'computed' });
    expect(latest('g').value).toBeUndefined();
    expect(latest('plt')).toMatchObject({ valueText: '< 5 ×10³/µL', flag: 'L', flagSource: 'computed' });
    expect(latest('g2')).toMatchObject({ flag: 'H' });
    expect(latest('g3').flag).toBeUndefined();
    expect(latest('g4').flag).toBeUndefined();
    // Flagged rows come first.
    expect(m.groups.slice(0, 3).map((g) => g.latest.observationId)).toEqual(
      expect.arrayContaining(['g', 'plt', 'g2']),
    );
  });

  it('reads a number sent as valueString as the number, and a bounded one as a comparator', () => {
    const m = mapLabs([
      // athenahealth's BUN/creatinine ratio.
      lab('r1', '3097-3', '2024-01-01', { valueString: '26', referenceRange: [{ text: '11-26' }] }),
      lab('r2', '3097-3', '2024-02-01', { valueString: '27', referenceRange: [{ text: '11-26' }] }),
      lab('t', '6598-7', '2024-01-01', { valueString: '<0.5', referenceRange: [{ text: '0-1.2' }] }),
      lab('g', '2345-7', '2024-01-01', { valueString: '>= 600', referenceRange: [{ text: '70-99' }] }),
      lab('w', '5778-6', '2024-01-01', { valueString: 'Yellow 2' }),
    ]);
    const group = (loinc: string) => m.groups.find((g) => g.loinc === loinc)!;
    expect(group('3097-3').latest).toMatchObject({
      value: 27,
      valueText: '27',
      flag: 'H',
      flagSource: 'computed',
      range: { low: 11, high: 26 },
    });
    // A trend of two numbers.
    expect(group('3097-3').history.map((r) => r.value)).toEqual([27, 26]);
    expect(group('6598-7').latest).toMatchObject({ valueText: '<0.5' });
    expect(group('6598-7').latest.value).toBeUndefined();
    expect(group('6598-7').latest.flag).toBeUndefined();
    expect(group('2345-7').latest).toMatchObject({ valueText: '>= 600', flag: 'H', flagSource: 'computed' });
    expect(group('2345-7').latest.value).toBeUndefined();
    expect(group('5778-6').latest).toEqual(expect.not.objectContaining({ value: expect.anything() }));
  });

  it('picks an age-specific range only where the birth date places the patient in it for certain', () => {
    const a = (value: number) => ({ value, unit: 'a', system: U, code: 'a' });
    const alp = (time: string, referenceRange: Observation['referenceRange']) =>
      lab('alp', '6768-6', time, { valueQuantity: q(250, 'U/L'), referenceRange });
    const teenAndAdult: Observation['referenceRange'] = [
      { ...range(50, 400, 'U/L'), age: { low: a(10), high: a(17) } },
      { ...range(40, 130, 'U/L'), age: { low: a(18) } },
    ];
    const latest = (birthDate: string, time: string, ranges = teenAndAdult) =>
      mapLabs([alp(time, ranges)], { birthDate, gender: 'male' }).groups[0]!.latest;
    // Born in 2006: 17 years 2 months to 18 years 2 months on 2024-03-01. Neither range is certainly the patient's.
    expect(latest('2006', '2024-03-01').range).toBeUndefined();
    expect(latest('2006', '2024-03-01').flag).toBeUndefined();
    // A year later, an adult whatever the day.
    expect(latest('2006', '2025-03-01')).toMatchObject({ flag: 'H', range: { low: 40, high: 130 } });
    // Born in January 2006: 18 on 2024-03-01.
    expect(latest('2006-01', '2024-03-01')).toMatchObject({ flag: 'H', range: { low: 40, high: 130 } });
    // A range for anyone still applies.
    const withGeneral = [...teenAndAdult, range(30, 300, 'U/L')];
    expect(latest('2006', '2024-03-01', withGeneral)).toMatchObject({
      flag: 'N',
      range: { low: 30, high: 300 },
    });
  });

  it('takes the adult range at 18 years 10 months from adjacent ranges sharing 18 years, in either order', () => {
    const a = (value: number) => ({ value, unit: 'a', system: U, code: 'a' });
    const ranges: Observation['referenceRange'] = [
      { ...range(50, 400, 'U/L'), age: { low: a(0), high: a(18) } },
      { ...range(40, 130, 'U/L'), age: { low: a(18), high: a(120) } },
    ];
    const latest = (rs: Observation['referenceRange'], time = '2024-11-20T08:00:00Z') =>
      mapLabs([lab('alp', '6768-6', time, { valueQuantity: q(310, 'U/L'), referenceRange: rs })], {
        birthDate: '2006-01-15',
        gender: 'male',
      }).groups[0]!.latest;
    const adult = { flag: 'H', range: { low: 40, high: 130, qualifier: 'age 18 to 120 years' } };
    expect(latest(ranges)).toMatchObject(adult);
    expect(latest([...ranges].reverse())).toMatchObject(adult);
    // At 17 years 10 months, the child's.
    expect(latest(ranges, '2023-11-20T08:00:00Z')).toMatchObject({
      flag: 'N',
      range: { low: 50, high: 400 },
    });
  });
});

describe('preliminary results', () => {
  it('shows a preliminary result as the latest, marked, with the lab’s own flag', () => {
    // Today's potassium, released preliminary pending verification and flagged critical, beside last month's final.
    const m = mapLabs([
      lab('k-old', '2823-3', '2024-01-01T08:00:00Z', {
        valueQuantity: q(4.1, 'mmol/L'),
        referenceRange: [range(3.5, 5.1, 'mmol/L')],
      }),
      lab('k-now', '2823-3', '2024-03-01T08:00:00Z', {
        status: 'preliminary',
        valueQuantity: q(7.2, 'mmol/L'),
        interpretation: [{ coding: [{ system: V3, code: 'HH' }] }],
        referenceRange: [range(3.5, 5.1, 'mmol/L')],
      }),
    ]);
    const k = m.groups[0];
    expect(k?.latest).toMatchObject({
      observationId: 'k-now',
      value: 7.2,
      flag: 'HH',
      flagSource: 'ehr',
      status: 'preliminary',
    });
    expect(k?.history.map((r) => [r.observationId, r.status])).toEqual([
      ['k-now', 'preliminary'],
      ['k-old', undefined],
    ]);
  });

  it('lets the newest win whichever is preliminary, and leaves out cancelled, registered and unknown results', () => {
    const m = mapLabs([
      lab('p', '2823-3', '2024-03-01T08:00:00Z', { status: 'preliminary', valueQuantity: q(7.2, 'mmol/L') }),
      lab('f', '2823-3', '2024-03-01T09:00:00Z', { status: 'corrected', valueQuantity: q(4.4, 'mmol/L') }),
      lab('c', '2823-3', '2024-03-02T08:00:00Z', { status: 'cancelled', valueQuantity: q(1, 'mmol/L') }),
      lab('r', '2823-3', '2024-03-03T08:00:00Z', { status: 'registered', valueQuantity: q(2, 'mmol/L') }),
      lab('u', '2823-3', '2024-03-04T08:00:00Z', { status: 'unknown', valueQuantity: q(3, 'mmol/L') }),
    ]);
    const k = m.groups[0];
    expect(k?.latest.observationId).toBe('f');
    expect(k?.latest).not.toHaveProperty('status');
    expect(k?.history.map((r) => r.observationId)).toEqual(['f', 'p']);
  });
});
