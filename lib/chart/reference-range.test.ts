import type { ObservationReferenceRange } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { boundsFromText, pickRange } from './reference-range';

const aged = (
  low: { value: number; code: string } | undefined,
  high: { value: number; code: string } | undefined,
): ObservationReferenceRange => ({
  high: { value: 1.2, unit: 'mg/dL' },
  age: { ...(low ? { low } : {}), ...(high ? { high } : {}) },
});

describe('whom an age-specific range is for', () => {
  it('reads as a person says an age: days past two years in years, one unit said once', () => {
    const newborn = { age: { days: 10, months: 0 } };
    const adult = { age: { days: 25_000, months: 820 } };
    const cases: [ObservationReferenceRange, { age: { days: number; months: number } }, string][] = [
      // Bilirubin as a sandbox newborn's EHR sends it: 6 to 43,800 days.
      [aged({ value: 6, code: 'd' }, { value: 43_800, code: 'd' }), newborn, 'age 6 days to 120 years'],
      [aged({ value: 2, code: 'd' }, { value: 12, code: 'd' }), newborn, 'age 2 to 12 days'],
      [aged({ value: 0, code: 'a' }, { value: 1, code: 'a' }), newborn, 'age 0 to 1 year'],
      [aged({ value: 24, code: 'mo' }, undefined), adult, 'age 2 years and over'],
      [aged({ value: 65, code: 'a' }, undefined), adult, 'age 65 years and over'],
      [aged(undefined, { value: 1, code: 'mo' }), newborn, 'age up to 1 month'],
      [aged(undefined, { value: 10, code: 'wk' }), newborn, 'age up to 10 weeks'],
    ];
    for (const [range, patient, words] of cases) expect(pickRange([range], patient)?.qualifier).toBe(words);
  });
});

describe('which of several ranges is the patient’s usual range', () => {
  const woman = { gender: 'female', age: { days: 20_000, months: 657 } };
  const man = { gender: 'male', age: { days: 20_000, months: 657 } };
  const g = (value: number) => ({ value, unit: 'g/dL' });

  it('takes the normal range over a critical one, however specific the critical one is', () => {
    const ranges: ObservationReferenceRange[] = [
      { low: g(12), high: g(16), type: { coding: [{ code: 'normal' }] } },
      { low: g(6), high: g(20), type: { text: 'Critical Range' }, appliesTo: [{ text: 'female' }] },
    ];
    expect(pickRange(ranges, woman)).toMatchObject({ low: 12, high: 16 });
    // A critical or absolute range alone is no usual range: the result is not judged by it.
    expect(pickRange([ranges[1]!], woman)).toBeUndefined();
    expect(
      pickRange([{ low: g(0), high: g(30), type: { coding: [{ code: 'absolute' }] } }], woman),
    ).toBeUndefined();
  });

  it('prefers a normal range to a recommended one, and a sex-specific normal range to a general one', () => {
    const ranges: ObservationReferenceRange[] = [
      { high: g(3), type: { coding: [{ code: 'recommended' }] }, appliesTo: [{ text: 'male' }] },
      { low: g(1), high: g(5) },
      { low: g(2), high: g(4), appliesTo: [{ coding: [{ code: 'M' }] }] },
    ];
    expect(pickRange(ranges, man)).toMatchObject({ low: 2, high: 4 });
    expect(pickRange(ranges, woman)).toMatchObject({ low: 1, high: 5 });
    expect(pickRange([ranges[0]!], man)).toMatchObject({ high: 3 });
  });

  it('never takes a range for a state the record cannot tell (pregnancy, a race) as the patient’s', () => {
    const tsh = (low: number, high: number) => ({ low: { value: low }, high: { value: high } });
    const ranges: ObservationReferenceRange[] = [
      { ...tsh(0.1, 2.5), appliesTo: [{ text: 'Pregnant' }] },
      { ...tsh(0.45, 4.5) },
    ];
    expect(pickRange(ranges, man)).toMatchObject({ low: 0.45, high: 4.5 });
    expect(pickRange([ranges[0]!], woman)).toBeUndefined();
    // Sex and another state together: still not known to apply.
    expect(
      pickRange([{ ...tsh(0.1, 2.5), appliesTo: [{ text: 'female' }, { text: 'Pregnant' }] }], woman),
    ).toBeUndefined();
  });
});

