import type { ObservationReferenceRange } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { pickRange } from './reference-range';

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
