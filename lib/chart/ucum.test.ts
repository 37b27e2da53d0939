import { describe, expect, it } from 'vitest';
import { convert } from './ucum';

const U = 'http://unitsofmeasure.org';

describe('convert', () => {
  it('converts UCUM weight, length and temperature, keeping the original', () => {
    expect(convert({ value: 154, code: '[lb_av]', system: U, unit: 'lb' }, 'kg')).toEqual({
      value: 69.85322498,
      unit: 'kg',
      original: { value: 154, unit: '[lb_av]' },
    });
    expect(convert({ value: 3500, code: 'g', system: U }, 'kg')?.value).toBe(3.5);
    expect(convert({ value: 112, code: '[oz_av]', system: U }, 'kg')?.value).toBe(3.17514659);
    expect(convert({ value: 70, code: '[in_i]', system: U }, 'cm')?.value).toBe(177.8);
    expect(convert({ value: 98.6, code: '[degF]', system: U }, 'Cel')?.value).toBe(37);
  });

  it('converts glucose mmol/L ↔ mg/dL only with a LOINC that has a factor', () => {
    expect(convert({ value: 5.5, code: 'mmol/L', system: U }, 'mg/dL', '2345-7')?.value).toBe(99.088);
    expect(convert({ value: 99, code: 'mg/dL', system: U }, 'mmol/L', '2339-0')?.value).toBeCloseTo(
      5.4951,
      4,
    );
    expect(convert({ value: 5.5, code: 'mmol/L', system: U }, 'mg/dL', '2951-2')).toBeUndefined();
    expect(convert({ value: 5.5, code: 'mmol/L', system: U }, 'mg/dL')).toBeUndefined();
  });

  it('never rounds: the display does, and a newborn weighed in grams keeps them', () => {
    // Rounded to hundredths here, 1246 g read 1.25 kg, and a day's 8 g gain to 1254 g vanished.
    expect([1246, 1254, 1238].map((g) => convert({ value: g, code: 'g', system: U }, 'kg')?.value)).toEqual([
      1.246, 1.254, 1.238,
    ]);
    // Without the arithmetic's binary noise (0.1 × 3 is 0.30000000000000004).
    expect(convert({ value: 300, code: 'g', system: U }, 'kg')?.value).toBe(0.3);
  });

  it('reads a unit sent loosely: a UCUM code without its system, or unit text that spells one', () => {
    expect(convert({ value: 212, code: 'mm[Hg]' }, 'mm[Hg]')).toEqual({ value: 212, unit: 'mm[Hg]' });
    expect(convert({ value: 208, unit: 'mmHg' }, 'mm[Hg]')).toEqual({ value: 208, unit: 'mm[Hg]' });
    expect(convert({ value: 208, unit: 'mm Hg' }, 'mm[Hg]')?.value).toBe(208);
    expect(convert({ value: 38, unit: 'beats/min' }, '/min')).toEqual({ value: 38, unit: '/min' });
    expect(convert({ value: 38, unit: 'bpm' }, '/min')?.value).toBe(38);
    expect(convert({ value: 22, unit: 'breaths/min' }, '/min')?.value).toBe(22);
    expect(convert({ value: 104.2, unit: 'degF' }, 'Cel')?.value).toBeCloseTo(40.111, 3);
    expect(convert({ value: 104.2, unit: '°F' }, 'Cel')?.original).toEqual({ value: 104.2, unit: '[degF]' });
    expect(convert({ value: 37.2, unit: '°C' }, 'Cel')).toEqual({ value: 37.2, unit: 'Cel' });
    expect(convert({ value: 78, code: '%' }, '%')).toEqual({ value: 78, unit: '%' });
    expect(convert({ value: 154, unit: 'lbs' }, 'kg')?.value).toBeCloseTo(69.853, 3);
    expect(convert({ value: 70, unit: 'in' }, 'cm')?.value).toBe(177.8);
    expect(convert({ value: 2, unit: 'L/min' }, 'L/min')?.value).toBe(2);
    expect(convert({ value: 154, unit: 'lb' }, 'kg')?.original).toEqual({ value: 154, unit: '[lb_av]' });
  });

  it('reads a number sent without a unit, or in UCUM unity, as a score and nothing else', () => {
    expect(convert({ value: 9 }, '{score}')).toEqual({ value: 9, unit: '{score}' });
    expect(convert({ value: 8, code: '1', system: U }, '{score}')).toEqual({ value: 8, unit: '{score}' });
    expect(convert({ value: 2, unit: '{score}', code: '{score}', system: U }, '{score}')?.value).toBe(2);
    expect(convert({ value: 72 }, '/min')).toBeUndefined();
    expect(convert({ value: 72, code: '1', system: U }, '/min')).toBeUndefined();
  });

  it('never guesses: unknown unit text, codes in other systems and unknown codes do not convert', () => {
    expect(convert({ value: 154, unit: 'pounds avoirdupois' }, 'kg')).toBeUndefined();
    expect(convert({ value: 154, code: 'lb', system: 'http://example.org/units' }, 'kg')).toBeUndefined();
    expect(convert({ value: 1, code: 'stone', system: U }, 'kg')).toBeUndefined();
    expect(convert({ value: 98, unit: 'F' }, 'Cel')).toBeUndefined();
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
