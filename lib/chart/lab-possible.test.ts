import { describe, expect, it } from 'vitest';
import { impossibleLabResult } from './lab-possible';

describe('impossibleLabResult', () => {
  it('says a concentration, count or calculated difference below zero cannot be', () => {
    expect(impossibleLabResult('2823-3', -0.1, 'mmol/L')).toBe('below zero'); // potassium
    expect(impossibleLabResult('777-3', -150, '10*3/uL')).toBe('below zero'); // platelets
    expect(impossibleLabResult('13457-7', -12, 'mg/dL')).toBe('below zero'); // LDL by calculation
  });

  it('says a share of a whole in percent over 100 cannot be, and 100 itself can', () => {
    expect(impossibleLabResult('4544-3', 100.1, '%')).toBe('over 100 %'); // hematocrit
    expect(impossibleLabResult('770-8', 101, '%')).toBe('over 100 %'); // neutrophils
    expect(impossibleLabResult('4544-3', 100, '%')).toBeUndefined();
    // The same number as a fraction of 1 or in another unit is not a percentage.
    expect(impossibleLabResult('4544-3', 0.45, '1')).toBeUndefined();
    expect(impossibleLabResult('59261-8', 130, 'mmol/mol')).toBeUndefined(); // HbA1c (IFCC)
  });

  it('leaves zero, extremes, signed tests, unknown codes and non-numbers alone', () => {
    expect(impossibleLabResult('2823-3', 0, 'mmol/L')).toBeUndefined();
    expect(impossibleLabResult('2823-3', 12, 'mmol/L')).toBeUndefined();
    expect(impossibleLabResult('11555-0', -6, 'mmol/L')).toBeUndefined(); // base excess
    expect(impossibleLabResult('33037-3', -2, 'mmol/L')).toBeUndefined(); // anion gap
    expect(impossibleLabResult(undefined, -1, 'mg/dL')).toBeUndefined();
    expect(impossibleLabResult('2823-3', Number.NaN, 'mmol/L')).toBeUndefined();
  });
});
