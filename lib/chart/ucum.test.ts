import { describe, expect, it } from 'vitest';
import { convert } from './ucum';

const U = 'http://unitsofmeasure.org';

describe('convert', () => {
  it('converts UCUM weight, length and temperature, keeping the original', () => {
    expect(convert({ value: 154, code: '[lb_av]', system: U, unit: 'lb' }, 'kg')).toEqual({
      value: 69.85,
      unit: 'kg',
      original: { value: 154, unit: '[lb_av]' },
    });
    expect(convert({ value: 3500, code: 'g', system: U }, 'kg')?.value).toBe(3.5);
    expect(convert({ value: 112, code: '[oz_av]', system: U }, 'kg')?.value).toBe(3.18);
    expect(convert({ value: 70, code: '[in_i]', system: U }, 'cm')?.value).toBe(177.8);
    expect(convert({ value: 98.6, code: '[degF]', system: U }, 'Cel')?.value).toBe(37);
  });

  it('converts glucose mmol/L ↔ mg/dL only with a LOINC that has a factor', () => {
    expect(convert({ value: 5.5, code: 'mmol/L', system: U }, 'mg/dL', '2345-7')?.value).toBe(99.1);
    expect(convert({ value: 99, code: 'mg/dL', system: U }, 'mmol/L', '2339-0')?.value).toBe(5.5);
    expect(convert({ value: 5.5, code: 'mmol/L', system: U }, 'mg/dL', '2951-2')).toBeUndefined();
    expect(convert({ value: 5.5, code: 'mmol/L', system: U }, 'mg/dL')).toBeUndefined();
  });

  it('never guesses: non-UCUM units and unknown codes do not convert', () => {
    expect(convert({ value: 154, unit: 'lb' }, 'kg')).toBeUndefined();
    expect(convert({ value: 154, code: 'lb', system: 'http://example.org/units' }, 'kg')).toBeUndefined();
    expect(convert({ value: 1, code: 'stone', system: U }, 'kg')).toBeUndefined();
    expect(convert({ value: 70, unit: 'kg' }, 'kg')).toEqual({ value: 70, unit: 'kg' });
  });

  it('takes a leading counted annotation as the count it names, and no other annotation', () => {
    expect(convert({ value: 148, code: '{beats}/min', system: U }, '/min')).toEqual({
      value: 148,
      unit: '/min',
    });
    expect(convert({ value: 5, code: '/uL', system: U }, '{cells}/uL')).toEqual({
      value: 5,
      unit: '{cells}/uL',
    });
    // Per 1.73 m² of body surface is not per person: never the same unit.
    expect(convert({ value: 80, code: 'mL/min/{1.73_m2}', system: U }, 'mL/min')).toBeUndefined();
    expect(convert({ value: 3, code: '{beats}/min', system: U }, '/h')).toBeUndefined();
  });
});
