import { createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '@/lib/i18n/messages';
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

  it('names in Spanish the labs of the sandbox’s patients that the chart names in English', () => {
    const es = createTranslator({ locale: 'es', messages: MESSAGES.es }) as (key: string) => string;
    expect(patientTestName(es, '1975-2', 'Bilirubin, total')).toBe('Bilirrubina (prueba del hígado)');
    expect(patientTestName(es, '5778-6', 'Urine color')).toBe('Color de la orina');
    // Nobody translated it: the chart's name stays.
    expect(patientTestName(es, '2532-0', 'LDH')).toBe('LDH');
  });
});
