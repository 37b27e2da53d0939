import { describe, expect, it } from 'vitest';
import { patientTestName } from './test-name';

const t = (key: string) => `«${key}»`;

describe('patientTestName', () => {
  it('keeps beside the plain name the qualifier the chart added to tell two tests apart', () => {
    expect(patientTestName(t, '4544-3', 'Hematocrit (automated count)')).toBe(
      '«tests.hematocrit.name» (automated count)',
    );
    expect(patientTestName(t, '4544-3', 'Hematocrit')).toBe('«tests.hematocrit.name»');
  });

  it("uses the chart's name where there is no plain one", () => {
    expect(patientTestName(t, '20570-8', 'Hematocrit')).toBe('Hematocrit');
    expect(patientTestName(t, undefined, 'Vitamin D')).toBe('Vitamin D');
  });
});
