import { describe, expect, it } from 'vitest';
import { fhirBase, isPersonality, personalityForAud } from './bases';

describe('personality bases', () => {
  const publicUrl = 'http://localhost:4000';

  it('maps each FHIR base back to its personality', () => {
    expect(personalityForAud(publicUrl, fhirBase(publicUrl, 'cerner'))).toBe('cerner');
    expect(personalityForAud(publicUrl, 'http://localhost:4000/epic/fhir/')).toBe('epic');
  });

  it('refuses any other audience', () => {
    for (const aud of [
      undefined,
      '',
      'http://localhost:4000',
      'http://localhost:4000/epic/fhir/Patient',
      'http://evil.test/epic/fhir',
      'http://localhost:4000/unknown/fhir',
    ]) {
      expect(personalityForAud(publicUrl, aud)).toBeUndefined();
    }
  });

  it('recognises personalities', () => {
    expect(isPersonality('athena')).toBe(true);
    expect(isPersonality('Epic')).toBe(false);
    expect(isPersonality(null)).toBe(false);
  });
});