describe('which range of several holds', () => {
  const U = 'http://unitsofmeasure.org';
  const mmol = (value: number) => ({ value, unit: 'mmol/L', system: U, code: 'mmol/L' });
  const years = (value: number) => ({ value, unit: 'a', system: U, code: 'a' });
  const adult = { gender: 'male', age: { days: 20_000, months: 657 } };

  it('takes a range with bounds over a note listed before it, of the same meaning', () => {
    const note = { text: 'Hemolysis may falsely elevate potassium' };
    const numbers = { low: mmol(3.5), high: mmol(5.1) };
    const normal = { ...numbers, type: { coding: [{ code: 'normal' }] } };
    expect(pickRange([note, numbers], adult)).toMatchObject({ low: 3.5, high: 5.1, unit: 'mmol/L' });
    expect(pickRange([numbers, note], adult)).toMatchObject({ low: 3.5, high: 5.1 });
    expect(pickRange([note, normal], adult)).toMatchObject({ low: 3.5, high: 5.1 });
    // Text the chart reads as bounds counts as bounds; a note alone is still shown.
    expect(pickRange([note, { text: '3.5-5.1' }], adult)).toEqual({ text: '3.5-5.1' });
    expect(pickRange([note], adult)).toEqual({ text: note.text });
    // A more specific range still wins over a general one with numbers.
    expect(pickRange([numbers, { text: 'see note', appliesTo: [{ text: 'male' }] }], adult)).toEqual({
      text: 'see note',
      qualifier: 'male',
    });
  });

  it('takes, of adjacent age ranges that share a bound, the one that begins at the age, whatever their order', () => {
    const child = { low: mmol(50), high: mmol(400), age: { low: years(0), high: years(18) } };
    const grown = { low: mmol(40), high: mmol(130), age: { low: years(18), high: years(120) } };
    // 18 years 10 months; 18 years to the day; 17 years 11 months.
    for (const [months, low] of [
      [226, 40],
      [216, 40],
      [215, 50],
    ] as const) {
      const p = { age: { days: Math.round(months * 30.44), months } };
      expect(pickRange([child, grown], p)?.low, `${months} months`).toBe(low);
      expect(pickRange([grown, child], p)?.low, `${months} months, reversed`).toBe(low);
    }
  });

  it('takes an age-specific range only where the youngest and the oldest the patient can be are both in it', () => {
    const teen = { low: mmol(50), high: mmol(400), age: { low: years(10), high: years(17) } };
    const grown = { low: mmol(40), high: mmol(130), age: { low: years(18) } };
    const span = (youngest: number, oldest: number) => ({
      age: {
        youngest: { days: Math.round(youngest * 30.44), months: youngest },
        oldest: { days: Math.round(oldest * 30.44), months: oldest },
      },
    });
    expect(pickRange([teen, grown], span(206, 218))).toBeUndefined();
    expect(pickRange([teen, grown], span(218, 230))).toMatchObject({ low: 40 });
    expect(pickRange([teen, grown], span(190, 202))).toMatchObject({ low: 50 });
  });
});

describe('boundsFromText', () => {
  it('reads the bounds a laboratory writes as bare numbers, with the result unit or none', () => {
    const mg = ['mg/dL'];
    expect(boundsFromText('65-99', mg)).toEqual({ low: 65, high: 99 });
    expect(boundsFromText('  0.57 - 1.00 ', mg)).toEqual({ low: 0.57, high: 1 });
    expect(boundsFromText('3.5 to 5.2', mg)).toEqual({ low: 3.5, high: 5.2 });
    expect(boundsFromText('8.7–10.3 mg/dL', mg)).toEqual({ low: 8.7, high: 10.3 });
    expect(boundsFromText('8.7-10.3 MG/DL', mg)).toEqual({ low: 8.7, high: 10.3 });
    expect(boundsFromText('<200', mg)).toEqual({ high: 200, highExclusive: true });
    expect(boundsFromText('<= 5.0', mg)).toEqual({ high: 5 });
    expect(boundsFromText('≤5', mg)).toEqual({ high: 5 });
    expect(boundsFromText('    >59', mg)).toEqual({ low: 59, lowExclusive: true });
    expect(boundsFromText('>= 40', mg)).toEqual({ low: 40 });
  });

  it('leaves anything else unread: words, titres, negative or reversed bounds, another unit, two ranges', () => {
    const mg = ['mg/dL'];
    for (const text of [
      'Negative',
      'see comment',
      '<1:40',
      '-2-2',
      '99-65',
      '3.5-5.2 mmol/L',
      '65-99 fasting',
      '65-99, 70-110',
      '',
      '>',
      '1.2.3-4',
    ])
      expect(boundsFromText(text, mg), text).toBeUndefined();
  });
});
