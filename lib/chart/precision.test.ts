import { describe, expect, it } from 'vitest';
import { displayDecimals, formatNumber, toFixedDecimal, writtenDecimals } from './precision';

describe('clinical precision', () => {
  it('keeps the zeros a recorded value had the decimals for, and invents none', () => {
    // A Synthea HbA1c of 3.0102…: a laboratory reports "3.0 %", not "3 %".
    expect(formatNumber({ value: 3.0102167723507556, unit: '%', loinc: '4548-4' })).toBe('3.0');
    expect(formatNumber({ value: 16.9803, unit: 'g/dL', loinc: '718-7' })).toBe('17.0');
    // Recorded as 6 or 17: JSON kept no zeros, so none are claimed.
    expect(formatNumber({ value: 6, unit: '%', loinc: '4548-4' })).toBe('6');
    expect(formatNumber({ value: 17, unit: 'g/dL', loinc: '718-7' })).toBe('17');
    expect(formatNumber({ value: 36.5, unit: 'Cel' })).toBe('36.5');
    // A computed value of zero reads without a sign.
    expect(formatNumber({ value: -0, unit: 'Cel' })).toBe('0');
  });

  it('shows a value as its source wrote it (up to three decimals), whatever the convention would round it to', () => {
    // An absolute neutrophil count of 0.45 ×10³/µL is below 0.5; lithium 1.45 mmol/L is not 1.4.
    expect(formatNumber({ value: 0.45, unit: '10*3/uL', loinc: '751-8' })).toBe('0.45');
    expect(formatNumber({ value: 1.45, unit: 'mmol/L', loinc: '14334-7' })).toBe('1.45');
    expect(formatNumber({ value: 16.98, unit: 'g/dL', loinc: '718-7' })).toBe('16.98');
    expect(formatNumber({ value: 6.46, unit: '%', loinc: '4548-4' })).toBe('6.46');
    expect(formatNumber({ value: 140.2, unit: 'mEq/L', loinc: '2951-2' })).toBe('140.2');
    // A computation (more decimals than a source writes) takes the convention.
    expect(formatNumber({ value: 1.4512, unit: 'mmol/L', loinc: '14334-7' })).toBe('1.5');
    // JSON dropped the zero of 80.0 kg: it is told from 80.1 kg at the convention's tenth.
    expect(displayDecimals({ value: 80, unit: 'kg' })).toBe(1);
  });

  it('shows a vital sign by its convention whatever a device sends: no finer than a flowsheet writes it', () => {
    expect(formatNumber({ value: 119.4, unit: 'mm[Hg]' })).toBe('119');
    expect(formatNumber({ value: 71.6, unit: '/min' })).toBe('72');
    expect(formatNumber({ value: 37.86, unit: 'Cel' })).toBe('37.9');
    expect(formatNumber({ value: 82.55, unit: 'kg' })).toBe('82.6');
    expect(formatNumber({ value: 97.4, unit: '%', loinc: '59408-5' })).toBe('97');
    // An infant's weight keeps its grams; a child's from 10 kg on reads to a tenth.
    expect(formatNumber({ value: 3.322, unit: 'kg' })).toBe('3.322');
    expect(formatNumber({ value: 12.345, unit: 'kg' })).toBe('12.3');
  });

  it('never shows a value that is not zero as zero: two significant digits under 1', () => {
    expect(formatNumber({ value: 0.04, unit: '10*3/uL', loinc: '751-8' })).toBe('0.04');
    expect(formatNumber({ value: 0.04, unit: 'mg/dL', loinc: '1988-5' })).toBe('0.04');
    expect(formatNumber({ value: -0.01, unit: 'Cel' })).toBe('-0.01');
    // Computed values too, and converted ones.
    expect(formatNumber({ value: 0.0412345, unit: '10*3/uL' })).toBe('0.041');
    expect(formatNumber({ value: 0.0863090264, unit: '{score}', loinc: '72514-3' })).toBe('0.086');
    expect(formatNumber({ value: 0.004, unit: 'kg', original: { value: 4, unit: 'g' } })).toBe('0.004');
    expect(formatNumber({ value: 0, unit: '10*3/uL' })).toBe('0');
  });

  it('rounds in decimal, as the value was written, not in binary', () => {
    // The double nearest 1.45 is 1.4499999999999999556: toFixed(1) gives "1.4".
    expect(toFixedDecimal(1.45, 1)).toBe('1.5');
    expect(toFixedDecimal(0.45, 1)).toBe('0.5');
    expect(toFixedDecimal(2.675, 2)).toBe('2.68');
    expect(toFixedDecimal(-1.45, 1)).toBe('-1.5');
    expect(toFixedDecimal(9.96, 1)).toBe('10.0');
    expect(toFixedDecimal(0.996, 2)).toBe('1.00');
    expect(toFixedDecimal(1.2, 3)).toBe('1.200');
    expect(toFixedDecimal(1e-7, 2)).toBe('0.00');
    // A specific gravity computed to 1.0025 is 1.003 to three decimals (toFixed gives "1.002").
    expect(formatNumber({ value: 1.0025, loinc: '5811-5' })).toBe('1.003');
    expect(formatNumber({ value: 1.4500001, unit: 'mmol/L' })).toBe('1.5');
    expect(formatNumber({ value: 36.8500001, unit: 'Cel' })).toBe('36.9');
  });

  it('keeps a tenth for a small value in a whole-number laboratory unit, where it was written', () => {
    // Potassium in mEq/L: 3.4 is low, 3.6 is not; "3" or "4" would hide it.
    expect(formatNumber({ value: 3.4, unit: 'mEq/L', loinc: '2823-3' })).toBe('3.4');
    expect(formatNumber({ value: 4, unit: 'mEq/L', loinc: '2823-3' })).toBe('4');
    expect(formatNumber({ value: 140.2317, unit: 'mEq/L', loinc: '2951-2' })).toBe('140');
    // Globulin as Synthea writes it (2.43… in g/L): "2.4", not "2".
    expect(formatNumber({ value: 2.4312, unit: 'g/L', loinc: '10834-0' })).toBe('2.4');
    expect(formatNumber({ value: 41.7317, unit: 'g/L', loinc: '1751-7' })).toBe('42');
  });

  it('shows eGFR in whole mL/min whichever unit the record writes it in', () => {
    // Synthea writes one patient's eGFR in mL/min/{1.73_m2} and in mL/min: "82" beside "61.5" read unevenly.
    expect(formatNumber({ value: 61.5237, unit: 'mL/min', loinc: '33914-3' })).toBe('62');
    expect(formatNumber({ value: 82.3137, unit: 'mL/min/{1.73_m2}', loinc: '33914-3' })).toBe('82');
  });

  it('shows blood pressure, rates and saturation as integers', () => {
    expect(formatNumber({ value: 194.1635226723381, unit: 'mm[Hg]' })).toBe('194');
    expect(formatNumber({ value: 98.01998757146438, unit: 'mm[Hg]' })).toBe('98');
    expect(formatNumber({ value: 71.6137, unit: '/min' })).toBe('72');
    expect(formatNumber({ value: 97.4137, unit: '%', loinc: '59408-5' })).toBe('97');
    expect(formatNumber({ value: 97.4137, unit: '%', loinc: '2708-6' })).toBe('97');
  });

  it('shows HbA1c to a tenth of a percent, so no result crosses a diagnostic threshold by rounding', () => {
    // A Synthea HbA1c of 2.5903553371032935 % read "3 %" when percent was rounded to whole numbers.
    expect(formatNumber({ value: 2.5903553371032935, unit: '%', loinc: '4548-4' })).toBe('2.6');
    expect(formatNumber({ value: 6.4612, unit: '%', loinc: '4548-4' })).toBe('6.5');
    expect(formatNumber({ value: 6.4412, unit: '%', loinc: '4548-4' })).toBe('6.4');
    expect(formatNumber({ value: 47.6137, unit: 'mmol/mol', loinc: '59261-8' })).toBe('48');
  });

  it('keeps three significant digits for a percent it has no convention for', () => {
    // Hematocrit, and a basophil count under 1 % that a whole-percent rule would show as 0.
    expect(formatNumber({ value: 41.2733, unit: '%', loinc: '4544-3' })).toBe('41.3');
    expect(formatNumber({ value: 0.42, unit: '%', loinc: '706-2' })).toBe('0.42');
  });

  it('shows chloride, bicarbonate and urea nitrogen as whole numbers, as chemistry panels report them', () => {
    expect(formatNumber({ value: 101.3297, unit: 'mmol/L', loinc: '2069-3' })).toBe('101');
    expect(formatNumber({ value: 21.6413, unit: 'mmol/L', loinc: '20565-8' })).toBe('22');
    expect(formatNumber({ value: 11.0722, unit: 'mg/dL', loinc: '6299-2' })).toBe('11');
    // Potassium keeps its decimal.
    expect(formatNumber({ value: 4.6844, unit: 'mmol/L', loinc: '6298-4' })).toBe('4.7');
  });

  it('chooses decimals by analyte before unit', () => {
    // Creatinine and glucose share mg/dL but not their precision.
    expect(formatNumber({ value: 1.23456, unit: 'mg/dL', loinc: '2160-0' })).toBe('1.23');
    expect(formatNumber({ value: 87.45623, unit: 'mg/dL', loinc: '2345-7' })).toBe('87');
    expect(formatNumber({ value: 87.45623, unit: 'mg/dL' })).toBe('87.5');
    expect(formatNumber({ value: 82.5537, unit: 'kg' })).toBe('82.6');
    // The analyte's convention holds for its unit only: glucose in mmol/L keeps a decimal.
    expect(formatNumber({ value: 7.2734, unit: 'mmol/L', loinc: '2345-7' })).toBe('7.3');
  });

  it('shows urine specific gravity to three decimals and urine pH to one, whatever unit the EHR wrote', () => {
    // Synthea's values; rounded to two decimals, a very dilute 1.0029 read 1.00.
    expect(formatNumber({ value: 1.0029, unit: '{nominal}', loinc: '5811-5' })).toBe('1.003');
    expect(formatNumber({ value: 1.0369, unit: '{SG}', loinc: '2965-2' })).toBe('1.037');
    expect(formatNumber({ value: 1.0092, loinc: '5811-5' })).toBe('1.009');
    expect(formatNumber({ value: 5.4968, unit: 'pH', loinc: '5803-2' })).toBe('5.5');
    expect(formatNumber({ value: 6.9897, unit: '[pH]', loinc: '2756-5' })).toBe('7.0');
  });

  it('keeps the digits of a value shown as recorded, up to three decimals', () => {
    expect(formatNumber({ value: 7.27, unit: 'mmol/L', loinc: '2345-7', asRecorded: true })).toBe('7.27');
    expect(formatNumber({ value: 97.12345, unit: '[degF]', asRecorded: true })).toBe('97.123');
  });

  it('falls back to three significant digits for units it does not know', () => {
    expect(formatNumber({ value: 1234.5678, unit: 'ng/mL' })).toBe('1235');
    expect(formatNumber({ value: 5.4321, unit: 'ng/mL' })).toBe('5.43');
    expect(formatNumber({ value: 0.012345, unit: 'ng/mL' })).toBe('0.012');
  });

  it('never adds digits a value was not recorded with', () => {
    expect(formatNumber({ value: 5, unit: 'mmol/L' })).toBe('5');
    expect(writtenDecimals(36.85)).toBe(2);
    expect(writtenDecimals(1e-7)).toBe(7);
  });

  it('shows a converted value to the first decimal finer than its source, and no finer', () => {
    // 97 °F is recorded in steps of 1 °F (0.56 °C): 36.1 °C, not 36.11 °C, nor 36 °C, half a degree off.
    const f97 = { value: 36.1111, unit: 'Cel', original: { value: 97, unit: '[degF]' } };
    expect(displayDecimals(f97)).toBe(1);
    expect(formatNumber(f97)).toBe('36.1');
    // 101 °F is a fever of 38.3 °C, not a borderline 38 °C.
    expect(formatNumber({ value: 38.3333, unit: 'Cel', original: { value: 101, unit: '[degF]' } })).toBe(
      '38.3',
    );
    // 98.6 °F is known to ±0.05 °F: one decimal in °C (the clinical convention caps it there).
    expect(formatNumber({ value: 37, unit: 'Cel', original: { value: 98.6, unit: '[degF]' } })).toBe('37');
    expect(formatNumber({ value: 36.94, unit: 'Cel', original: { value: 98.5, unit: '[degF]' } })).toBe(
      '36.9',
    );
    expect(formatNumber({ value: 81.74, unit: 'kg', original: { value: 180.2, unit: '[lb_av]' } })).toBe(
      '81.7',
    );
    // Whole pounds are steps of 0.45 kg: a tenth of a kilogram.
    expect(formatNumber({ value: 81.6466, unit: 'kg', original: { value: 180, unit: '[lb_av]' } })).toBe(
      '81.6',
    );
  });

  it("shows an infant's weight to the gram it was weighed to", () => {
    expect(formatNumber({ value: 3.192, unit: 'kg' })).toBe('3.192');
    expect(formatNumber({ value: 3.322, unit: 'kg', original: { value: 3322, unit: 'g' } })).toBe('3.322');
    expect(formatNumber({ value: 3.4, unit: 'kg', original: { value: 3400, unit: 'g' } })).toBe('3.4');
    expect(formatNumber({ value: 8.1, unit: 'kg' })).toBe('8.1');
    expect(formatNumber({ value: 12.3457, unit: 'kg' })).toBe('12.3');
    // Converted from grams without rounding (lib/chart/ucum.ts): the grams stay, a day's 8 g gain with them.
    expect(formatNumber({ value: 1.246, unit: 'kg', original: { value: 1246, unit: 'g' } })).toBe('1.246');
    expect(formatNumber({ value: 1.254, unit: 'kg', original: { value: 1254, unit: 'g' } })).toBe('1.254');
    // Ounces are steps of 28 g: to the hundredth.
    expect(formatNumber({ value: 3.17514659, unit: 'kg', original: { value: 112, unit: '[oz_av]' } })).toBe(
      '3.18',
    );
    // Many decimals are a computation, not a weighing to the gram.
    expect(formatNumber({ value: 9.45659005572116, unit: 'kg' })).toBe('9.5');
  });
});
